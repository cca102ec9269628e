/**
 * `createSandbox()`: the whole sandbox in this process, reached through its
 * `fetch` (no socket), with the control methods beside it. Pass `sb.fetch`,
 * `sb.baseUrl` and `sb.apiKey` to the client:
 *
 *   const sb = createSandbox();
 *   const mb = new Medblocks(sb.apiKey, { baseUrl: sb.baseUrl, fetch: sb.fetch });
 */
import { checkedBaseUrl, BASE_URL_RULES } from "../../lib/urls.js";
import { unlessAborted } from "../../lib/wait.js";
import { createApp } from "./http/app.js";
import { keyList, listedKey, readyKey, sandboxKey } from "./api/keys.js";
import { checkedCompletion, workspaceControls, type CompleteResult, type TriggerResult } from "./control/operations.js";
import { createCore, type Core } from "./core.js";
import type { OutcomeName } from "./domain/outcomes.js";
import { ApiError } from "./errors.js";
import { DroppedConnection } from "./control/faults.js";
import { visitPage } from "./page/visit.js";
import type { RequestLogEntry } from "./http/reply.js";
import type { ErrorCode, OperationId, Schemas } from "./spec.js";
import type { DeliveryFaultKind, DeliveryFaultRow, FaultRow, WebhookEventType } from "./state/rows.js";
import { Store, type WorkspaceExport } from "./state/store.js";
import type { DeliveryLogEntry } from "./webhooks/deliveries.js";
import type { DeliveryFetch } from "./webhooks/send.js";

export const DEFAULT_BASE_URL = "http://sandbox.localhost";

export interface SandboxOptions {
  /**
   * Where the sandbox says it is: the origin of session `url`s, and the only
   * origin `sb.fetch` answers. Default `http://sandbox.localhost` (`.localhost`
   * is loopback by RFC 6761, so a stray request can never leave the machine).
   */
  baseUrl?: string | undefined;
  /** Seeds ids and `apiKey`: the same seed and calls give the same ids. Default: random. */
  seed?: string | undefined;
  /**
   * Take only these sandbox keys: any other is refused (401
   * `invalid_api_key`), so a mistyped key fails instead of opening an empty
   * workspace. The first is `apiKey`. Default: any `mb_sk_sbx_…` key is a
   * workspace of its own.
   */
  keys?: readonly string[] | undefined;
  /** The time source in ms since the epoch (default `Date.now`); each workspace adds its own `clock.advance` offset. */
  now?: (() => number) | undefined;
  /** Check every API response against the spec before answering; a violation becomes a 500 and is reported. Default false. */
  strict?: boolean | undefined;
  /** Receives one entry per request (never a key, a path parameter or a body). */
  log?: ((entry: RequestLogEntry) => void) | undefined;
  /** Post webhooks to any http(s) host, not only loopback (localhost, 127.0.0.0/8, [::1]). Default false. */
  allowRemoteWebhooks?: boolean | undefined;
  /** How long a receiver has to answer a delivery before the attempt counts as failed; default 5000 ms, as the service. */
  webhookTimeoutMs?: number | undefined;
  /** The `fetch` deliveries go out through; default the global `fetch`. */
  webhookFetch?: DeliveryFetch | undefined;
  /** Receives one entry per delivery attempt (never a secret, a body or a URL). */
  deliveryLog?: ((entry: DeliveryLogEntry) => void) | undefined;
  /** Where warnings go (an endpoint the sandbox will not post to, a sandbox bug); default stderr. */
  report?: ((message: string) => void) | undefined;
}

/** A fault as `injectFault` takes it: of an operation's calls, or of webhook deliveries. */
export type Fault = OperationFault | DeliveryFault;

/** The next `times` calls of `operation` answer `status`, wait `delayMs`, or `drop`. */
export interface OperationFault {
  operation: Exclude<OperationId, "api.health">;
  /** Default 1. */
  times?: number | undefined;
  /** An error status the operation declares (400, 401, 403, 404, 409, 429, 500, …). */
  status?: number | undefined;
  /** Default: the first code the spec's examples show for the status (429 → `throttled`). */
  code?: ErrorCode | undefined;
  /** `Retry-After` in seconds; a 429 always has one (default 1). */
  retryAfter?: number | undefined;
  /** Wait this long before answering (or dropping); at most 60000. */
  delayMs?: number | undefined;
  /** Lose the connection instead of answering: `sb.fetch` rejects, the server destroys the socket. */
  drop?: boolean | undefined;
}

/**
 * The next `times` webhook deliveries of the workspace go wrong: `duplicate`
 * (sent twice), `out_of_order` (held back until the next delivery to the same
 * endpoint went out, at most 1 s), `stale_timestamp` (signed 10 minutes in
 * the past), `bad_signature` (signed with another secret).
 */
