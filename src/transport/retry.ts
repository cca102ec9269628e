/**
 * How long a call waits before its next attempt: the server's `Retry-After`
 * when it sent one, else exponential backoff; and when it stops retrying.
 */
import type { MedblocksError } from "../errors.js";
import type { PreparedRequest } from "./request.js";

const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 8_000;

/** Exponential backoff with equal jitter: retry 1 waits 250–500 ms, then doubling, capped. */
export function backoffMs(retry: number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retry - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/**
 * Milliseconds to wait after attempt `attempt` failed with `failure` before
 * the next one, or null when the failure ends the call: it may not be
 * retried, the call is out of retries, or the wait would take the call's
 * waiting past its `maxRetryWait` (`waitedMs` is what it has waited so far).
 */
export function retryWaitMs(
  failure: MedblocksError,
  retryable: boolean,
  attempt: number,
  waitedMs: number,
  request: PreparedRequest,
): number | null {
  const waitMs = failure.retryAfter !== null ? failure.retryAfter * 1000 : backoffMs(attempt);
  return !retryable || attempt > request.maxRetries || waitedMs + waitMs > request.maxWaitMs ? null : waitMs;
}
