/**
 * The request pipeline under every resource method: validation, headers,
 * timeouts, retries, body limits, logging, and turning answers into data or
 * a MedblocksError. openapi-fetch's own serializers build each URL (the
 * spec's path encoding and form-style query); this file sends it with
 * `fetch` and decides what happens around each attempt.
 */
import { createFinalURL, createQuerySerializer, defaultPathSerializer } from "openapi-fetch";
import type { operations as Operations } from "../generated/api.js";
import { operations } from "../generated/schemas.js";
import { APIPromise, type WithResponse } from "./api-promise.js";
import { errorFromResponse, isMedblocksError, MedblocksConnectionError, type ConnectionFailure, MedblocksError, unexpectedResponse } from "./errors.js";
import { checkOptions, REQUEST_RULES, type RequestOptions } from "./options.js";
import type { Undefinable } from "./undefinable.js";
import { validateRequest, type OperationId } from "./validation.js";
import { VERSION } from "./version.js";

/** One line of debug logging: never a secret, a body, or a path value. */
export interface MedblocksLogEntry {
  /** The client method, e.g. `mb.patients.retrieve`. */
  operation: string;
  method: string;
  /** The path template, e.g. `/patients/{id}`: path values can be patient identifiers. */
  path: string;
  /** HTTP status, or null when no response arrived. */
  status: number | null;
  requestId: string | null;
  attempt: number;
  durationMs: number;
  /** The error code when the attempt failed. */
  code: string | null;
}

export type MedblocksLogger = (entry: MedblocksLogEntry) => void;

export interface TransportConfig {
  apiKey: string;
  baseUrl: string;
  version: string;
  timeout: number;
  maxNetworkRetries: number;
  /** Seconds one call may sleep between attempts, in total. */
  maxRetryWait: number;
  maxResponseBytes: number;
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  logger: MedblocksLogger | undefined;
}

/** A response body passed the size limit; never retried. */
class ResponseTooLarge extends Error {}

const decoder = /* @__PURE__ */ new TextDecoder();

/**
 * The body of `response` as text, at most `maxBytes` of it. A declared length
 * says at once (when no content coding can expand it); otherwise the chunks
 * are counted as they arrive and the body is cancelled past the limit, so
 * nothing larger is ever buffered: a body without a length, a compressed one
 * that expands, one whose length lies. Read from the body's own reader and
 * decoded once, as `text()` would (a BOM dropped, bad bytes replaced): no
 * second stream or `Response` per call, and the caller's `Response` stays
 * the one `fetch` gave.
 */
async function readText(response: Response, maxBytes: number): Promise<string> {
  const body = response.body;
  if (!body) return "";
  const length = response.headers.get("content-length");
  if (length !== null && /^\d+$/.test(length) && Number(length) > maxBytes && (response.headers.get("content-encoding") ?? "identity") === "identity") {
    void body.cancel().catch(() => {});
    throw new ResponseTooLarge();
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => {});
      throw new ResponseTooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decoder.decode(bytes);
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 8_000;
/**
 * What says no connection was made, so the request never left: Node's and
 * Bun's error `code`s; Deno's message for the same failures (its fetch
 * errors carry no code); and a port fetch refuses to use ("bad port" in
 * Node, "are blocked" in Deno).
 */
const NOT_SENT = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|UND_ERR_CONNECT_TIMEOUT)$|client error \(Connect\)|^bad port$|are blocked/;

/** Exponential backoff with equal jitter: attempt 1 waits 250–500 ms, then doubling, capped. */
export function backoffMs(retry: number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retry - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Whether `error` (or a cause or inner error of it) says no connection was made. */
function neverConnected(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 4) return false;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  return (
    (typeof code === "string" && NOT_SENT.test(code)) ||
    (typeof message === "string" && NOT_SENT.test(message)) ||
    (Array.isArray(errors) && errors.some((inner) => neverConnected(inner, depth + 1))) ||
    neverConnected(cause, depth + 1)
  );
}

/**
 * The runtime's error with every mention of `url` replaced by its template,
 * keeping its message, `code` and cause: Deno's and Bun's fetch errors name
 * the URL, whose path values can be patient identifiers.
 */
function scrubbed(error: unknown, url: string, template: string, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 4) return undefined;
  const copy: Error & { code?: unknown } = new Error(error.message.split(url).join(template), { cause: scrubbed(error.cause, url, template, depth + 1) });
  copy.code = (error as { code?: unknown }).code;
  return copy;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** What a successful call of the operation returns, as the spec describes it. */
export type OperationResult<K extends OperationId> = Operations[K]["responses"][200]["content"]["application/json"];

/** The operation's path parameters, query and JSON body, as the spec describes them (a field left out may be `undefined`). */
export type OperationParts<K extends OperationId> = {
  path?: Operations[K]["parameters"]["path"];
  query?: Undefinable<Operations[K]["parameters"]["query"]>;
  body?: Operations[K] extends { requestBody?: { content: { "application/json": infer Body } } } ? Undefinable<Body> | undefined : never;
};

