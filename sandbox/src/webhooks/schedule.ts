/**
 * When a delivery is tried again, as the service documents it: nine
 * attempts, the first at once, then after 1 min, 5 min, 30 min, 2 h, 12 h,
 * 24 h, 24 h and 24 h (about 3.6 days in all); after the ninth failure the
 * endpoint is disabled, silently. Each wait runs from the start of the
 * failed attempt, on the workspace's clock, so advancing the clock fires
 * the retries that fall due.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The wait before each attempt, the first (immediate) included. */
export const RETRY_DELAYS_MS: readonly number[] = [
  0,
  MINUTE,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  12 * HOUR,
  24 * HOUR,
  24 * HOUR,
  24 * HOUR,
];

/** Attempts before the endpoint is disabled. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length;

/**
 * When the attempt after `attempts` failed ones is due (ms, workspace time),
 * counting from the start of the last one; null when none is left.
 */
export function nextAttemptAt(attempts: number, lastStartedAt: number): number | null {
  return attempts < MAX_ATTEMPTS ? lastStartedAt + RETRY_DELAYS_MS[attempts]! : null;
}
