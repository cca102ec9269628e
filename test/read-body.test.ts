import { describe, expect, it } from "vitest";
import { readUpTo } from "../lib/read-body.js";

/** A body that sends `chunks` one by one and records whether it was cancelled. */
function streamOf(chunks: Uint8Array[], endless = false) {
  const seen = { cancelled: false, pulled: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[seen.pulled++ % chunks.length];
      if (!endless && seen.pulled > chunks.length) controller.close();
      else controller.enqueue(chunk!);
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { body, seen };
}

const bytes = (n: number, fill = 97) => new Uint8Array(n).fill(fill);

describe("readUpTo", () => {
  it("reads a body of many chunks whole when it stays within the bound, in order", async () => {
    const { body, seen } = streamOf([bytes(3, 97), bytes(2, 98), bytes(1, 99)]);
    const read = await readUpTo(body, 6);
    expect(read.complete).toBe(true);
    expect(new TextDecoder().decode(read.bytes)).toBe("aaabbc");
    expect(seen.cancelled).toBe(false);
  });

  it("stops an endless body just past the bound and cancels it", async () => {
    const { body, seen } = streamOf([bytes(1000)], true);
    const read = await readUpTo(body, 10_000);
    expect(read.complete).toBe(false);
    expect(read.bytes.byteLength).toBe(11_000);
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThan(15);
  });

  it("gives a single chunk back as it came, without a copy", async () => {
    const chunk = bytes(5);
    const read = await readUpTo(streamOf([chunk]).body, 5);
    expect(read.bytes).toBe(chunk);
  });

  it("reads no body as empty and complete", async () => {
    expect(await readUpTo(null, 0)).toEqual({ bytes: new Uint8Array(0), complete: true });
  });

  it("rejects with the signal's reason when it aborts mid-body, and cancels the body", async () => {
    const seen = { cancelled: false };
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes(1));
      },
      cancel() {
        seen.cancelled = true;
      },
    });
    const controller = new AbortController();
    const reading = readUpTo(body, 100, controller.signal);
    const reason = new Error("stopped");
    setTimeout(() => controller.abort(reason), 5);
    await expect(reading).rejects.toBe(reason);
    expect(seen.cancelled).toBe(true);
  });
});
