/**
 * Reading a body with a bound: the one reader the client, the sandbox and
 * the contract CLI use for bodies they did not write. Web standards only
 * (the client imports it).
 *
 * The bytes are counted as they arrive, so a body without `Content-Length`
 * (chunked, or compressed) stops at the bound instead of being read whole
 * first; the rest is cancelled.
 */
import { unlessAborted } from "./wait.js";

/** What {@link readUpTo} read: every byte (`complete`), or the first chunks past `maxBytes` when there were more. */
export interface BytesRead {
  bytes: Uint8Array;
  /** Whether the body ended within `maxBytes`. */
  complete: boolean;
}

/**
 * Reads `body` until it ends or more than `maxBytes` have come (then the
 * reader is cancelled, and `bytes` holds what came, a little past the
 * bound). When `signal` aborts first, rejects with its reason. A body of
 * one chunk, as most answers are, is returned without a copy.
 */
export async function readUpTo(body: ReadableStream<Uint8Array> | null, maxBytes: number, signal?: AbortSignal): Promise<BytesRead> {
  if (!body) return { bytes: new Uint8Array(0), complete: true };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let complete = false;
  try {
    for (;;) {
      const { done, value } = await (signal ? unlessAborted(reader.read(), signal) : reader.read());
      if (done) {
        complete = true;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
      if (size > maxBytes) break;
    }
  } finally {
    if (!complete) reader.cancel().catch(() => {});
  }
  return { bytes: joined(chunks, size), complete };
}

/** `chunks` as one array of `size` bytes; a single chunk as it is. */
function joined(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
