/**
 * What happened, for the dashboard, kept in memory only (gone on restart,
 * never in exported state or the state file): each workspace's request log
 * — one entry per API or control call, as the CLI prints it: method, route
 * template, status, request id, time; never a key, a path parameter or a
 * body — and the visits to its sessions' hosted pages. Requests without a
 * usable key have a log of their own. Every log is bounded: the latest
 * REQUESTS_KEPT requests and VISITS_KEPT visits, older ones dropped.
 */
import { sandboxKey } from "./auth.js";
import { workspaceNow, type TimeSource } from "./clock.js";
import type { RequestLogEntry } from "./pipeline.js";
import type { Store } from "./state/store.js";
import type { Workspace } from "./state/workspace.js";

/** Requests kept per workspace (and without a key). */
export const REQUESTS_KEPT = 500;
/** Hosted-page visits kept per workspace. */
export const VISITS_KEPT = 1_000;

/** One request, as the request log keeps it: the log line, and when it was answered (ms) — on the workspace's clock, or the system's for requests without a key. */
export type RequestEntry = RequestLogEntry & { at: number };

/** One request for a page of a session's hosted flow. */
export interface PageVisit {
  sessionId: string;
  method: string;
  /** The route's template, e.g. `/c/{token}/ehr/{connection_id}`. */
  route: string;
  /** The EHR the page is about (`fhirsrc_…`), when it names one. */
  connectionId: string | null;
  status: number;
  /** On the workspace's clock (ms). */
  at: number;
}

/** Keeps `entry` at the end of `list`, dropping the oldest past `limit`. */
function keep<T>(list: T[], entry: T, limit: number): void {
  list.push(entry);
  if (list.length > limit) list.splice(0, list.length - limit);
}

export class Activity {
  readonly #store: Store;
  readonly #time: TimeSource;
  readonly #requests = new WeakMap<Workspace, RequestEntry[]>();
  readonly #keyless: RequestEntry[] = [];
  readonly #visits = new WeakMap<Workspace, PageVisit[]>();

  constructor(context: { store: Store; time: TimeSource }) {
    this.#store = context.store;
    this.#time = context.time;
  }

  /** Logs an API or control call under the workspace of its key (an existing one), or without a key. */
  request(request: Request, entry: RequestLogEntry): void {
    let workspace: Workspace | undefined;
    try {
      workspace = this.#store.existingWorkspace(sandboxKey(request.headers.get("authorization")));
    } catch {
      // no usable key: logged as such
    }
    if (!workspace) return keep(this.#keyless, { ...entry, at: this.#time() }, REQUESTS_KEPT);
    let log = this.#requests.get(workspace);
    if (!log) this.#requests.set(workspace, (log = []));
    keep(log, { ...entry, at: workspaceNow(this.#time, workspace) }, REQUESTS_KEPT);
  }

  /** Logs a request for a hosted page (`/c/<token>…`) that came at `startedAt` (the time source's ms) under its session, when the token names one. */
  visit(request: Request, route: string, status: number, startedAt: number): void {
    const [, c, token, ehr, connectionId] = new URL(request.url).pathname.split("/");
    if (c !== "c" || token === undefined) return;
    const found = this.#store.sessionByToken(token);
    if (!found) return;
    let log = this.#visits.get(found.workspace);
    if (!log) this.#visits.set(found.workspace, (log = []));
    const at = startedAt + found.workspace.clockOffsetMs;
    keep(log, { sessionId: found.session.id, method: request.method, route, connectionId: ehr === "ehr" ? (connectionId ?? null) : null, status, at }, VISITS_KEPT);
  }

  /** The workspace's requests, newest first. */
  requests(workspace: Workspace | undefined): RequestEntry[] {
    return [...((workspace && this.#requests.get(workspace)) ?? [])].reverse();
  }

  /** Requests that carried no usable key, newest first. */
  keyless(): RequestEntry[] {
    return [...this.#keyless].reverse();
  }

  /** The visits to one session's pages, oldest first. */
  visits(workspace: Workspace, sessionId: string): PageVisit[] {
    return (this.#visits.get(workspace) ?? []).filter((visit) => visit.sessionId === sessionId);
  }
}
