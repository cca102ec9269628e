/**
 * Something a test file starts once (a browser, a sandbox and the app).
 * A beforeAll that throws makes vitest skip the file's tests, which the
 * totals then count as neither passed nor failed; so the error is kept,
 * and every test that uses the thing fails with it instead.
 */
import { afterAll, beforeAll } from "vitest";

/** `timeoutMs` bounds the start (default: the project's hook timeout). */
export function startedBeforeAll<T>(start: () => Promise<T>, stop: (value: T) => Promise<unknown>, timeoutMs?: number): () => T {
  let started: { value: T } | { error: unknown } | undefined;
  beforeAll(async () => {
    try {
      started = { value: await start() };
    } catch (error) {
      started = { error };
    }
  }, timeoutMs);
  afterAll(async () => {
    if (started && "value" in started) await stop(started.value);
  });
  return () => {
    if (started === undefined) throw new Error("used outside a test: it starts in beforeAll");
    if ("error" in started) throw started.error;
    return started.value;
  };
}
