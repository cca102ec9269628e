/**
 * Debug logging: the entry the transport writes after each attempt, the
 * logger an app passes as the `logger` option, and the console logger that
 * `"debug"` (or `MEDBLOCKS_LOG=debug`) turns on. Its own file, so the
 * options and the transport both use it without importing each other.
 */

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
  /** Which try of the call this was, 1-based: retries count on from the first. */
  attempt: number;
  durationMs: number;
  /** The error code when the attempt failed. */
  code: string | null;
}

export type MedblocksLogger = (entry: MedblocksLogEntry) => void;

/** The logger `"debug"` means: one console line per attempt. */
export const consoleLogger: MedblocksLogger = (entry) =>
  console.debug(
    `[medblocks] ${entry.method} ${entry.path} ${entry.status ?? entry.code} attempt=${entry.attempt} ` +
      `${entry.durationMs}ms request_id=${entry.requestId ?? "-"}`,
  );

/** The logger must never change a call's outcome: what it throws, or an async logger rejects with, is dropped. */
export function logSafely(logger: MedblocksLogger, entry: MedblocksLogEntry): void {
  try {
    (logger(entry) as unknown as PromiseLike<void> | undefined)?.then?.(undefined, () => {});
  } catch {
    // A broken logger loses its line, never the call's result.
  }
}
