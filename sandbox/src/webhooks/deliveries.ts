/**
 * Webhook delivery. Every event with an attempt planned (a workspace's
 * `pendingEvents`) is posted, signed, to its endpoint once its
 * `next_attempt_at` comes on the workspace's clock and while the endpoint is
 * active; what happened is recorded on the event (outcome.ts) and a
 * failure plans the next attempt by the schedule (webhooks/schedule.ts).
 *
 * When: `wake()` (called by `core.changed` after every change: a request,
 * a control, a clock advance, a delivery's own record) looks on the next
 * turn of the event loop, so a new event goes out at once; one timer waits
 * for the earliest attempt not yet due, so retries also come in real time.
 * Deliveries to one endpoint go one at a time, in event order (so a test
 * sees them in order unless it asks otherwise); endpoints are served side
 * by side.
 *
 * Faults (queued per workspace) change the next deliveries: `duplicate`
 * sends the same request twice; `out_of_order` holds the event back until
 * the next delivery to the same endpoint has gone out (at most HOLD_MS);
 * `stale_timestamp` signs with a `t` older than receivers accept;
 * `bad_signature` signs with another secret.
 *
 * Every timer is unref'd and cleared by `close()`, which also aborts what is
 * in flight (an aborted attempt is not recorded: it is made again on the
 * next start from the same state).
 */
import { ID_PREFIXES } from "../spec.js";
import { workspaceNow } from "../domain/clock.js";
import { takeDeliveryFault } from "../control/faults.js";
import { destinationProblem } from "../http/loopback.js";
import type { Core } from "../core.js";
import { secretText } from "../domain/random.js";
import type { DeliveryFaultKind, DeliveryResult, EndpointRow, EventRow, WebhookEventType } from "../state/rows.js";
import type { Workspace } from "../state/workspace.js";
import { SANDBOX_VERSION } from "../version.js";
import { eventDelivery } from "../api/objects.js";
import { recordAttempt, type AttemptResult } from "./outcome.js";
import { send, type DeliveryFetch, type SendResult } from "./send.js";
import { SIGNATURE_HEADER, signatureHeader } from "./sign.js";

/** The receiver's time to answer, as the service allows it. */
export const DEFAULT_TIMEOUT_MS = 5_000;
/** How long an `out_of_order` delivery waits for a later one to overtake it. */
export const HOLD_MS = 1_000;
/** How far in the past a `stale_timestamp` fault signs: twice the 5-minute tolerance receivers use. */
export const STALE_SECONDS = 600;
/** Longest a timer waits before looking again (setTimeout's own limit is about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Deliveries one worker makes before handing over to a fresh look (bounds every loop). */
const MAX_PER_DRAIN = 10_000;
/** The pause before deliveries are looked at again after a failure of the sandbox's own. */
const AFTER_FAILURE_MS = 1_000;

export interface DeliveryOptions {
  /** Where requests go out; default the global `fetch`. */
  fetch?: DeliveryFetch | undefined;
  /** Default 5000. */
  timeoutMs?: number | undefined;
  /** Post to hosts other than loopback; default false. */
  allowRemote?: boolean | undefined;
  /** Receives one entry per attempt (no secret, no body, no URL). */
  log?: ((entry: DeliveryLogEntry) => void) | undefined;
}

/** One delivery attempt, for a log. */
export interface DeliveryLogEntry {
  eventId: string;
  type: WebhookEventType;
  endpointId: string;
  /** The attempt's number (the event's `attempts` after it). */
  attempt: number;
  result: DeliveryResult;
  /** The receiver's status, when it answered. */
  status: number | null;
  ms: number;
  /** The fault this delivery carried, if any. */
  fault: DeliveryFaultKind | null;
  /** When the next attempt is due (workspace time), or null. */
  nextAttemptAt: string | null;
  /** This failure used up the schedule and disabled the endpoint. */
  disabled: boolean;
}

/** What deliveries use of the sandbox: its state and how to say it changed, its time source, where warnings go. */
export type DeliveryContext = Pick<Core, "store" | "changed" | "time" | "report">;

interface Hold {
  workspace: Workspace;
  /** Real time (ms) after which the event goes out anyway. */
  until: number;
  /** Another delivery to the endpoint went out: this one may follow. */
  released: boolean;
}

