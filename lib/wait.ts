/**
 * Waiting that an `AbortSignal` can end: the one delay and the one race
 * with an abort that the client, the sandbox and the contract CLI use.
 * Web standards only (the client imports it).
 */

/** Resolves after `ms`; rejects with `signal`'s reason when it aborts first (or already has). The timer is cleared either way. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * `promise`'s outcome, or a rejection with `signal`'s reason as soon as it
 * aborts (as `fetch` rejects at once, whatever the server is doing). The
 * listener is removed when either settles; `promise` itself is not stopped,
 * and its later rejection is handled (never an unhandled rejection), also
 * when `signal` had aborted already.
 */
export async function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  let onAbort: (() => void) | undefined;
  const aborted = signal.aborted
    ? Promise.reject<never>(signal.reason)
    : new Promise<never>((_, reject) => signal.addEventListener("abort", (onAbort = () => reject(signal.reason)), { once: true }));
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}
