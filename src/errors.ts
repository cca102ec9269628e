/**
 * The client's error class and the one factory that builds it from an HTTP
 * response. The message is made from the status, code and the server's own
 * message, never by printing the body: bodies can hold patient data.
 */
import { ERROR_TYPES } from "../generated/schemas.js";
import type { ErrorEnvelope, MedblocksErrorCode, MedblocksErrorType } from "./types.js";

/** Codes the client itself uses, beside the API's own. */
export type MedblocksClientErrorCode = "unexpected_response" | ConnectionFailure | "invalid_return_url" | "invalid_signature";

/** Types the client itself uses, beside the API's own: no answer, a bad return URL, a bad webhook signature. */
export type MedblocksClientErrorType = "connection_error" | "return_url_error" | "signature_verification_error";

export interface MedblocksErrorFields {
  type: MedblocksErrorType | MedblocksClientErrorType | (string & {});
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

/** The fields every MedblocksError has, null when not given. */
const FIELDS = ["type", "code", "param", "docUrl", "requestId", "statusCode", "retryAfter", "raw"] as const;

/**
 * Every error this client throws on purpose: an error answer from Medblocks
 * (`statusCode` set), a request the client refused to send because it breaks
 * the spec or an option is invalid (`statusCode` null, `type`
 * `invalid_request_error`, `param` names the field), and its subclasses: no
 * answer at all ({@link MedblocksConnectionError}), a malformed or mismatched
 * return URL (`MedblocksReturnUrlError`), a webhook that fails verification
 * (`MedblocksSignatureError`). Branch on `code`.
 */
export class MedblocksError extends Error {
  override readonly name: string = "MedblocksError";
  // Declared, not initialized: the constructor sets each one (and `declare`
  // keeps the shipped class small).
  declare readonly type: MedblocksErrorFields["type"];
  declare readonly code: MedblocksErrorFields["code"];
  /** The request field the error is about, or null. */
  declare readonly param: string | null;
  declare readonly docUrl: string | null;
  /** `error.request_id`, else the `X-Request-Id` header; quote it to support. */
  declare readonly requestId: string | null;
  /** HTTP status, or null when no response was received or the request was never sent. */
  declare readonly statusCode: number | null;
  /** Seconds to wait before retrying, from `Retry-After`; null when absent. */
  declare readonly retryAfter: number | null;
  /** The error envelope as received, or null when the body was not one. */
  declare readonly raw: ErrorEnvelope | null;

  constructor(fields: MedblocksErrorFields) {
    // `fields` doubles as the Error options: its `cause`, if any, becomes the error's.
    super(fields.message, fields);
    for (const name of FIELDS) (this as Record<string, unknown>)[name] = fields[name] ?? null;
  }

  /** Every field, subclasses' included, and the message; never the cause (it may hold a request). */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), message: this.message };
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
  declare readonly type: "connection_error";
  declare readonly code: ConnectionFailure;
  /** Milliseconds from the first attempt's start to the failure. */
  declare readonly elapsedMs: number;
  /** The attempt that failed, 1-based. */
  declare readonly attempt: number;

  constructor(code: ConnectionFailure, message: string, details: { elapsedMs: number; attempt: number; cause?: unknown }) {
    super({ type: "connection_error", code, message, cause: details.cause });
    this.elapsedMs = details.elapsedMs;
    this.attempt = details.attempt;
  }
}

/** A success the client cannot use (a redirect, a body that is not the object the spec promises, a looping page). */
export function unexpectedResponse(label: string, what: string, statusCode?: number | null): MedblocksError {
  return new MedblocksError({
    type: "api_error",
    code: "unexpected_response",
    message: `${label}: ${what}`,
    statusCode: statusCode ?? null,
  });
}

/** True for every error this client throws on purpose; narrows to {@link MedblocksError}. */
export function isMedblocksError(error: unknown): error is MedblocksError {
  // instanceof, or the shape, for an error from another copy of this package in the same app.
  return (
    error instanceof MedblocksError ||
    (error instanceof Error && /^Medblocks\w*Error$/.test(error.name) && typeof (error as { code?: unknown }).code === "string")
  );
}

/**
 * `Retry-After` as whole seconds from now, read strictly: whole non-negative
 * seconds, or an HTTP date in the form RFC 9110 has senders use
 * (`Sun, 06 Nov 1994 08:49:37 GMT`) naming a real day. Anything else (`-1`,
 * `1.5`, `1 2`, `5,6`, `31 Feb`) is null, as if absent, so the normal
 * backoff applies.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  const text = value?.replace(/^[ \t]+|[ \t]+$/g, "");
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  // Only the fixed form survives the round trip, and only with its true weekday and day.
  return date >= 0 && new Date(date).toUTCString() === text ? Math.max(0, Math.ceil((date - now) / 1000)) : null;
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
 * undefined for an empty body. `where` is the request as `METHOD
 * baseUrl/template` (never a path value).
 */
export function errorFromResponse(response: Response, body: unknown, label: string, where: string): MedblocksError {
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
  // Every 404 of the API carries the envelope: one without it is another server, reached through a wrong `baseUrl`.
  const lost = status === 404;
  return new MedblocksError({
    // The error type the spec gives the status (generated/schemas.ts); any other status is `api_error`.
    type: (ERROR_TYPES as Readonly<Record<number, MedblocksErrorType>>)[status] ?? "api_error",
    code: "unexpected_response",
    message: `${label}: ${lost ? where : "Medblocks"} answered ${what} with ${describeBody(body, response.headers.get("content-type"))}${
      ok ? "" : " instead of the JSON error envelope"
    }${lost ? ": check `baseUrl`" : ""}`,
    requestId: headerRequestId,
    statusCode: status,
    retryAfter,
  });
}
