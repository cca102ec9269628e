/**
 * What happened, for the dashboard, kept in memory only (gone on restart,
 * never in exported state or the state file): the keys used since start
 * (the dashboard lists their workspaces), each key's request log — one
 * entry per API or control call, as the CLI prints it: method, route
 * template, status, request id, time; never a key, a path parameter or a
 * body — and the visits to each workspace's hosted pages. Requests without
 * a usable key have a log of their own. Everything is bounded: the latest
 * KEYS_KEPT keys, REQUESTS_KEPT requests per log and VISITS_KEPT visits per
 * workspace; older ones are dropped.
 */
import { listedKey, sandboxKey, type KeyList } from "../api/keys.js";
import type { TimeSource } from "../domain/clock.js";
import type { RequestLogEntry } from "./reply.js";
import type { Store } from "../state/store.js";
import type { Workspace } from "../state/workspace.js";

/** Keys remembered (with their request logs). */
export const KEYS_KEPT = 1_000;
/** Requests kept per key (and without a key). */
export const REQUESTS_KEPT = 500;
/** Hosted-page visits kept per workspace. */
export const VISITS_KEPT = 1_000;

/**
 * One request, as the request log keeps it: the log line, and when it was answered (ms) — on the workspace's clock, or
 * the system's for requests without a key.
 */
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
  readonly #keys: KeyList | undefined;
  /** Keys used since start, least recently used first, with their request logs. */
  readonly #byKey = new Map<string, RequestEntry[]>();
  /** The key `noteKey` moved to the end last. */
  #lastKey: string | undefined;
  readonly #keyless: RequestEntry[] = [];
  readonly #visits = new WeakMap<Workspace, PageVisit[]>();

  constructor(context: { store: Store; time: TimeSource; keys?: KeyList | undefined }) {
    this.#store = context.store;
    this.#time = context.time;
    this.#keys = context.keys;
  }

  /** Notes a key as used (the sandbox takes it), and returns its request log. */
  noteKey(key: string): RequestEntry[] {
    const kept = this.#byKey.get(key);
    // Moved to the end only when another key came last: a delete and a set on every request leave holes that make
    // V8 rebuild the map's table every few calls, garbage old enough to grow the heap.
    if (kept && key === this.#lastKey) return kept;
    const log = kept ?? [];
    this.#lastKey = key;
    this.#byKey.delete(key);
    this.#byKey.set(key, log);
    if (this.#byKey.size > KEYS_KEPT) this.#byKey.delete(this.#byKey.keys().next().value!);
    return log;
  }

  /** Logs an API or control call under its key, when the sandbox takes it; else with those without a usable key. */
  request(request: Request, entry: RequestLogEntry): void {
    let key: string;
    try {
      key = listedKey(sandboxKey(request.headers.get("authorization")), this.#keys);
    } catch {
      return keep(this.#keyless, { ...entry, at: this.#time() }, REQUESTS_KEPT);
    }
    const workspace = this.#store.existingWorkspace(key);
    keep(this.noteKey(key), { ...entry, at: this.#time() + (workspace?.clockOffsetMs ?? 0) }, REQUESTS_KEPT);
  }

  /**
   * Logs a request for a hosted page (`/c/<token>…`) that came at `startedAt` (the time source's ms) under its session,
   * when the token names one.
   */
  visit(request: Request, route: string, status: number, startedAt: number): void {
    const [, c, token, ehr, connectionId] = new URL(request.url).pathname.split("/");
    if (c !== "c" || token === undefined) return;
    const found = this.#store.sessionByToken(token);
    if (!found) return;
    let log = this.#visits.get(found.workspace);
    if (!log) this.#visits.set(found.workspace, (log = []));
    const at = startedAt + found.workspace.clockOffsetMs;
    keep(
      log,
      {
        sessionId: found.session.id,
        method: request.method,
        route,
        connectionId: ehr === "ehr" ? (connectionId ?? null) : null,
        status,
        at,
      },
      VISITS_KEPT,
    );
  }

  /** The keys used since start, most recently used first. */
  keysUsed(): string[] {
    return [...this.#byKey.keys()].reverse();
  }

  /** The key's requests, newest first. */
  requests(key: string): RequestEntry[] {
    return [...(this.#byKey.get(key) ?? [])].reverse();
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
