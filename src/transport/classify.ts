/**
 * What an attempt's outcome means for the call: its data, or the
 * MedblocksError it ends with and whether another attempt may help.
 */
import type { WithResponse } from "../api-promise.js";
import { errorFromResponse, MedblocksConnectionError, unexpectedResponse, type ConnectionFailure, type MedblocksError } from "../errors.js";
import type { Outcome } from "./attempt.js";
import type { PreparedRequest } from "./request.js";

/** The call's data (`result`), or the attempt's `failure` and whether it may be retried. */
export type Verdict<T> =
  | { result: WithResponse<T>; failure?: undefined; retryable: false }
  | { result?: undefined; failure: MedblocksError; retryable: boolean };

/** Where the call stands: which attempt this was (1-based), and when the call started (`Date.now()`). */
export interface CallProgress {
  attempt: number;
  started: number;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

const failed = (failure: MedblocksError, retryable = false) => ({ failure, retryable });

/** The verdict on `outcome`, one attempt of `request`. */
export function classify<T>(outcome: Outcome, request: PreparedRequest, progress: CallProgress): Verdict<T> {
  const { label, where } = request;
  switch (outcome.kind) {
    case "answered": {
      const { response, text } = outcome;
      const status = response.status;
      let data: unknown;
      try {
        data = text ? JSON.parse(text) : undefined;
      } catch {
        // described below, never printed
      }
      if (!response.ok) {
        const failure = errorFromResponse(response, data ?? text, label, where);
        // A POST has no idempotency key: retry it only when the server says it did not act.
        return failed(
          failure,
          RETRYABLE_STATUS.has(status) && (!request.isPost || status === 429 || (status === 503 && failure.retryAfter !== null)),
        );
      }
      if (data === undefined) return failed(errorFromResponse(response, text, label, where));
      if (typeof data !== "object" || data === null || Array.isArray(data)) {
        return failed(unexpectedResponse(label, "Medblocks answered a success with JSON that is not an object", status));
      }
      return { result: { data: data as T, response, requestId: response.headers.get("x-request-id") }, retryable: false };
    }
    case "redirected":
      return failed(
        unexpectedResponse(
          label,
          `the server answered ${where} with a redirect, which the Medblocks API never sends; check \`baseUrl\``,
          outcome.status,
        ),
      );
    case "too_large":
      return failed(
        unexpectedResponse(
          label,
          `the response to ${where} is larger than \`maxResponseBytes\` (${request.maxBytes} bytes); stopped reading it`,
          outcome.response.status,
        ),
      );
    case "refused":
      return failed(outcome.error);
    case "no_answer": {
      const { reason, response } = outcome;
      const failure = connectionError(reason, request, progress, response, scrubbed(outcome.error, request.url, request.template));
      return failed(failure, reason === "connect_failed" || (!request.isPost && (reason === "timeout" || reason === "connection_lost")));
    }
  }
}

/**
 * The runtime's error with every mention of `url` replaced by its template,
 * keeping its message, `code` and cause: Deno's and Bun's fetch errors name
 * the URL, whose path values can be patient identifiers.
 */
function scrubbed(error: unknown, url: string, template: string, depth = 0): unknown {
  if (!(error instanceof Error) || depth > 4) return undefined;
  const copy: Error & { code?: unknown } = new Error(error.message.split(url).join(template), {
    cause: scrubbed(error.cause, url, template, depth + 1),
  });
  copy.code = (error as { code?: unknown }).code;
  return copy;
}

/** The error of an attempt that got no usable answer: what happened, on which attempt, how long into the call. */
export function connectionError(
  reason: ConnectionFailure,
  request: PreparedRequest,
  progress: CallProgress,
  response: Response | undefined,
  cause: unknown,
): MedblocksConnectionError {
  const elapsedMs = Date.now() - progress.started;
  const what = {
    timeout: `timed out after ${request.timeout} ms`,
    aborted: "was aborted by the caller",
    connect_failed: "could not connect",
    connection_lost: response
      ? `lost the connection while reading the ${response.status} response`
      : "lost the connection before a response arrived",
  }[reason];
  return new MedblocksConnectionError(
    reason,
    `${request.label}: ${what} on attempt ${progress.attempt} of ${request.maxRetries + 1}, ` +
      `${elapsedMs} ms after the call started (${request.where})`,
    { elapsedMs, attempt: progress.attempt, cause },
  );
}