export class Deliveries {
  readonly #core: DeliveryContext;
  readonly #fetch: DeliveryFetch;
  readonly #timeoutMs: number;
  readonly #allowRemote: boolean;
  readonly #log: DeliveryOptions["log"];
  readonly #stop = new AbortController();
  /** A worker per endpoint with events due, by workspace. */
  readonly #workers = new Map<Workspace, Map<string, Promise<void>>>();
  readonly #inFlight = new Map<EventRow, Promise<void>>();
  readonly #held = new Map<EventRow, Hold>();
  /** Endpoints already warned about as a destination the sandbox will not post to, with the url warned about. */
  readonly #warned = new WeakMap<EndpointRow, string>();
  #wakeUp: NodeJS.Immediate | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(core: DeliveryContext, options: DeliveryOptions = {}) {
    this.#core = core;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#allowRemote = options.allowRemote ?? false;
    this.#log = options.log;
  }

  get #closed(): boolean {
    return this.#stop.signal.aborted;
  }

  /** Looks for due deliveries on the next turn of the event loop. */
  wake(): void {
    if (this.#closed || this.#wakeUp) return;
    this.#wakeUp = setImmediate(() => this.#look()).unref();
  }

  /**
   * A failure no caller awaits (a sandbox bug in a look or a worker): it is
   * reported and the sandbox keeps serving; deliveries are looked at again
   * after AFTER_FAILURE_MS, so a failure that repeats cannot spin.
   */
  #failed(what: string, error: unknown): void {
    (this.#core.report ?? console.error)(
      `medblocks-sandbox: ${what} failed (a sandbox bug; the sandbox keeps serving and tries again in ${AFTER_FAILURE_MS / 1000} ` +
        `s): ${(error as Error)?.stack ?? String(error)}`,
    );
    if (this.#closed) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#look(), AFTER_FAILURE_MS).unref();
  }

  /** Starts a worker for every endpoint with a delivery due; sets the timer for the earliest one not yet due. Never throws. */
  #look(): void {
    if (this.#wakeUp) clearImmediate(this.#wakeUp);
    if (this.#timer) clearTimeout(this.#timer);
    this.#wakeUp = this.#timer = undefined;
    if (this.#closed) return;
    try {
      this.#lookNow();
    } catch (error) {
      this.#failed("looking for webhook deliveries", error);
    }
  }

  #lookNow(): void {
    const realNow = Date.now();
    let earliest = Infinity;
    // Only the workspaces with an attempt planned; a copy, as starting a worker may change the set.
    for (const workspace of [...this.#core.store.withPendingEvents()]) {
      const now = workspaceNow(this.#core.time, workspace);
      const due = new Set<string>();
      for (const id of [...workspace.pendingEvents()]) {
        const event = workspace.events.get(id);
        if (!event || event.next_attempt_at === null) {
          workspace.settle(id);
          continue;
        }
        // A disabled endpoint's events wait until it is active again.
        if (workspace.webhooks.get(event.webhook_endpoint_id)?.status !== "active") continue;
        const wait = this.#waitFor(event, now, realNow);
        if (wait <= 0) due.add(event.webhook_endpoint_id);
        else earliest = Math.min(earliest, wait);
      }
      for (const endpointId of due) this.#startWorker(workspace, endpointId);
    }
    // A hold ends with its event: delivered by hand, deleted, its endpoint disabled, its workspace reset.
    for (const [event, hold] of this.#held) {
      const live =
        this.#core.store.isKept(hold.workspace) && hold.workspace.events.get(event.id) === event && event.next_attempt_at !== null;
      if (!live || hold.workspace.webhooks.get(event.webhook_endpoint_id)?.status !== "active") this.#held.delete(event);
    }
    if (earliest < Infinity) this.#timer = setTimeout(() => this.#look(), Math.min(earliest, MAX_TIMER_MS)).unref();
  }

  /** Real ms until the event may go out: its hold, else its `next_attempt_at` on the workspace's clock. */
  #waitFor(event: EventRow, now: number, realNow: number): number {
    const hold = this.#held.get(event);
    if (hold) return hold.released ? 0 : hold.until - realNow;
    return Date.parse(event.next_attempt_at!) - now;
  }

  #startWorker(workspace: Workspace, endpointId: string): void {
    let workers = this.#workers.get(workspace);
    if (!workers) this.#workers.set(workspace, (workers = new Map()));
    if (workers.has(endpointId)) return;
    const worker = this.#drain(workspace, endpointId).then(
      () => this.#workerDone(workspace, workers, endpointId, undefined),
      (error: unknown) => this.#workerDone(workspace, workers, endpointId, error),
    );
    workers.set(endpointId, worker);
  }

  #workerDone(workspace: Workspace, workers: Map<string, Promise<void>>, endpointId: string, error: unknown): void {
    workers.delete(endpointId);
    if (workers.size === 0) this.#workers.delete(workspace);
    // Whatever fell due meanwhile is found by a fresh look (after a pause when the worker failed).
    if (error === undefined) this.wake();
    else this.#failed(`delivering webhooks to endpoint ${endpointId}`, error);
  }

  /** Delivers the endpoint's due events one at a time, oldest first. */
  async #drain(workspace: Workspace, endpointId: string): Promise<void> {
    for (let made = 0; made < MAX_PER_DRAIN && !this.#closed; made++) {
      const event = this.#nextDue(workspace, endpointId);
      if (!event) return;
      await this.#deliver(workspace, event, false);
    }
  }

  #nextDue(workspace: Workspace, endpointId: string): EventRow | undefined {
    if (workspace.webhooks.get(endpointId)?.status !== "active") return undefined;
    const now = workspaceNow(this.#core.time, workspace);
    const realNow = Date.now();
    let next: EventRow | undefined;
    for (const id of workspace.pendingEvents()) {
      const event = workspace.events.get(id);
      if (!event || event.webhook_endpoint_id !== endpointId || event.next_attempt_at === null || this.#inFlight.has(event)) continue;
      if (this.#waitFor(event, now, realNow) > 0) continue;
      if (!next || event.seq < next.seq) next = event;
    }
    return next;
  }

  /**
   * Sends the event now, whatever its schedule (a redelivery), after any
   * attempt of it already in flight; the record says how it went.
   */
  async deliverNow(workspace: Workspace, event: EventRow): Promise<void> {
    await this.#deliver(workspace, event, true);
  }

  async #deliver(workspace: Workspace, event: EventRow, manual: boolean): Promise<void> {
    for (let waited = 0; waited < 2 && this.#inFlight.has(event); waited++) await this.#inFlight.get(event);
    if (this.#closed) return;
    const attempt = this.#attempt(workspace, event, manual);
    this.#inFlight.set(event, attempt);
    try {
      await attempt;
    } finally {
      if (this.#inFlight.get(event) === attempt) this.#inFlight.delete(event);
    }
  }

  async #attempt(workspace: Workspace, event: EventRow, manual: boolean): Promise<void> {
    const endpoint = workspace.webhooks.get(event.webhook_endpoint_id);
    if (!endpoint) return;
    const startedAt = workspaceNow(this.#core.time, workspace);
    const started = performance.now();
    const problem = destinationProblem(endpoint.url, this.#allowRemote);
    let fault: DeliveryFaultKind | null = null;
    let sent: SendResult;
    let signature: string | null = null;
    if (problem) {
      this.#warn(endpoint, problem);
      sent = { kind: "unreachable", status: null, body: null, error: `not sent: ${problem}` };
    } else {
      const held = this.#held.delete(event);
      // A redelivery answers its API call at once: it does not wait to be overtaken, so it leaves an `out_of_order` queued.
      if (!held) fault = takeDeliveryFault(workspace, manual ? (kind) => kind !== "out_of_order" : undefined) ?? null;
      if (fault === "out_of_order") {
        this.#held.set(event, { workspace, until: Date.now() + HOLD_MS, released: false });
        this.#core.changed(workspace);
        return;
      }
      ({ sent, signature } = await this.#post(endpoint, event, fault));
      // A delivery to this endpoint went out: what was held back behind it follows.
      for (const [other, hold] of this.#held)
        if (other.webhook_endpoint_id === endpoint.id && hold.workspace === workspace) hold.released = true;
    }
    if (sent.kind === "stopped") return;
    const delivered = sent.kind === "answered" && sent.status >= 200 && sent.status < 300;
    const result: AttemptResult = {
      result: problem ? "not_sent" : sent.kind !== "answered" ? sent.kind : delivered ? "delivered" : "failed",
      status_code: sent.status,
      error: sent.kind === "answered" ? null : sent.error,
      signature,
      response_body: sent.body,
      fault,
      redelivery: manual,
    };
    const ms = performance.now() - started;
    const { disabled } = recordAttempt(workspace, endpoint, event, result, startedAt, workspaceNow(this.#core.time, workspace), ms);
    this.#core.changed(workspace);
    this.#log?.({
      eventId: event.id,
      type: event.type,
      endpointId: endpoint.id,
      attempt: event.attempts,
      result: result.result,
      status: sent.status,
      ms,
      fault,
      nextAttemptAt: event.next_attempt_at,
      disabled,
    });
  }

  /** The signed POST, and its signature header; a `duplicate` sends the very same request again right after. */
  async #post(endpoint: EndpointRow, event: EventRow, fault: DeliveryFaultKind | null): Promise<{ sent: SendResult; signature: string }> {
    const body = JSON.stringify(eventDelivery(event));
    // `t` is when the request leaves by the system clock, not the workspace's: receivers check it against their own clock.
    const timestamp = Math.floor(Date.now() / 1000) - (fault === "stale_timestamp" ? STALE_SECONDS : 0);
    const secret = fault === "bad_signature" ? `${ID_PREFIXES.WebhookSecret}${secretText(58)}` : endpoint.secret;
    const signature = signatureHeader(secret, timestamp, body);
    const init: RequestInit = {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": `medblocks-sandbox/${SANDBOX_VERSION}`, [SIGNATURE_HEADER]: signature },
      body,
    };
    const first = await send(this.#fetch, endpoint.url, init, this.#timeoutMs, this.#stop.signal);
    if (fault === "duplicate" && first.kind !== "stopped") await send(this.#fetch, endpoint.url, init, this.#timeoutMs, this.#stop.signal);
    return { sent: first, signature };
  }

  #warn(endpoint: EndpointRow, problem: string): void {
    if (this.#warned.get(endpoint) === endpoint.url) return;
    this.#warned.set(endpoint, endpoint.url);
    (this.#core.report ?? console.error)(
      `medblocks-sandbox: webhook endpoint ${endpoint.id}: not delivering: ${problem} Its deliveries are recorded as failed attempts.`,
    );
  }

  /**
   * Resolves once nothing is in flight, held back or due now (retries
   * planned for later do not count); rejects after `timeoutMs`.
   */
  async flush(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.#look();
      const busy = [...this.#inFlight.values(), ...[...this.#workers.values()].flatMap((workers) => [...workers.values()])];
      const holds = [...this.#held.values()].map((hold) => (hold.released ? 0 : hold.until - Date.now()));
      if (busy.length === 0 && holds.length === 0) return;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`medblocks-sandbox: webhook deliveries still in flight after ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      const pause = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(1, Math.min(left, ...holds)))));
      await Promise.race([Promise.allSettled(busy), pause]);
      clearTimeout(timer);
    }
  }

  /** Waits, as long as the deliveries now due can take, for them to be attempted; never rejects. */
  async settle(): Promise<void> {
    // Per endpoint one at a time: two events, each possibly sent twice (`duplicate`), one held back.
    await this.flush(4 * this.#timeoutMs + HOLD_MS + 1_000).catch(() => {});
  }

  /** Stops: clears every timer, aborts what is in flight (unrecorded), and waits for it to end. */
  async close(): Promise<void> {
    if (!this.#closed) this.#stop.abort(new Error("the sandbox is closing"));
    if (this.#wakeUp) clearImmediate(this.#wakeUp);
    if (this.#timer) clearTimeout(this.#timer);
    this.#wakeUp = this.#timer = undefined;
    this.#held.clear();
    await Promise.allSettled([...this.#inFlight.values(), ...[...this.#workers.values()].flatMap((workers) => [...workers.values()])]);
  }
}