export interface DeliveryFault {
  delivery: DeliveryFaultKind;
  /** Default 1. */
  times?: number | undefined;
}

export interface LaunchOptions {
  /** The EHR launching your app: `fhirsrc_` id or `fhir_base_url`. */
  connectionId: string;
  /** Your patient in context: `patient` becomes their `Patient/<id>` at that EHR. Default: no patient. */
  patientId?: string | undefined;
  encounter?: string | null | undefined;
  fhirUser?: string | null | undefined;
  /** Default `launch openid fhirUser patient/*.read`. */
  scope?: string | null | undefined;
  /** Default `ready`. */
  status?: "ready" | "pending" | undefined;
}

/** How a session completes, for `completeSession` and `visit`. */
export interface CompleteOptions {
  /**
   * How the visit to the EHR ends: `approve`, `deny`, or a failure by its
   * code (see OUTCOMES). Leave it and `connectionId` out (hosted mode) for a
   * patient who returns without connecting; required in direct mode.
   */
  outcome?: OutcomeName | undefined;
  /** The EHR (`fhirsrc_` id or `fhir_base_url`): required with an outcome in hosted mode; in direct mode, the session's own. */
  connectionId?: string | undefined;
}

/** The control methods on one workspace. */
export interface SandboxControls {
  /** The workspace's API key. */
  readonly apiKey: string;
  /** Empties the workspace: data, clock and faults. */
  reset(): void;
  readonly clock: {
    /** The workspace's time. */
    now(): Date;
    /** Moves the workspace's time forward (sessions expire, cursors age); returns the new time. */
    advance(seconds: number): Date;
  };
  /**
   * Completes an open session of this workspace, named by its `ps_` id or
   * its `url`, with what the patient's browser would do, and returns the URL
   * it lands on (without going through the page: `sb.visit` does). A session
   * of another key's workspace is refused with a 404 that says so: use
   * `sb.workspace(key).completeSession(…)`.
   */
  completeSession(idOrUrl: string, options?: CompleteOptions): string;
  injectFault(fault: Fault): void;
  /** The faults still queued: of operations, then of deliveries. */
  faults(): Fault[];
  clearFaults(): void;
  /**
   * Makes an event of `type` happen as the service would — a new patient
   * (`trigger_…`) visits an EHR with the outcome that announces it — and
   * resolves once its deliveries were attempted, with the events' records.
   */
  trigger(type: WebhookEventType): Promise<TriggerResult>;
  /** Simulates an EHR launch of your app; returns the launch context (its `id` is the `mb_launch` handle). */
  createLaunchContext(options: LaunchOptions): Schemas["LaunchContext"];
  /** The workspace as JSON-ready data. */
  exportState(): WorkspaceExport;
  /** Replaces the workspace with exported data (of this or another workspace). */
  importState(state: WorkspaceExport): void;
}

export interface Sandbox extends SandboxControls {
  /** Answers requests to `baseUrl` in this process; the client's `fetch` option takes it as it is. */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** Pass to the client as `baseUrl`. */
  readonly baseUrl: string;
  /** The controls of another key's workspace (any `mb_sk_sbx_…` key is one, or any of `keys`). */
  workspace(apiKey: string): SandboxControls;
  /**
   * Drives the hosted page at a session's `url` as the patient's browser
   * would — its HTML and forms, fetched through `sb.fetch`: the EHR picked
   * from "Suggested", else found with the search box, its sign-in answered
   * with the outcome's button, then the return — and resolves with the URL
   * the browser lands on (`return_url` with the return parameters). Options
   * as for `completeSession`. For tests of code that hands back only
   * `{ url }`; a session of any workspace (the page needs no key).
   */
  visit(url: string | URL, options?: CompleteOptions): Promise<string>;
  readonly webhooks: {
    /**
     * Resolves once no delivery is in flight, held back or due now (retries
     * planned for later do not count: advance the clock for them); rejects
     * after `timeoutMs` (default 10 000).
     */
    flush(options?: { timeoutMs?: number | undefined }): Promise<void>;
  };
  /** Stops delivering: clears every timer and aborts deliveries in flight. The sandbox still answers requests. */
  close(): Promise<void>;
}

const camel = (name: string) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const snakeKeys = (value: unknown) =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).map(([key, field]) => [snake(key), field]))
    : value;

/** An error of a control, naming the option as the caller wrote it (camelCase). */
function camelError(error: unknown): never {
  if (!(error instanceof ApiError) || error.param === null) throw error;
  const names = [...new Set(error.message.match(/`[a-z_]+`/g) ?? [])];
  const message = names.reduce((text, name) => text.replaceAll(name, camel(name)), error.message);
  throw new ApiError(error.status, error.code, message, camel(error.param), error.retryAfter);
}

