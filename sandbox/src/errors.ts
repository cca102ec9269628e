/**
 * The one error the sandbox answers with, in the service's envelope:
 * `{ error: { type, code, message, param, doc_url, request_id } }`. The
 * `type` follows the status as the spec's examples do. Messages name the
 * field and the rule, never a value (values may be patient data or keys).
 */
import { ERROR_STATUSES, type ErrorCode, type Schemas } from "./spec.js";

export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    /** The request field the error is about, or null. */
    readonly param: string | null = null,
    /** Seconds for `Retry-After`; every 429 carries one. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }

  /** The envelope; `docUrl` is where the code is explained (the sandbox's own reference: http/reference.ts). */
  envelope(requestId: string, docUrl: string): Schemas["ErrorEnvelope"] {
    const type = ERROR_STATUSES.get(this.status)?.type ?? "api_error";
    return { error: { type, code: this.code, message: this.message, param: this.param, doc_url: docUrl, request_id: requestId } };
  }
}

export const notFound = (what: string, param: string | null = "id") => new ApiError(404, "resource_not_found", `No such ${what}.`, param);

/** A request field that breaks a rule the spec's schema cannot express. */
export const invalid = (param: string, message: string) => new ApiError(400, "invalid_data", `\`${param}\` ${message}`, param);
