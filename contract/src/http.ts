/**
 * One HTTP request, bounded: a timeout per request (body included), a cap
 * on the body read, redirects taken as answers (a 3xx is a status the spec
 * does not document, and following one would send the key elsewhere).
 */
import { readUpTo } from "../../lib/read-body.js";

/** The `fetch` the check sends with: the global one, or a test's (an in-process sandbox's). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Largest body read; a larger one is not an answer the check can judge. */
export const MAX_BODY_BYTES = 10_000_000;

export interface Request {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

export type Sent = { ok: true; status: number; headers: Headers; text: string; ms: number } | { ok: false; reason: string; ms: number };

const decoder = new TextDecoder();

/** The body as text, counted as it comes: past `MAX_BODY_BYTES` the rest is cancelled, and the answer is not one the check judges. */
async function readText(response: Response, signal: AbortSignal): Promise<string> {
  const { bytes, complete } = await readUpTo(response.body, MAX_BODY_BYTES, signal);
  if (!complete) throw new Error(`the body is larger than ${MAX_BODY_BYTES} bytes`);
  // Decoded once, as text() would.
  return decoder.decode(bytes);
}

/** Why a request got no answer, in words that never hold the URL's path values or the key. */
function reasonOf(error: unknown, timeoutMs: number | undefined, stopped: boolean): string {
  if (stopped) return "stopped before the answer came";
  if (timeoutMs !== undefined) return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code) return `the connection failed (${cause.code})`;
  const message = (error as Error).message ?? String(error);
  return message.startsWith("the body is larger") ? message : "the connection failed";
}

/** Sends `request`; never throws. `stop` ends it early (the run was interrupted). */
export async function send(fetch: FetchLike, request: Request, timeoutMs: number, stop?: AbortSignal): Promise<Sent> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  // One signal for both ends of a request: its timeout and the run's stop.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException("timeout", "TimeoutError"));
  }, timeoutMs);
  const onStop = () => controller.abort(stop?.reason);
  stop?.addEventListener("abort", onStop, { once: true });
  if (stop?.aborted) onStop();
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
      redirect: "manual",
      signal: controller.signal,
    });
    const text = await readText(response, controller.signal);
    return { ok: true, status: response.status, headers: response.headers, text, ms: ms() };
  } catch (error) {
    return { ok: false, reason: reasonOf(error, timedOut ? timeoutMs : undefined, stop?.aborted === true), ms: ms() };
  } finally {
    clearTimeout(timer);
    stop?.removeEventListener("abort", onStop);
  }
}
