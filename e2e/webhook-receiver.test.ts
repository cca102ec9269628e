/**
 * The example app's receiver, `POST /webhooks/medblocks`, against the
 * sandbox's deliveries and their faults: a delivery that does not verify is
 * answered 400 with the reason and not listed; a repeated one is listed once;
 * a body past the receiver's limit is answered 413.
 */
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { Medblocks } from "../src/index.js";
import { AppSession } from "./support/app-http.js";
import { startedBeforeAll } from "./support/before-all.js";
import { startStack } from "./support/stack.js";

const stack = startedBeforeAll(startStack, (started) => started.stop());

interface Triggered {
  events: { id: string; type: string; attempts: number; last_status_code: number | null; last_response_body: string | null }[];
}

/** Makes the sandbox fire `type` (and wait for its deliveries), after queueing `fault` for the next delivery. */
async function trigger(type: string, fault?: string): Promise<Triggered["events"]> {
  if (fault) await stack().control("POST", "/faults", { delivery: fault });
  return ((await stack().control("POST", "/webhooks/trigger", { type })) as Triggered).events;
}

/** The /webhooks page's HTML, as a signed-in user sees it. */
async function eventsPage(): Promise<string> {
  const session = new AppSession(stack().appUrl);
  await session.signIn("receiver-check");
  const response = await session.fetch("/webhooks");
  expect(response.status).toBe(200);
  return response.text();
}

/** Posts `size` bytes of JSON-typed body to the receiver, chunked (no Content-Length) unless `declared`; its status, or the error. */
function postLarge(size: number, declared: boolean): Promise<number | string> {
  const url = new URL(`${stack().appUrl}/webhooks/medblocks`);
  const headers: Record<string, string | number> = { "content-type": "application/json", ...(declared ? { "content-length": size } : {}) };
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers, timeout: 15_000 }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on("error", (error) => resolve(error.message));
    req.on("timeout", () => req.destroy(new Error("no answer")));
    const chunk = Buffer.alloc(65_536, " ");
    for (let sent = 0; sent < size; sent += chunk.length) req.write(chunk.subarray(0, Math.min(chunk.length, size - sent)));
    req.end();
  });
}

const occurrences = (text: string, id: string) => text.split(id).length - 1;

describe("POST /webhooks/medblocks", () => {
  it("answers 400 with the reason to a delivery without a signature or signed with another secret", async () => {
    const payload = JSON.stringify({
      id: "evt_forged",
      object: "event",
      type: "records.sync.completed",
      api_version: "2026-04-25",
      created_at: new Date().toISOString(),
      data: { object: {} },
    });
    const post = (headers: Record<string, string>) =>
      fetch(`${stack().appUrl}/webhooks/medblocks`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: payload,
        signal: AbortSignal.timeout(15_000),
      });
    const unsigned = await post({});
    expect([unsigned.status, await unsigned.text()]).toEqual([400, "missing_header"]);
    const forged = await post({
      "medblocks-signature": await Medblocks.webhooks.generateTestHeaderString({ payload, secret: "whsec_not_the_apps" }),
    });
    expect([forged.status, await forged.text()]).toEqual([400, "no_matching_signature"]);
    expect(occurrences(await eventsPage(), "evt_forged")).toBe(0);
  });

  it("refuses the sandbox's delivery signed with another secret or too long ago, and the event is not listed", async () => {
    for (const [fault, reason] of [
      ["bad_signature", "no_matching_signature"],
      ["stale_timestamp", "timestamp_out_of_tolerance"],
    ] as const) {
      const [event, ...others] = await trigger("records.sync.failed", fault);
      expect(others).toEqual([]);
      expect([event!.last_status_code, event!.last_response_body]).toEqual([400, reason]);
      expect(occurrences(await eventsPage(), event!.id)).toBe(0);
    }
  });

  it("answers 413 to a body past its limit, declared or chunked, and keeps answering", async () => {
    for (const declared of [true, false])
      expect(await postLarge(2_000_000, declared), declared ? "with Content-Length" : "chunked").toBe(413);
    expect(stack().appOutput()).toContain("webhook refused: 413");
    const [event] = await trigger("records.sync.completed");
    expect(event!.last_status_code).toBe(200);
  });

  it("takes a delivery sent twice once: both answered 200, the event listed once", async () => {
    const [event] = await trigger("records.sync.completed", "duplicate");
    expect(event!.last_status_code).toBe(200);
    const lines = stack()
      .appOutput()
      .split("\n")
      .filter((line) => line.includes(event!.id));
    expect(lines).toEqual([
      `webhook records.sync.completed ${event!.id} verified`,
      `webhook records.sync.completed ${event!.id} verified, a repeat: ignored`,
    ]);
    expect(occurrences(await eventsPage(), event!.id)).toBe(1);
  });
});
