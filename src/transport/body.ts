/**
 * Reading a response body under the call's `maxResponseBytes`, as text.
 */
import { readUpTo } from "../../lib/read-body.js";

/** A response body passed the size limit; never retried. */
export class ResponseTooLarge extends Error {}

const decoder = /* @__PURE__ */ new TextDecoder();

/**
 * The body of `response` as text, at most `maxBytes` of it. A declared length
 * says at once (when no content coding can expand it); otherwise the chunks
 * are counted as they arrive (lib/read-body.ts) and the body is cancelled
 * past the limit, so nothing larger is ever buffered: a body without a
 * length, a compressed one that expands, one whose length lies. Read from
 * the body's own reader and decoded once, as `text()` would (a BOM dropped,
 * bad bytes replaced): no second stream or `Response` per call, and the
 * caller's `Response` stays the one `fetch` gave.
 */
export async function readText(response: Response, maxBytes: number): Promise<string> {
  const body = response.body;
  if (!body) return "";
  const length = response.headers.get("content-length");
  if (
    length !== null &&
    /^\d+$/.test(length) &&
    Number(length) > maxBytes &&
    (response.headers.get("content-encoding") ?? "identity") === "identity"
  ) {
    void body.cancel().catch(() => {});
    throw new ResponseTooLarge();
  }
  const { bytes, complete } = await readUpTo(body, maxBytes);
  if (!complete) throw new ResponseTooLarge();
  return decoder.decode(bytes);
}
