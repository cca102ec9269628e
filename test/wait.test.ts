import { describe, expect, it, vi } from "vitest";
import { delay, unlessAborted } from "../lib/wait.js";

describe("delay", () => {
  it("resolves after its time and leaves no listener behind", async () => {
    vi.useFakeTimers();
    try {
      const controller = new AbortController();
      const remove = vi.spyOn(controller.signal, "removeEventListener");
      let done = false;
      const waiting = delay(1000, controller.signal).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await waiting;
      expect(done).toBe(true);
      expect(remove).toHaveBeenCalledWith("abort", expect.any(Function));
    } finally {
      vi.useRealTimers();
    }
  });

  it("rejects with the reason at once when aborted, before or during the wait, and clears its timer", async () => {
    vi.useFakeTimers();
    try {
      const before = new AbortController();
      before.abort(new Error("before"));
      await expect(delay(1000, before.signal)).rejects.toThrow("before");
      const during = new AbortController();
      const waiting = delay(60_000, during.signal);
      during.abort(new Error("during"));
      await expect(waiting).rejects.toThrow("during");
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("unlessAborted", () => {
  it("gives the promise's value when it settles first", async () => {
    expect(await unlessAborted(Promise.resolve(7), new AbortController().signal)).toBe(7);
  });

  it("rejects with the signal's reason when it aborts first, though the promise never settles", async () => {
    const controller = new AbortController();
    const racing = unlessAborted(new Promise(() => {}), controller.signal);
    controller.abort(new Error("gone"));
    await expect(racing).rejects.toThrow("gone");
  });

  it("rejects at once when the signal aborted already, and the promise's later rejection is not left unhandled", async () => {
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", note);
    try {
      const controller = new AbortController();
      controller.abort(new Error("before"));
      let fail!: (error: Error) => void;
      const late = new Promise<never>((_, reject) => (fail = reject));
      await expect(unlessAborted(late, controller.signal)).rejects.toThrow("before");
      fail(new Error("late"));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", note);
    }
  });

  it("removes its listener once the promise settles", async () => {
    const controller = new AbortController();
    const remove = vi.spyOn(controller.signal, "removeEventListener");
    await expect(unlessAborted(Promise.reject(new Error("no")), controller.signal)).rejects.toThrow("no");
    expect(remove).toHaveBeenCalledWith("abort", expect.any(Function));
  });
});
