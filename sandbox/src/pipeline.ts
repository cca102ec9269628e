/**
 * What happens to every request, in order: a request id; the API key and its
 * workspace; the `Version` header; an injected fault, if one is queued; the
 * path, query and body against the spec; the handler. Every answer — value
 * or error — carries `X-Request-Id` (repeated as `error.request_id`) and
 * `X-Medblocks-Sandbox`, and under `strict` is checked against the spec
 * before it leaves.
 */
import { randomUUID } from "node:crypto";
import { Activity } from "./activity.js";
import { keyHint, listedKey, sandboxKey, type KeyList } from "./auth.js";
import { iso, workspaceNow, type TimeSource } from "./clock.js";
import { ApiError } from "./errors.js";
import { readUpTo } from "../../lib/read-body.js";
import { delay } from "../../lib/wait.js";
import { DroppedConnection, faultError, takeFault } from "./faults.js";
import { handlers } from "./handlers/index.js";
import { docUrl } from "./reference.js";
import { API_VERSION, documentedAnswer, operations, type OperationId } from "./spec.js";
import type { Store } from "./state/store.js";
import { Deliveries, type DeliveryOptions } from "./webhooks/deliveries.js";
import { checkPath, checkVersion, MAX_BODY_BYTES, parseBody, parseQuery, takesBody, takesVersion } from "./validation/requests.js";
import { responseViolations } from "./validation/responses.js";
import { SANDBOX_VERSION } from "./version.js";

/** One line of the request log: no key, no path parameter, no body (they can hold patient data). */
export interface RequestLogEntry {
  method: string;
  /** The route's template, e.g. `/patients/{id}`. */
  route: string;
  status: number;
  ms: number;
  requestId: string;
  /** Why no answer was sent: a fault dropped the connection, or the caller went away. */
  note?: string;
  /**
   * On the first request with a key that has no workspace yet (a new key, or
   * a mistyped one): the key's last 4 characters, as a dashboard shows a key.
   */
  newKey?: string;
}

/** What every request is handled with: the state, the time source, where the sandbox is reached. */
export interface Core {
  store: Store;
  time: TimeSource;
  /** The public base URL, without a trailing slash. */
  baseUrl: string;
  /** Check every API response against the spec before sending it; a violation is answered 500 and logged. */
  strict: boolean;
  log?: ((entry: RequestLogEntry) => void) | undefined;
  /** Where sandbox warnings and failures (bugs) are reported; default stderr. */
  report?: ((message: string) => void) | undefined;
  /** Sends the workspaces' webhook events; woken after every change. */
  deliveries: Deliveries;
  /** The only keys taken, when the sandbox was started with a list (`--keys`, `keys`); any sandbox key otherwise. */
  keys?: KeyList | undefined;
  /** The request logs and hosted-page visits the dashboard shows (in memory). */
  activity: Activity;
}

/** A core with its webhook deliveries and its activity log. */
export function createCore(fields: Omit<Core, "deliveries" | "activity">, delivery: DeliveryOptions = {}): Core {
  return Object.assign(fields, { deliveries: new Deliveries(fields, delivery), activity: new Activity(fields) });
}

interface Answer {
  status: number;
  body: unknown;
  retryAfter?: number | null;
}

const JSON_TYPE = "application/json; charset=utf-8";

/** Requests whose key was used for the first time, with the key's hint for their log line. */
const newKeys = new WeakMap<Request, string>();

/** The request's API key, checked (a sandbox key; one of the list, when the sandbox has one); its first use is noted on the log. */
export function requestKey(core: Core, request: Request): string {
  const key = listedKey(sandboxKey(request.headers.get("authorization")), core.keys);
  if (core.store.firstUse(key)) newKeys.set(request, keyHint(key));
  return key;
}

/**
 * The request body as text: 413 `payload_too_large` past `limit` bytes (an
 * API call's, unless given). The bytes are counted as they arrive, so a
 * body without `Content-Length` (chunked) is refused at the limit, not read
 * whole first; the server then drains a little of the rest and hangs up.
 */
export async function readBody(request: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const tooLarge = () => new ApiError(413, "payload_too_large", `The request body is larger than the sandbox reads here (${limit} bytes).`);
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared)) {
    if (Number(declared) > limit) throw tooLarge();
    // HTTP framing holds a body to its declared length, so it can be read whole: over a socket
    // `text()` is @hono/node-server's fast path, where the reader below costs a web stream per request.
    const text = await request.text();
    if (Buffer.byteLength(text) > limit) throw tooLarge();
    return text;
  }
  // Without one (chunked, say) the bytes are counted as they come, and the read stops at the limit.
  const { bytes, complete } = await readUpTo(request.body, limit);
  if (!complete) throw tooLarge();
  return new TextDecoder().decode(bytes);
}

