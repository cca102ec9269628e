/**
 * What happens to every API and control request, in order: the API key and
 * its workspace; the `Version` header; an injected fault, if one is queued;
 * the path, query and body against the spec; the handler. Every answer —
 * value or error — is JSON, sent by reply.ts (which gives it its request id,
 * repeated here as `error.request_id`), and under `strict` is checked
 * against the spec before it leaves.
 */
import { keyHint, listedKey, sandboxKey } from "../api/keys.js";
import { iso, workspaceNow } from "../domain/clock.js";
import type { Core } from "../core.js";
import { ApiError } from "../errors.js";
import { readUpTo } from "../../../lib/read-body.js";
import { delay } from "../../../lib/wait.js";
import { DroppedConnection, faultError, takeFault } from "../control/faults.js";
import { handlers } from "../api/operations.js";
import { docUrl } from "./reference.js";
import { noteNewKey, reply, sandboxHeaders, type Reply } from "./reply.js";
import { API_VERSION, documentedAnswer, operations, type OperationId } from "../spec.js";
import { checkPath, checkVersion, MAX_BODY_BYTES, parseBody, parseQuery, takesBody, takesVersion } from "../validation/requests.js";
import { responseViolations } from "../validation/responses.js";

interface Answer {
  status: number;
  body: unknown;
  retryAfter?: number | null;
}

const JSON_TYPE = "application/json; charset=utf-8";

/** The request's API key, checked (a sandbox key; one of the list, when the sandbox has one); its first use is noted on the log. */
export function requestKey(core: Core, request: Request): string {
  const key = listedKey(sandboxKey(request.headers.get("authorization")), core.keys);
  if (core.store.firstUse(key)) noteNewKey(request, keyHint(key));
  return key;
}

const decoder = new TextDecoder();

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
  return decoder.decode(bytes);
}

/** Runs `run` and turns its value or error into the API's JSON answer (reply.ts sends it and logs it). */
export function respond(
  core: Core,
  request: Request,
  route: string,
  operationId: OperationId | undefined,
  run: () => Promise<unknown> | unknown,
): Promise<Response> {
  const make = async (requestId: string): Promise<Reply> => {
    let answer: Answer;
    try {
      answer = { status: 200, body: await run() };
    } catch (error) {
      if (error instanceof DroppedConnection || request.signal.aborted) throw error;
      answer = errorAnswer(core, error, requestId);
    }
    const headers: Record<string, string> = { "content-type": JSON_TYPE };
    if (answer.retryAfter != null) headers["retry-after"] = String(answer.retryAfter);
    if (core.strict && operationId) {
      const problems = responseViolations(
        operationId,
        answer.status,
        new Headers({ ...headers, ...sandboxHeaders(requestId) }),
        answer.body,
      );
      if (problems.length > 0) {
        (core.report ?? console.error)(
          `medblocks-sandbox: --strict: the ${answer.status} answer to ${operationId} breaks the spec: ${problems.join("; ")}`,
        );
        answer = errorAnswer(
          core,
          new ApiError(500, "internal_error", "The sandbox's answer broke the spec (--strict); its log says how."),
          requestId,
        );
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
    return { status: answer.status, headers, body: text };
  };
  return reply(core, request, route, make, (entry) => core.activity.request(request, entry));
}

function errorAnswer(core: Core, error: unknown, requestId: string): Answer {
  if (!(error instanceof ApiError)) {
    (core.report ?? console.error)(`medblocks-sandbox: request ${requestId} failed: ${(error as Error)?.stack ?? String(error)}`);
    error = new ApiError(
      500,
      "internal_error",
      `The sandbox failed on this request (a sandbox bug); its log has the details under request id ${requestId}.`,
    );
  }
  const apiError = error as ApiError;
  return {
    status: apiError.status,
    body: apiError.envelope(requestId, docUrl(core.baseUrl, apiError.code)),
    retryAfter: apiError.retryAfter,
  };
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
      throw new ApiError(
        400,
        "unsupported_api_version",
        `\`Version\` is not a version the sandbox supports: it speaks ${API_VERSION}.`,
        "Version",
      );
    }
  }
  const fault = takeFault(workspace, operationId);
  if (fault) {
    core.changed(workspace);
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
  if (changes) core.changed(workspace);
  if (!(result instanceof Promise)) return result;
  try {
    return await result;
  } finally {
    // What a handler that awaited (a redelivery) changed meanwhile, or took back when it failed.
    if (changes) core.changed(workspace);
  }
}

/** Answers one call of an operation of the spec; `path` holds its decoded path parameters. */
export function handleOperation(core: Core, operationId: OperationId, request: Request, path: Record<string, string>): Promise<Response> {
  const route = operations[operationId].path;
  return respond(core, request, route, operationId, () =>
    operationId === "api.health" ? health(core, request) : operate(core, operationId, request, path),
  );
}