export interface Transport {
  /**
   * Validates `parts` against the operation's rules, then sends them through
   * openapi-fetch to the operation's method and path, with retries. Starts
   * at once; the APIPromise resolves to the data.
   */
  request<K extends OperationId>(operationId: K, label: string, parts: OperationParts<K>, options: RequestOptions | undefined): APIPromise<OperationResult<K>>;
}

/** openapi-fetch's default query serializer (form style, arrays exploded), made once. */
const querySerializer = /* @__PURE__ */ createQuerySerializer();

export function createTransport(config: TransportConfig): Transport {
  const authorization = `Bearer ${config.apiKey}`;
  const userAgent = `medblocks-client/${VERSION}`;

  /**
   * Whether `url` answers with a redirect, asked with a HEAD (no body, nothing
   * acted on) in `redirect: "manual"` mode: the status of the redirect, or
   * null. Asked only when a request with a body failed with no response in a
   * way that is not a refused connection — the way a redirect fails in
   * `redirect: "error"` mode, whatever the runtime's message says.
   */
  async function redirectOf(url: string, headers: Record<string, string>, timeout: number): Promise<number | null> {
    try {
      const probe = await config.fetch(url, { method: "HEAD", headers, body: null, redirect: "manual", signal: AbortSignal.timeout(timeout) });
      void probe.body?.cancel().catch(() => {});
      return isRedirect(probe) ? probe.status : null;
    } catch {
      return null;
    }
  }

  /** The logger must never change a call's outcome: what it throws, or an async logger rejects with, is dropped. */
  function log(entry: MedblocksLogEntry): void {
    try {
      (config.logger!(entry) as unknown as PromiseLike<void> | undefined)?.then?.(undefined, () => {});
    } catch {
      // A broken logger loses its line, never the call's result.
    }
  }

  async function send<K extends OperationId>(
    operationId: K,
    label: string,
    parts: OperationParts<K>,
    options: RequestOptions | undefined,
  ): Promise<WithResponse<OperationResult<K>>> {
    const rules = operations[operationId];
    if (options !== undefined) checkOptions(label, options, REQUEST_RULES);
    const version = options?.version;
    validateRequest(operationId, label, version === undefined ? parts : { ...parts, header: { Version: version } });
    const url = createFinalURL(rules.path, {
      baseUrl: config.baseUrl,
      // Only a path with parameters goes through the path serializer.
      params: parts.path ? { path: parts.path, query: parts.query ?? {} } : { query: parts.query ?? {} },
      querySerializer,
      pathSerializer: defaultPathSerializer,
    });
    // Serialized once, so every retry re-sends the identical bytes.
    let body: string | undefined;
    try {
      body = parts.body === undefined ? undefined : JSON.stringify(parts.body);
    } catch {
      throw new MedblocksError({
        type: "invalid_request_error",
        code: "invalid_data",
        message: `${label}: the request body cannot be written as JSON (does it hold a BigInt or a circular reference?)`,
      });
    }
    // A literal, not a spread of shared defaults: V8 takes a slow path (about half a
    // microsecond) for each property added to an object a spread made.
    let headers: Record<string, string> = {
      Authorization: options?.apiKey === undefined ? authorization : `Bearer ${options.apiKey}`,
      Accept: "application/json",
      "User-Agent": userAgent,
    };
    // A spread, not Object.assign: a header named `__proto__` is sent, not taken for the prototype.
    if (options?.headers !== undefined) headers = { ...headers, ...options.headers };
    // /health takes no Version; every other operation gets the call's or the client's.
    if ("Version" in rules.params) headers.Version = version ?? config.version;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const timeout = options?.timeout ?? config.timeout;
    const maxRetries = options?.maxNetworkRetries ?? config.maxNetworkRetries;
    const maxWaitMs = (options?.maxRetryWait ?? config.maxRetryWait) * 1000;
    const maxBytes = options?.maxResponseBytes ?? config.maxResponseBytes;
    const userSignal = options?.signal;
    const isPost = rules.method === "POST";
    const template = config.baseUrl + rules.path;
    const where = `${rules.method} ${template}`;
    const started = Date.now();
    let waitedMs = 0;

    for (let attempt = 1; ; attempt++) {
      const attemptStarted = config.logger ? Date.now() : 0;
      const controller = new AbortController();
      // Settles only by rejecting, when the attempt times out or is aborted: raced with the fetch
      // and the body, it bounds the attempt even with a `fetch` that ignores its signal.
      let stop!: () => void;
      const stopped = new Promise<never>((_, reject) => (stop = reject));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
        stop();
      }, timeout);
      const onAbort = () => {
        controller.abort();
        stop();
      };
      userSignal?.addEventListener("abort", onAbort, { once: true });

      let response: Response | undefined;
      let failure: MedblocksError | undefined;
      let retryable = false;
      let result: WithResponse<OperationResult<K>> | undefined;
      try {
        if (userSignal?.aborted) controller.abort();
        // This API never redirects: a redirect is a wrong `baseUrl`, recognised by the response's
        // status. Without a body, `redirect: "manual"` hands it back as a response. With one, the
        // Fetch standard would clone the body for every request in that mode (a tenth of a call),
        // so `redirect: "error"` with no window, the one combination sent without a clone, and
        // a failure that could be a redirect is asked about afterwards (`redirectOf`).
        response = await Promise.race([
          config.fetch(
            url,
            body === undefined
              ? { method: rules.method, headers, body: null, signal: controller.signal, redirect: "manual" }
              : { method: rules.method, headers, body, signal: controller.signal, redirect: "error", window: null },
          ),
          stopped,
        ]);
        const status = response.status;
        if (isRedirect(response)) {
          void response.body?.cancel().catch(() => {});
          failure = redirected(label, where, status);
        } else {
          const text = await Promise.race([readText(response, maxBytes), stopped]);
          let data: unknown;
          try {
            data = text ? JSON.parse(text) : undefined;
          } catch {
            // described below, never printed
          }
          if (!response.ok) {
            failure = errorFromResponse(response, data ?? text, label, where);
            // A POST has no idempotency key: retry it only when the server says it did not act.
            retryable = RETRYABLE_STATUS.has(status) && (!isPost || status === 429 || (status === 503 && failure.retryAfter !== null));
          } else if (data === undefined) failure = errorFromResponse(response, text, label, where);
          else if (typeof data !== "object" || data === null || Array.isArray(data)) {
            failure = unexpectedResponse(label, "Medblocks answered a success with JSON that is not an object", status);
          } else result = { data: data as OperationResult<K>, response, requestId: response.headers.get("x-request-id") };
        }
      } catch (thrown) {
        if (isMedblocksError(thrown)) failure = thrown;
        else if (thrown instanceof ResponseTooLarge) {
          failure = unexpectedResponse(label, `the response to ${where} is larger than \`maxResponseBytes\` (${maxBytes} bytes); stopped reading it`, response?.status);
        } else {
          const reason: ConnectionFailure = userSignal?.aborted
            ? "aborted"
            : timedOut
              ? "timeout"
              : response === undefined && neverConnected(thrown)
                ? "connect_failed"
                : "connection_lost";
          const redirect = reason === "connection_lost" && response === undefined && body !== undefined ? await redirectOf(url, headers, timeout) : null;
          if (redirect !== null) failure = redirected(label, where, redirect);
          else {
            failure = connectionError(reason, label, where, { attempt, maxRetries, started, timeout, response, cause: scrubbed(thrown, url, template) });
            retryable = reason === "connect_failed" || (!isPost && (reason === "timeout" || reason === "connection_lost"));
          }
        }
      } finally {
        clearTimeout(timer);
        userSignal?.removeEventListener("abort", onAbort);
      }
      if (config.logger) {
        log({
          operation: label,
          method: rules.method,
          path: rules.path,
          status: response?.status ?? null,
          requestId: response?.headers.get("x-request-id") ?? failure?.requestId ?? null,
          attempt,
          durationMs: Date.now() - attemptStarted,
          code: failure?.code ?? null,
        });
      }
      if (result) return result;
      const waitMs = failure!.retryAfter !== null ? failure!.retryAfter * 1000 : backoffMs(attempt);
      if (!retryable || attempt > maxRetries || waitedMs + waitMs > maxWaitMs) throw failure;
      waitedMs += waitMs;
      if (!(await sleep(waitMs, userSignal))) {
        throw connectionError("aborted", label, where, { attempt, maxRetries, started, timeout, response, cause: userSignal?.reason });
      }
    }
  }

  return {
    request: (operationId, label, parts, options) => new APIPromise(send(operationId, label, parts, options)),
  };
}

/** A redirect, as `redirect: "manual"` hands it back: opaque in a browser, its own status elsewhere. */
const isRedirect = (response: Response) => response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400);

const redirected = (label: string, where: string, status: number) =>
  unexpectedResponse(label, `the server answered ${where} with a redirect, which the Medblocks API never sends; check \`baseUrl\``, status);

function connectionError(
  reason: ConnectionFailure,
  label: string,
  where: string,
  context: { attempt: number; maxRetries: number; started: number; timeout: number; response: Response | undefined; cause: unknown },
): MedblocksConnectionError {
  const elapsedMs = Date.now() - context.started;
  const what = {
    timeout: `timed out after ${context.timeout} ms`,
    aborted: "was aborted by the caller",
    connect_failed: "could not connect",
    connection_lost: context.response
      ? `lost the connection while reading the ${context.response.status} response`
      : "lost the connection before a response arrived",
  }[reason];
  return new MedblocksConnectionError(
    reason,
    `${label}: ${what} on attempt ${context.attempt} of ${context.maxRetries + 1}, ${elapsedMs} ms after the call started (${where})`,
    { elapsedMs, attempt: context.attempt, cause: context.cause },
  );
}
