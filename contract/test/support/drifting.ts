/**
 * A server that drifts from the spec on purpose: the in-process sandbox
 * (which answers as the spec says) with chosen answers changed on the way
 * out — a field renamed, a type changed, an enum value added, a required
 * field dropped, an undocumented status, a header left out.
 */
import { operationFor } from "../../../sandbox/test/support/harness.js";
import type { Sandbox } from "../../../sandbox/src/index.js";
import type { Handler } from "./serve.js";

/** An answer as a drift may change it. */
export interface Answer {
  status: number;
  headers: Headers;
  body: any;
  /** Sent instead of the JSON of `body` when set. */
  raw?: string;
}

export interface Drift {
  /** The operation and the status whose answers change. */
  operationId: string;
  status: number;
  change(answer: Answer): void;
}

/** The sandbox as a handler of requests to any origin (a loopback server's, say). */
export const sandboxHandler =
  (sb: Sandbox): Handler =>
  (request) => {
    const url = new URL(request.url);
    return sb.fetch(new Request(`${sb.baseUrl}${url.pathname}${url.search}`, request));
  };

/** `inner` with the answers `drifts` name changed. */
export function drifting(inner: Handler, drifts: Drift[]): Handler {
  return async (request) => {
    const response = await inner(request);
    const operationId = operationFor(request.method, new URL(request.url).pathname);
    const matching = drifts.filter((drift) => drift.operationId === operationId && drift.status === response.status);
    if (matching.length === 0) return response;
    const text = await response.text();
    const answer: Answer = { status: response.status, headers: new Headers(response.headers), body: text ? JSON.parse(text) : undefined };
    for (const drift of matching) drift.change(answer);
    answer.headers.delete("content-length");
    const body = answer.raw ?? (answer.body === undefined ? null : JSON.stringify(answer.body));
    return new Response(body, { status: answer.status, headers: answer.headers });
  };
}

/** Renames a field of the body's top-level object. */
export const rename = (from: string, to: string) => (answer: Answer) => {
  answer.body[to] = answer.body[from];
  delete answer.body[from];
};
