/**
 * The request pipeline under every resource method: validation, headers,
 * timeouts, retries, logging, and turning answers into data or a
 * MedblocksError. openapi-fetch builds the URL, query and body; this file
 * decides what happens around each attempt.
 */
import createClient, { createQuerySerializer } from "openapi-fetch";
import type { operations as Operations, paths } from "../generated/api.js";
import { operations } from "../generated/schemas.js";
import { errorFromResponse, isMedblocksError, MedblocksConnectionError, type ConnectionFailure, MedblocksError } from "./errors.js";
import { validateRequest, type OperationId } from "./validation.js";

/** Options every resource method takes as its last argument. */
export interface RequestOptions {
  /** Aborts the call (and any retry wait). */
  signal?: AbortSignal;
  /** Milliseconds each attempt may take, response body included. */
  timeout?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** `Version` for this call, `YYYY-MM-DD`. */
  version?: string;
  /** Retries for this call (see the README's retry table). */
  maxNetworkRetries?: number;
}

/** One line of debug logging: never a secret, never a body. */
export interface MedblocksLogEntry {
  method: string;
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
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  logger: MedblocksLogger | undefined;
}

/** Per-attempt state the custom fetch fills in (what it sent, what came back). */
interface Attempt {
  url?: string;
  response?: Response;
}

/**
 * What openapi-fetch constructs per call instead of a `Request`: a plain
 * holder of what `fetch(url, init)` needs. Building a real `Request` (which
 * `fetch` then takes apart again) was the largest per-call cost; the next
 * was `fetch` cloning every request body to be able to follow redirects.
 * This API never redirects, so `redirect: "error"` with `window: null`
 * (the one combination the Fetch standard sends without a clone) costs
 * nothing and saves about a fifth of a call. Fixed fields, not a copy of
 * `init`: one object shape for every call keeps the `fetch` call fast.
 */
