/**
 * The client's error class and the one factory that builds it from an HTTP
 * response. The message is made from the status, code and the server's own
 * message, never by printing the body: bodies can hold patient data.
 */
import type { ErrorEnvelope, MedblocksErrorCode, MedblocksErrorType } from "./types.js";

/** Codes the client itself uses, beside the API's own. */
export type MedblocksClientErrorCode = "unexpected_response" | ConnectionFailure;

export interface MedblocksErrorFields {
  type: MedblocksErrorType | "connection_error" | (string & {});
  code: MedblocksErrorCode | MedblocksClientErrorCode | (string & {});
  message: string;
  param?: string | null;
  docUrl?: string | null;
  requestId?: string | null;
  statusCode?: number | null;
  retryAfter?: number | null;
  raw?: ErrorEnvelope | null;
  cause?: unknown;
}

const BRAND = Symbol.for("medblocks-client.error");

/**
 * Every failure of an API call: an error answer from Medblocks (`statusCode`
 * set), a request the client refused to send because it breaks the spec
 * (`statusCode` null, `type` `invalid_request_error`, `param` names the
 * field), or — as {@link MedblocksConnectionError} — no answer at all.
 * Branch on `code`.
 */
export class MedblocksError extends Error {
  override readonly name: string = "MedblocksError";
  readonly type: MedblocksErrorFields["type"];
  readonly code: MedblocksErrorFields["code"];
  /** The request field the error is about, or null. */
  readonly param: string | null;
  readonly docUrl: string | null;
  /** `error.request_id`, else the `X-Request-Id` header; quote it to support. */
  readonly requestId: string | null;
  /** HTTP status, or null when no response was received or the request was never sent. */
  readonly statusCode: number | null;
  /** Seconds to wait before retrying, from `Retry-After`; null when absent. */
  readonly retryAfter: number | null;
  /** The error envelope as received, or null when the body was not one. */
  readonly raw: ErrorEnvelope | null;

  constructor(fields: MedblocksErrorFields) {
    super(fields.message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.type = fields.type;
    this.code = fields.code;
    this.param = fields.param ?? null;
    this.docUrl = fields.docUrl ?? null;
    this.requestId = fields.requestId ?? null;
    this.statusCode = fields.statusCode ?? null;
    this.retryAfter = fields.retryAfter ?? null;
    this.raw = fields.raw ?? null;
    Object.defineProperty(this, BRAND, { value: true });
  }

  toJSON(): Record<string, unknown> {
    const { name, type, code, message, param, docUrl, requestId, statusCode, retryAfter } = this;
    return { name, type, code, message, param, docUrl, requestId, statusCode, retryAfter };
  }
}

/**
 * Why no usable response arrived: the attempt hit its `timeout`; the caller
 * `aborted` it; `connect_failed` — no connection was made (refused, DNS,
 * unreachable), so the request never left; `connection_lost` — the
 * connection broke after the request may have reached the server.
 */
export type ConnectionFailure = "timeout" | "aborted" | "connect_failed" | "connection_lost";

/**
 * No usable response arrived (see {@link ConnectionFailure}). Says after how
 * long and on which attempt; `type` is `connection_error`, `code` the reason.
 */
export class MedblocksConnectionError extends MedblocksError {
  override readonly name: string = "MedblocksConnectionError";
  override readonly code: ConnectionFailure;
  /** Milliseconds from the first attempt's start to the failure. */
  readonly elapsedMs: number;
  /** The attempt that failed, 1-based. */
  readonly attempt: number;

  constructor(code: ConnectionFailure, message: string, details: { elapsedMs: number; attempt: number; cause?: unknown }) {
    super({ type: "connection_error", code, message, cause: details.cause });
    this.code = code;
    this.elapsedMs = details.elapsedMs;
    this.attempt = details.attempt;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), elapsedMs: this.elapsedMs, attempt: this.attempt };
  }
}

/** True for every error this client throws about a request; narrows to {@link MedblocksError}. */
export function isMedblocksError(error: unknown): error is MedblocksError {
  return error instanceof MedblocksError || (typeof error === "object" && error !== null && BRAND in error);
}

/** The error catalog's type for each status, used when the body is not an envelope. */
const TYPE_BY_STATUS: Record<number, MedblocksErrorType> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  409: "conflict_error",
  413: "invalid_request_error",
  429: "rate_limit_error",
};

/** `Retry-After` as whole seconds from now (it may be seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

function envelopeOf(body: unknown): ErrorEnvelope | null {
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  return typeof error === "object" &&
    error !== null &&
    typeof error.type === "string" &&
    typeof error.code === "string" &&
    typeof error.message === "string"
    ? (body as ErrorEnvelope)
    : null;
}

function describeBody(body: unknown, contentType: string | null): string {
  if (body === undefined || body === "") return "an empty body";
  const kind = contentType ? contentType.split(";")[0]!.trim() : "no content type";
  return typeof body === "string" ? `a body (${kind}) that is not valid JSON` : "JSON that is not the error envelope";
}

/**
 * Builds the error for a non-2xx response, or for a 2xx whose body is not
 * JSON. `body` is what was read: parsed JSON, text that did not parse, or
 * undefined for an empty body.
 */
export function errorFromResponse(response: Response, body: unknown, label: string): MedblocksError {
  const status = response.status;
  const headerRequestId = response.headers.get("x-request-id");
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
  const envelope = envelopeOf(body);
  if (envelope) {
    const { type, code, message, param, doc_url, request_id } = envelope.error;
    return new MedblocksError({
      type,
      code,
      message: `${label}: ${status} ${code}: ${message}`,
      param: typeof param === "string" ? param : null,
      docUrl: typeof doc_url === "string" ? doc_url : null,
      requestId: typeof request_id === "string" && request_id ? request_id : headerRequestId,
      statusCode: status,
      retryAfter,
      raw: envelope,
    });
  }
  const ok = status >= 200 && status < 300;
  const what = ok ? "a success" : `${status}${response.statusText ? ` ${response.statusText}` : ""}`;
  return new MedblocksError({
    type: TYPE_BY_STATUS[status] ?? "api_error",
    code: "unexpected_response",
    message: `${label}: Medblocks answered ${what} with ${describeBody(body, response.headers.get("content-type"))}${
      ok ? "" : " instead of the JSON error envelope"
    }`,
    requestId: headerRequestId,
    statusCode: status,
    retryAfter,
  });
}