/** Runs `run` and turns its value or error into the response; logs one line. */
export async function respond(
  core: Core,
  request: Request,
  route: string,
  operationId: OperationId | undefined,
  run: () => Promise<unknown> | unknown,
): Promise<Response> {
  const started = performance.now();
  const requestId = randomUUID();
  const log = (status: number, note?: string) => {
    const newKey = newKeys.get(request);
    const entry: RequestLogEntry = { method: request.method, route, status, ms: performance.now() - started, requestId, ...(note ? { note } : {}), ...(newKey ? { newKey } : {}) };
    core.log?.(entry);
    core.activity.request(request, entry);
  };
  let answer: Answer;
  try {
    answer = { status: 200, body: await run() };
    if (request.method !== "GET") core.deliveries.wake();
  } catch (error) {
    if (error instanceof DroppedConnection || request.signal.aborted) {
      log(0, error instanceof DroppedConnection ? "connection dropped (injected fault)" : "the caller went away");
      throw error;
    }
    answer = errorAnswer(core, error, requestId);
  }
  const headers: Record<string, string> = { "content-type": JSON_TYPE, "x-request-id": requestId, "x-medblocks-sandbox": SANDBOX_VERSION };
  if (answer.retryAfter != null) headers["retry-after"] = String(answer.retryAfter);
  if (core.strict && operationId) {
    const problems = responseViolations(operationId, answer.status, new Headers(headers), answer.body);
    if (problems.length > 0) {
      (core.report ?? console.error)(`medblocks-sandbox: --strict: the ${answer.status} answer to ${operationId} breaks the spec: ${problems.join("; ")}`);
      answer = errorAnswer(core, new ApiError(500, "internal_error", "The sandbox's answer broke the spec (--strict); its log says how."), requestId);
      delete headers["retry-after"];
    }
  }
  let text: string;
  try {
    text = JSON.stringify(answer.body);
  } catch (error) {
    // An answer that cannot be written (a sandbox bug) is a 500 in the envelope, not a broken connection.
    answer = errorAnswer(core, error, requestId);
    delete headers["retry-after"];
    text = JSON.stringify(answer.body);
  }
  log(answer.status);
  return new Response(text, { status: answer.status, headers });
}

function errorAnswer(core: Core, error: unknown, requestId: string): Answer {
  if (!(error instanceof ApiError)) {
    (core.report ?? console.error)(`medblocks-sandbox: request ${requestId} failed: ${(error as Error)?.stack ?? String(error)}`);
    error = new ApiError(500, "internal_error", `The sandbox failed on this request (a sandbox bug); its log has the details under request id ${requestId}.`);
  }
  const apiError = error as ApiError;
  return { status: apiError.status, body: apiError.envelope(requestId, docUrl(core.baseUrl, apiError.code)), retryAfter: apiError.retryAfter };
}

/** `/health`: no key needed; with a sandbox key, `server_time` is that workspace's clock. */
function health(core: Core, request: Request): unknown {
  let now = core.time();
  try {
    const workspace = core.store.existingWorkspace(sandboxKey(request.headers.get("authorization")));
    if (workspace) now = workspaceNow(core.time, workspace);
  } catch {
    // no usable key: the health check does not need one
  }
  return { ok: true, server_time: iso(now) };
}

async function operate(core: Core, operationId: Exclude<OperationId, "api.health">, request: Request, path: Record<string, string>) {
  const key = requestKey(core, request);
  let workspace = core.store.workspace(key);
  const version = request.headers.get("version");
  if (version !== null && takesVersion(operationId)) {
    checkVersion(operationId, version);
    if (version !== API_VERSION) {
      throw new ApiError(400, "unsupported_api_version", `\`Version\` is not a version the sandbox supports: it speaks ${API_VERSION}.`, "Version");
    }
  }
  const fault = takeFault(workspace, operationId);
  if (fault) {
    core.store.changed(workspace);
    if (fault.delay_ms > 0) await delay(fault.delay_ms, request.signal);
    if (fault.drop) throw new DroppedConnection();
    if (fault.status !== null) throw faultError(fault);
  }
  checkPath(operationId, path);
  const query = parseQuery(operationId, new URL(request.url).searchParams);
  const body = takesBody(operationId) ? parseBody(operationId, await readBody(request)) : undefined;
  const handler = handlers[operationId];
  const changes = request.method !== "GET";
  // Looked up again after the awaits: from here to `changed` nothing awaits, so no other request can come between.
  workspace = core.store.workspace(key);
  if (changes) core.store.checkRoom(workspace);
  const result = handler
    ? handler({
        workspace,
        now: workspaceNow(core.time, workspace),
        path,
        query,
        body,
        version: version ?? API_VERSION,
        baseUrl: core.baseUrl,
        deliveries: core.deliveries,
      })
    : documentedAnswer(operationId);
  if (changes) core.store.changed(workspace);
  const value = await result;
  // What a handler that awaited (a redelivery) changed meanwhile.
  if (changes) core.store.changed(workspace);
  return value;
}

/** Answers one call of an operation of the spec; `path` holds its decoded path parameters. */
export function handleOperation(core: Core, operationId: OperationId, request: Request, path: Record<string, string>): Promise<Response> {
  const route = operations[operationId].path;
  return respond(core, request, route, operationId, () =>
    operationId === "api.health" ? health(core, request) : operate(core, operationId, request, path),
  );
}
