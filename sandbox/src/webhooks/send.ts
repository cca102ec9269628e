/**
 * One POST to a receiver, bounded: the answer (status and the start of its
 * body) must arrive within `timeoutMs`, else the attempt counts as a
 * timeout; a connection that cannot be made counts as unreachable.
 * Redirects are not followed (a 3xx is a failed delivery, as any non-2xx).
 */
import { readUpTo } from "../../../lib/read-body.js";

/** The `fetch` deliveries go through (injectable: tests and embedders may route them). */
export type DeliveryFetch = (input: string, init: RequestInit) => Promise<Response>;

export type SendResult =
  | { kind: "answered"; status: number; body: string | null }
  | {
      kind: "timeout" | "unreachable" | "stopped";
      status: null;
      body: null /** What went wrong, for people: never the URL. */;
      error: string;
    };

/** What the usual connection errors mean, by their code. */
const CONNECTION_ERRORS: Record<string, string> = {
  ECONNREFUSED: "the connection was refused: nothing listens at that address and port",
  ECONNRESET: "the connection was reset before an answer came",
  UND_ERR_SOCKET: "the receiver closed the connection before answering",
  ENOTFOUND: "the host name does not resolve",
  EHOSTUNREACH: "the host cannot be reached",
  UND_ERR_HEADERS_OVERFLOW: "the answer's headers are too large",
};

/** A fetch failure as a short sentence with its code (the URL, which may hold a token, left out). */
function connectionError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  if (code === undefined) return "the request could not be sent";
  return `${CONNECTION_ERRORS[code] ?? "the connection failed"} (${code})`;
}

/** How much of a receiver's answer is kept: `last_response_body` is cut off after 4 KB. */
export const RESPONSE_BODY_LIMIT = 4096;

class Timeout extends Error {}

/** `bytes` cut to at most `limit`, not inside a UTF-8 character, as text; null when empty. */
function textStart(bytes: Uint8Array, limit: number): string | null {
  let end = Math.min(bytes.length, limit);
  // A cut before a continuation byte (10xxxxxx) would split a character: back off to its first byte.
  if (end < bytes.length) while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return end === 0 ? null : new TextDecoder().decode(bytes.subarray(0, end));
}

/** Reads at most `limit` bytes of the body (and a chunk past it, then lets the rest go); rejects when `signal` aborts first. */
async function readStart(response: Response, limit: number, signal: AbortSignal): Promise<string | null> {
  if (!response.body) return null;
  return textStart((await readUpTo(response.body, limit, signal)).bytes, limit);
}

/** Sends `init` to `url` once; `stop` aborts it (the sandbox is closing). */
export async function send(
  fetch: DeliveryFetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  stop: AbortSignal,
): Promise<SendResult> {
  const controller = new AbortController();
  const onStop = () => controller.abort(stop.reason);
  stop.addEventListener("abort", onStop, { once: true });
  const timer = setTimeout(() => controller.abort(new Timeout()), timeoutMs);
  try {
    const response = await fetch(url, { ...init, redirect: "manual", signal: controller.signal });
    return { kind: "answered", status: response.status, body: await readStart(response, RESPONSE_BODY_LIMIT, controller.signal) };
  } catch (error) {
    const reason: unknown = controller.signal.reason;
    if (stop.aborted) return { kind: "stopped", status: null, body: null, error: "the sandbox stopped" };
    if (reason instanceof Timeout) return { kind: "timeout", status: null, body: null, error: `no answer within ${timeoutMs} ms` };
    return { kind: "unreachable", status: null, body: null, error: connectionError(error) };
  } finally {
    clearTimeout(timer);
    stop.removeEventListener("abort", onStop);
  }
}