/** Runs a control with camelCase options, sync or async: errors name the option as the caller wrote it. */
function inProcess<T>(run: () => T): T {
  try {
    const result = run();
    return (result instanceof Promise ? result.catch(camelError) : result) as T;
  } catch (error) {
    return camelError(error);
  }
}

const faultOf = (row: FaultRow | DeliveryFaultRow): Fault =>
  "delivery" in row ? { delivery: row.delivery, times: row.remaining } : operationFaultOf(row);

const operationFaultOf = (row: FaultRow): Fault =>
  Object.fromEntries(
    Object.entries({
      operation: row.operation,
      times: row.remaining,
      status: row.status ?? undefined,
      code: row.code ?? undefined,
      retryAfter: row.retry_after ?? undefined,
      delayMs: row.delay_ms || undefined,
      drop: row.drop || undefined,
    }).filter(([, value]) => value !== undefined),
  ) as unknown as Fault;

/** The control methods of `apiKey`'s workspace in `core`. */
export function controlsOf(core: Core, apiKey: string): SandboxControls {
  const controls = workspaceControls(core, apiKey);
  return {
    apiKey,
    reset: () => controls.reset(),
    clock: {
      now: () => new Date(controls.now()),
      advance: (seconds) => inProcess(() => new Date(controls.advance({ seconds }))),
    },
    completeSession: (id, options) =>
      inProcess(() => (controls.completeSession(id, snakeKeys(options ?? {})) as CompleteResult).return_url),
    injectFault: (fault) => void inProcess(() => controls.injectFault(snakeKeys(fault))),
    faults: () => controls.faults().map(faultOf),
    clearFaults: () => controls.clearFaults(),
    trigger: (type) => inProcess(() => controls.trigger({ type })),
    createLaunchContext: (options) => inProcess(() => controls.createLaunchContext(snakeKeys(options))),
    exportState: () => controls.exportState(),
    // The export's fields are wire names (`clock_offset_ms`), and its errors name them so.
    importState: (state) => controls.importState(state),
  };
}

/**
 * Where a base URL option is checked, by the rule of lib/urls.ts: an
 * absolute http(s) origin, optionally with a path, without credentials.
 */
export function checkBaseUrl(baseUrl: string, option: string): string {
  const { baseUrl: trimmed, problem } = checkedBaseUrl(baseUrl);
  if (problem) throw new ApiError(400, "invalid_data", `\`${option}\` must be ${BASE_URL_RULES[problem]}.`, option);
  return trimmed;
}

/** Where a webhook timeout option is checked: a whole number of ms, 1 to 60000. */
export function checkTimeout(timeoutMs: number | undefined, option = "webhookTimeoutMs"): number | undefined {
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs >= 1 && timeoutMs <= 60_000)) {
    throw new ApiError(400, "invalid_data", `\`${option}\` must be a whole number of milliseconds from 1 to 60000.`, option);
  }
  return timeoutMs;
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const baseUrl = checkBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL, "baseUrl");
  const keys = options.keys === undefined ? undefined : keyList(options.keys, "keys");
  const store = new Store(options.seed);
  const core: Core = createCore(
    { store, time: options.now ?? Date.now, baseUrl, strict: options.strict ?? false, log: options.log, report: options.report, keys },
    {
      allowRemote: options.allowRemoteWebhooks,
      timeoutMs: checkTimeout(options.webhookTimeoutMs),
      fetch: options.webhookFetch,
      log: options.deliveryLog,
    },
  );
  const app = createApp(core);
  const origin = new URL(baseUrl).origin;
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    if (new URL(request.url).origin !== origin) {
      throw new TypeError(`sandbox fetch: this sandbox answers ${origin} only, not ${new URL(request.url).origin}`);
    }
    // As `fetch` does: an aborted request is never sent, and an abort rejects the call at once, whatever the sandbox is doing.
    request.signal.throwIfAborted();
    try {
      return await unlessAborted(Promise.resolve(app.fetch(request)), request.signal);
    } catch (error) {
      // What a lost connection looks like to a fetch caller: undici's TypeError with the socket error as its cause.
      if (error instanceof DroppedConnection)
        throw new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "ECONNRESET" }) });
      throw error;
    }
  };
  const apiKey = readyKey(store.seed, keys);
  return {
    ...controlsOf(core, apiKey),
    fetch,
    baseUrl,
    workspace: (key) => controlsOf(core, listedKey(sandboxKey(`Bearer ${key}`), keys)),
    visit: (url, options) => inProcess(async () => visitPage(fetch, baseUrl, String(url), checkedCompletion(snakeKeys(options ?? {})))),
    webhooks: { flush: (flushOptions) => core.deliveries.flush(flushOptions?.timeoutMs) },
    close: () => core.deliveries.close(),
  };
}
