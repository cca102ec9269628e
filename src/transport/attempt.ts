/**
 * One attempt of a call: send the prepared request with `fetch`, read the
 * answer whole within the call's limits, and say what happened — the answer,
 * or why there is none. What the outcome means is classify.ts's to say.
 */
import { unlessAborted } from "../../lib/wait.js";
import { isMedblocksError, type ConnectionFailure, type MedblocksError } from "../errors.js";
import { readText, ResponseTooLarge } from "./body.js";
import type { PreparedRequest, TransportConfig } from "./request.js";

type Fetch = TransportConfig["fetch"];

/** What one attempt found. `response` is the one `fetch` gave, when it gave one. */
export type Outcome =
  /** A response other than a redirect, its body read whole. */
  | { kind: "answered"; response: Response; text: string }
  /** The server redirected: a wrong `baseUrl`. */
  | { kind: "redirected"; response: Response | undefined; status: number }
  /** The body passed `maxResponseBytes`; reading stopped there. */
  | { kind: "too_large"; response: Response }
  /** The `fetch` given threw a MedblocksError of its own: passed on as it is. */
  | { kind: "refused"; response: Response | undefined; error: MedblocksError }
  /** No usable answer: aborted, timed out, never connected, or the connection was lost. */
  | { kind: "no_answer"; response: Response | undefined; reason: ConnectionFailure; error: unknown };

/**
 * What says no connection was made, so the request never left: Node's and
 * Bun's error `code`s; Deno's message for the same failures (its fetch
 * errors carry no code); and a port fetch refuses to use ("bad port" in
 * Node, "are blocked" in Deno).
 */
const NOT_SENT =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|UND_ERR_CONNECT_TIMEOUT)$|client error \(Connect\)|^bad port$|are blocked/;

/** Whether `error` (or a cause or inner error of it) says no connection was made. */
function neverConnected(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 4) return false;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  return (
    (typeof code === "string" && NOT_SENT.test(code)) ||
    (typeof message === "string" && NOT_SENT.test(message)) ||
    (Array.isArray(errors) && errors.some((inner) => neverConnected(inner, depth + 1))) ||
    neverConnected(cause, depth + 1)
  );
}

/** A redirect, as `redirect: "manual"` hands it back: opaque in a browser, its own status elsewhere. */
const isRedirect = (response: Response) => response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400);

/**
 * Whether the request's URL answers with a redirect, asked with a HEAD (no
 * body, nothing acted on) in `redirect: "manual"` mode: the status of the
 * redirect, or null. Asked only when a request with a body failed with no
 * response in a way that is not a refused connection — the way a redirect
 * fails in `redirect: "error"` mode, whatever the runtime's message says.
 */
async function redirectOf(fetch: Fetch, request: PreparedRequest): Promise<number | null> {
  try {
    const probe = await fetch(request.url, {
      method: "HEAD",
      headers: request.headers,
      body: null,
      redirect: "manual",
      signal: AbortSignal.timeout(request.timeout),
    });
    void probe.body?.cancel().catch(() => {});
    return isRedirect(probe) ? probe.status : null;
  } catch {
    return null;
  }
}

/** Sends `request` once, bounded by its `timeout` and `signal`, and reports what came of it. Never rejects. */
export async function runAttempt(fetch: Fetch, request: PreparedRequest): Promise<Outcome> {
  const userSignal = request.signal;
  // Aborted when the attempt times out or the caller aborts. The fetch and the body are raced with
  // it (unlessAborted), which bounds the attempt even with a `fetch` that ignores its signal.
  const controller = new AbortController();
  const { signal } = controller;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeout);
  const onAbort = () => controller.abort();
  userSignal?.addEventListener("abort", onAbort, { once: true });

  let response: Response | undefined;
  try {
    if (userSignal?.aborted) controller.abort();
    const { method, headers, body } = request;
    // This API never redirects: a redirect is a wrong `baseUrl`, recognised by the response's
    // status. Without a body, `redirect: "manual"` hands it back as a response. With one, the
    // Fetch standard would clone the body for every request in that mode (a tenth of a call),
    // so `redirect: "error"` with no window, the one combination sent without a clone, and
    // a failure that could be a redirect is asked about afterwards (`redirectOf`).
    response = await unlessAborted(
      fetch(
        request.url,
        body === undefined
          ? { method, headers, body: null, signal, redirect: "manual" }
          : { method, headers, body, signal, redirect: "error", window: null },
      ),
      signal,
    );
    if (isRedirect(response)) {
      void response.body?.cancel().catch(() => {});
      return { kind: "redirected", response, status: response.status };
    }
    return { kind: "answered", response, text: await unlessAborted(readText(response, request.maxBytes), signal) };
  } catch (thrown) {
    if (isMedblocksError(thrown)) return { kind: "refused", response, error: thrown };
    if (thrown instanceof ResponseTooLarge) return { kind: "too_large", response: response! };
    const reason: ConnectionFailure = userSignal?.aborted
      ? "aborted"
      : timedOut
        ? "timeout"
        : response === undefined && neverConnected(thrown)
          ? "connect_failed"
          : "connection_lost";
    const redirect =
      reason === "connection_lost" && response === undefined && request.body !== undefined ? await redirectOf(fetch, request) : null;
    if (redirect !== null) return { kind: "redirected", response, status: redirect };
    return { kind: "no_answer", response, reason, error: thrown };
  } finally {
    clearTimeout(timer);
    userSignal?.removeEventListener("abort", onAbort);
  }
}