class WireRequest {
  readonly redirect = "error";
  readonly window = null;
  readonly method: string;
  readonly headers: RequestInit["headers"];
  readonly body: RequestInit["body"];
  readonly signal: AbortSignal | null | undefined;
  readonly attempt: Attempt;
  constructor(
    readonly url: string,
    init: RequestInit & { attempt: Attempt },
  ) {
    this.method = init.method!;
    this.headers = init.headers;
    this.body = init.body;
    this.signal = init.signal;
    this.attempt = init.attempt;
  }
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** Waits longer than this are not slept through: the 429/503 is surfaced with `retryAfter`. */
export const MAX_RETRY_AFTER_MS = 30_000;
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

/** One debug line per attempt: the path without its query, never a body or a header. */
function logAttempt(
  logger: MedblocksLogger,
  method: string,
  state: Attempt,
  attempt: number,
  started: number,
  status: number | null,
  code: string | null,
  requestId: string | null,
): void {
  logger({ method, path: state.url ? new URL(state.url).pathname : "", status, requestId, attempt, durationMs: Date.now() - started, code });
}

/** What a successful call of the operation returns, as the spec describes it. */
export type OperationResult<K extends OperationId> = Operations[K]["responses"][200]["content"]["application/json"];

/** The operation's path parameters, query and JSON body, as the spec describes them. */
export type OperationParts<K extends OperationId> = {
  path?: Operations[K]["parameters"]["path"];
  query?: Operations[K]["parameters"]["query"];
  body?: Operations[K] extends { requestBody?: { content: { "application/json": infer Body } } } ? Body : never;
};

export interface Transport {
  /**
   * Validates `parts` against the operation's rules, then sends them through
   * openapi-fetch to the operation's method and path, with retries.
   */
  request<K extends OperationId>(operationId: K, label: string, parts: OperationParts<K>, options: RequestOptions | undefined): Promise<OperationResult<K>>;
}

export function createTransport(config: TransportConfig): Transport {
  // Every operation goes through openapi-fetch's one generic `request`, with
  // the method and path the spec gives it; `request` below is typed by
  // operationId instead (OperationParts in, OperationResult out).
  const api: { request(method: string, path: string, init: object): Promise<{ data?: unknown; error?: unknown; response: Response }> } =
    createClient<paths>({
      baseUrl: config.baseUrl,
      headers: { Authorization: `Bearer ${config.apiKey}`, Accept: "application/json", Version: config.version },
      Request: WireRequest as unknown as typeof Request,
      // openapi-fetch's own default serializer, made once instead of on every call.
      querySerializer: createQuerySerializer(),
      fetch: ((request: WireRequest) => {
        request.attempt.url = request.url;
        return config.fetch(request.url, request as RequestInit).then((response) => (request.attempt.response = response));
      }) as unknown as typeof fetch,
    }) as never;

  async function request<K extends OperationId>(
    operationId: K,
    label: string,
    parts: OperationParts<K>,
    options: RequestOptions | undefined,
  ): Promise<OperationResult<K>> {
    const rules = operations[operationId];
    const version = options?.version;
    validateRequest(operationId, label, version === undefined ? parts : { ...parts, header: { Version: version } });
    // Version is a default header: a call may override it, and /health, which takes none, removes it.
    const versioned = "Version" in rules.params;
    const headers =
      versioned && version === undefined && !options?.headers
        ? undefined
        : { ...options?.headers, Version: versioned ? (version ?? config.version) : null };
    const timeout = options?.timeout ?? config.timeout;
    const maxRetries = options?.maxNetworkRetries ?? config.maxNetworkRetries;
    if (options) {
      checkTimeout(label, "timeout", timeout);
      checkRetries(label, "maxNetworkRetries", maxRetries);
    }
    const userSignal = options?.signal;
    // Serialized once, so every retry re-sends the identical bytes.
    const serialized = parts.body === undefined ? undefined : JSON.stringify(parts.body);
    const bodySerializer = serialized === undefined ? undefined : () => serialized;
    const isPost = rules.method === "POST";
    const started = Date.now();

    for (let attempt = 1; ; attempt++) {
      const attemptStarted = config.logger ? Date.now() : 0;
      const state: Attempt = {};
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeout);
      const onAbort = () => controller.abort();
      userSignal?.addEventListener("abort", onAbort, { once: true });

      let failure: MedblocksError;
      let retryable: boolean;
      let waitMs: number | undefined;
      try {
        if (userSignal?.aborted) controller.abort();
        const result = await api.request(rules.method, rules.path as never, {
          params: { path: parts.path, query: parts.query },
          body: parts.body,
          headers,
          signal: controller.signal,
          parseAs: "text",
          bodySerializer,
          attempt: state,
        } as never);
        const response = result.response;
        if (response.ok) {
          const text = result.data as string | undefined;
          let data: unknown;
          try {
            data = text ? JSON.parse(text) : undefined;
          } catch {
            // handled below, with the text described but never printed
          }
          if (data === undefined) throw errorFromResponse(response, text, label);
          if (config.logger) logAttempt(config.logger, rules.method, state, attempt, attemptStarted, response.status, null, response.headers.get("x-request-id"));
          return data as OperationResult<K>;
        }
        failure = errorFromResponse(response, result.error, label);
        const status = response.status;
        // A POST has no idempotency key: retry it only when the server says it did not act.
        retryable = RETRYABLE_STATUS.has(status) && (!isPost || status === 429 || (status === 503 && failure.retryAfter !== null));
        if (failure.retryAfter !== null) waitMs = failure.retryAfter * 1000;
      } catch (thrown) {
        if (isMedblocksError(thrown)) {
          failure = thrown;
          retryable = false;
        } else if (/redirect/i.test(String((thrown as { cause?: { message?: unknown } })?.cause?.message))) {
          failure = new MedblocksError({
            type: "api_error",
            code: "unexpected_response",
            message: `${label}: the server answered with a redirect, which the Medblocks API never sends; check \`baseUrl\``,
          });
          retryable = false;
        } else {
          const reason: ConnectionFailure = userSignal?.aborted
            ? "aborted"
            : timedOut
              ? "timeout"
              : state.response === undefined && neverConnected(thrown)
                ? "connect_failed"
                : "connection_lost";
          failure = connectionError(reason, label, { attempt, maxRetries, started, timeout, state, cause: thrown });
          retryable = reason === "connect_failed" || (!isPost && (reason === "timeout" || reason === "connection_lost"));
        }
      } finally {
        clearTimeout(timer);
        userSignal?.removeEventListener("abort", onAbort);
      }
      if (config.logger) logAttempt(config.logger, rules.method, state, attempt, attemptStarted, failure.statusCode, failure.code, failure.requestId);
      if (!retryable || attempt > maxRetries || (waitMs !== undefined && waitMs > MAX_RETRY_AFTER_MS)) throw failure;
      const slept = await sleep(waitMs ?? backoffMs(attempt), userSignal);
      if (!slept) throw connectionError("aborted", label, { attempt, maxRetries, started, timeout, state, cause: userSignal?.reason });
    }
  }

  return { request };
}

function connectionError(
  reason: ConnectionFailure,
  label: string,
  context: { attempt: number; maxRetries: number; started: number; timeout: number; state: Attempt; cause: unknown },
): MedblocksConnectionError {
  const elapsedMs = Date.now() - context.started;
  const where = context.state.url ? ` (${context.state.url.split("?")[0]})` : "";
  const what = {
    timeout: `timed out after ${context.timeout} ms`,
    aborted: "was aborted by the caller",
    connect_failed: `could not connect${where}`,
    connection_lost: context.state.response
      ? `lost the connection while reading the ${context.state.response.status} response${where}`
      : `lost the connection before a response arrived${where}`,
  }[reason];
  return new MedblocksConnectionError(
    reason,
    `${label}: ${what} on attempt ${context.attempt} of ${context.maxRetries + 1}, ${elapsedMs} ms after the call started`,
    { elapsedMs, attempt: context.attempt, cause: context.cause },
  );
}

/** Option checks shared by the constructor and per-request options. */
function checkOption(label: string, name: string, valid: boolean, rule: string): void {
  if (!valid) {
    throw new MedblocksError({ type: "invalid_request_error", code: "invalid_data", message: `${label}: \`${name}\` must be ${rule}`, param: name });
  }
}

export function checkTimeout(label: string, name: string, value: number): void {
  checkOption(label, name, Number.isFinite(value) && value > 0 && value <= 2_147_483_647, "a number of milliseconds between 1 and 2147483647");
}

export function checkRetries(label: string, name: string, value: number): void {
  checkOption(label, name, Number.isInteger(value) && value >= 0 && value <= 10, "an integer from 0 to 10");
}
