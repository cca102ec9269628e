/**
 * Webhook delivery to a real receiver on 127.0.0.1: every delivery checked
 * with the client's `constructEvent` and with an independent HMAC, its body
 * against the spec's `webhooks` section; retries by the schedule as the
 * clock advances, the endpoint disabled after the ninth failure, redelivery,
 * rotation, each delivery fault, a timeout, and destinations that are not
 * loopback refused. The workspace's time is fixed (retries come only when
 * the test advances it); signatures use the real clock, as receivers do.
 */
import { createHmac } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { Medblocks, MedblocksSignatureError } from "../../src/index.js";
import { CATALOG, createSandbox } from "../src/index.js";
import { destinationProblem, isLoopback } from "../src/http/loopback.js";
import { ajv } from "../src/validation/ajv.js";
import { deliveryViolations, expectNoViolations, harness, sessionBody } from "./support/harness.js";
import { closedPort, startReceiver, type Receiver, type Received } from "./support/receiver.js";

const T0 = Date.UTC(2026, 3, 25, 10);
const h = harness({ now: () => T0, webhookTimeoutMs: 1_000 });
expectNoViolations(h);
const mb = h.client();
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await h.sb.close();
  await receiver.close();
});
beforeEach(() => {
  h.sb.reset();
  h.reports.length = 0;
  receiver.received.length = 0;
  receiver.answers = [];
});
afterEach(() => h.sb.webhooks.flush());

const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

/** An endpoint on the receiver, subscribed to everything unless told otherwise. */
const endpoint = (events: ("*" | "patient_session.completed" | "records.sync.failed")[] = ["*"], url = receiver.url) =>
  mb.webhooks.create({ url, events });

/** The endpoint's newest event record. */
const latest = async (endpointId: string) => (await mb.webhooks.listEvents(endpointId)).data[0]!;

/** A session left without connecting: one `patient_session.completed`. */
async function completed(): Promise<string> {
  const session = await mb.patientSession.init(sessionBody());
  h.sb.completeSession(session.id);
  return session.id;
}

/** The `t` and every `v1` of a signature header. */
function signature(header: string): { t: number; v1: string[] } {
  const parts = header.split(",").map((part) => part.split("="));
  return { t: Number(parts.find(([key]) => key === "t")![1]), v1: parts.filter(([key]) => key === "v1").map(([, value]) => value!) };
}

/** The spec's rule for the `Medblocks-Signature` header. */
const headerRule = ajv().compile({ $ref: "spec#/components/parameters/MedblocksSignature/schema" });

/** Verifies a delivery both ways (the client, and an HMAC computed here); returns the event. */
async function verified(delivery: Received, secret: string) {
  const header = delivery.headers["medblocks-signature"] as string;
  expect(headerRule(header), header).toBe(true);
  const { t, v1 } = signature(header);
  expect(v1).toEqual([
    createHmac("sha256", secret)
      .update(`${t}.${delivery.raw.toString("utf8")}`)
      .digest("hex"),
  ]);
  expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(60);
  const event = await Medblocks.webhooks.constructEvent(delivery.raw, header, secret);
  expect(event).toEqual(delivery.json);
  return event;
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("constructEvent accepted it") as never,
    (error: unknown) => {
      expect(error).toBeInstanceOf(MedblocksSignatureError);
      return (error as MedblocksSignatureError).reason;
    },
  );

describe("a delivery", () => {
  it("goes out at once as a signed JSON POST of the spec's envelope, verified by constructEvent and by HMAC", async () => {
    const hook = await endpoint();
    const session = await mb.patientSession.init(sessionBody({ metadata: { plan: "gold" } }));
    h.sb.completeSession(session.id, { outcome: "approve", connectionId: CATALOG[0]!.id });
    const deliveries = await receiver.waitFor(2);
    for (const delivery of deliveries) {
      expect(delivery.headers["content-type"]).toBe("application/json");
      expect(Object.keys(delivery.json)).toEqual(["id", "object", "type", "api_version", "created_at", "data"]);
      expect(deliveryViolations(delivery.json)).toEqual([]);
      await verified(delivery, hook.secret);
    }
    // In the order they happened, one endpoint at a time.
    expect(deliveries.map((delivery) => delivery.json.type)).toEqual(["records.sync.completed", "patient_session.completed"]);
    expect(deliveries[1]!.json.data.object).toMatchObject({ id: session.id, status: "complete", metadata: { plan: "gold" } });

    await h.sb.webhooks.flush();
    const records = (await mb.webhooks.listEvents(hook.id)).data;
    expect(records.map((record) => record.id).sort()).toEqual(deliveries.map((delivery) => delivery.json.id).sort());
    for (const record of records) {
      expect(record).toMatchObject({
        attempts: 1,
        delivered_at: at(0),
        next_attempt_at: null,
        last_status_code: 200,
        last_response_body: null,
      });
    }
    expect((await mb.webhooks.listEvents(hook.id, { delivered: true })).data).toHaveLength(2);
  });

  it("goes only to active endpoints subscribed to its type", async () => {
    const all = await endpoint();
    await endpoint(["records.sync.failed"]);
    const paused = await endpoint(["*"]);
    await mb.webhooks.update(paused.id, { status: "disabled" });
    await completed();
    await h.sb.webhooks.flush();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.json.type).toBe("patient_session.completed");
    await verified(receiver.received[0]!, all.secret);
  });

  it("keeps the start of the receiver's answer, cut at 4 KB between characters", async () => {
    const hook = await endpoint();
    receiver.answers = [{ status: 400, body: `x${"é".repeat(3000)}` }];
    await completed();
    await h.sb.webhooks.flush();
    // "x" and 2047 two-byte characters: 4095 bytes; the next character would pass 4096.
    expect(await latest(hook.id)).toMatchObject({ last_status_code: 400, last_response_body: `x${"é".repeat(2047)}` });
  });
});

describe("retries", () => {
  it("follow the schedule as the clock advances, then the endpoint is disabled after the ninth failure", async () => {
    const hook = await endpoint();
    receiver.answers = Array.from({ length: 9 }, (_, index) => ({ status: 500 + index, body: `failure ${index + 1}` }));
    await completed();
    await h.sb.webhooks.flush();
    const record = () => latest(hook.id);
    expect(await record()).toMatchObject({
      attempts: 1,
      last_status_code: 500,
      last_response_body: "failure 1",
      next_attempt_at: at(60),
      delivered_at: null,
    });
    const waits = [60, 300, 1800, 7200, 43_200, 86_400, 86_400, 86_400];
    let elapsed = 0;
    for (const [index, wait] of waits.entries()) {
      h.sb.clock.advance(wait - 1);
      await h.sb.webhooks.flush();
      expect(receiver.received).toHaveLength(index + 1);
      h.sb.clock.advance(1);
      await h.sb.webhooks.flush();
      elapsed += wait;
      expect(receiver.received).toHaveLength(index + 2);
      const next = waits[index + 1];
      expect(await record()).toMatchObject({
        attempts: index + 2,
        last_status_code: 501 + index,
        next_attempt_at: next === undefined ? null : at(elapsed + next),
      });
    }
    expect(await mb.webhooks.retrieve(hook.id)).toMatchObject({ status: "disabled", updated_at: at(elapsed) });
    // Every attempt was the same event, signed afresh.
    expect(new Set(receiver.received.map((delivery) => delivery.json.id)).size).toBe(1);
    for (const delivery of receiver.received) await verified(delivery, hook.secret);

    h.sb.clock.advance(30 * 86_400);
    await completed();
    await h.sb.webhooks.flush();
    expect(receiver.received).toHaveLength(9);
    // Switched back on: what happened while disabled was not recorded for it; the old event waits for a redelivery.
    await mb.webhooks.update(hook.id, { status: "active" });
    await h.sb.webhooks.flush();
    expect(receiver.received).toHaveLength(9);
    const redelivered = await mb.events.redeliver((await record()).id);
    expect(redelivered).toMatchObject({ attempts: 10, last_status_code: 200, delivered_at: expect.any(String), next_attempt_at: null });
    expect((await mb.webhooks.retrieve(hook.id)).status).toBe("active");
  });

  it("count a timeout (no answer within webhookTimeoutMs) and a refused connection as failures", async () => {
    const slow = await endpoint();
    receiver.answers = [{ status: 200, delayMs: 5_000 }];
    const nobody = await endpoint(["*"], `http://127.0.0.1:${await closedPort()}/hooks`);
    await completed();
    await h.sb.webhooks.flush();
    for (const hook of [slow, nobody]) {
      expect(await latest(hook.id)).toMatchObject({
        attempts: 1,
        last_status_code: null,
        last_response_body: null,
        delivered_at: null,
        next_attempt_at: at(60),
      });
    }
    expect(receiver.received).toHaveLength(1);
  });

  it("count a redirect as a failure: it is not followed, so a signed delivery never reaches where it points", async () => {
    const elsewhere = await startReceiver();
    try {
      for (const status of [301, 302, 303, 307, 308]) {
        h.sb.reset();
        receiver.received.length = 0;
        const hook = await endpoint();
        receiver.answers = [{ status, headers: { location: elsewhere.url } }];
        await completed();
        await h.sb.webhooks.flush();
        expect(receiver.received, String(status)).toHaveLength(1);
        expect(await latest(hook.id)).toMatchObject({ attempts: 1, last_status_code: status, delivered_at: null, next_attempt_at: at(60) });
      }
      expect(elsewhere.received).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  it("wait while their endpoint is disabled, and go out when it is switched back on", async () => {
    const hook = await endpoint();
    receiver.answers = [{ status: 500 }];
    await completed();
    await h.sb.webhooks.flush();
    await mb.webhooks.update(hook.id, { status: "disabled" });
    h.sb.clock.advance(60);
    await h.sb.webhooks.flush();
    expect(receiver.received).toHaveLength(1);
    await mb.webhooks.update(hook.id, { status: "active" });
    await h.sb.webhooks.flush();
    expect(receiver.received).toHaveLength(2);
    expect(await latest(hook.id)).toMatchObject({ attempts: 2, delivered_at: at(60) });
  });

  it("stop when the endpoint is deleted", async () => {
    const hook = await endpoint();
    receiver.answers = [{ status: 503 }];
    await completed();
    await h.sb.webhooks.flush();
    await mb.webhooks.delete(hook.id);
    h.sb.clock.advance(3600);
    await h.sb.webhooks.flush();
    expect(receiver.received).toHaveLength(1);
  });
});

describe("redelivery", () => {
  it("sends the same event again now and answers with its record after the attempt", async () => {
    const hook = await endpoint();
    receiver.answers = [{ status: 500 }];
    await completed();
    await h.sb.webhooks.flush();
    const [event] = (await mb.webhooks.listEvents(hook.id)).data;
    const redelivered = await mb.events.redeliver(event!.id);
    expect(redelivered).toMatchObject({
      id: event!.id,
      attempts: 2,
      last_status_code: 200,
      delivered_at: at(0),
      next_attempt_at: null,
      last_redelivered_at: at(0),
    });
    expect(receiver.received.map((delivery) => delivery.json.id)).toEqual([event!.id, event!.id]);
    for (const delivery of receiver.received) await verified(delivery, hook.secret);
    // A delivered event plans no retry even when a later redelivery fails.
    receiver.answers = [{ status: 502 }];
    h.sb.clock.advance(60);
    expect(await mb.events.redeliver(event!.id)).toMatchObject({
      attempts: 3,
      last_status_code: 502,
      delivered_at: at(0),
      next_attempt_at: null,
    });
  });
});

describe("rotation", () => {
  it("signs with the new secret from that moment; the old one no longer verifies", async () => {
    const hook = await endpoint();
    await completed();
    await verified((await receiver.waitFor(1))[0]!, hook.secret);
    const { secret } = await mb.webhooks.rotateSecret(hook.id);
    await completed();
    const [, after] = await receiver.waitFor(2);
    await verified(after!, secret);
    expect(await refusal(Medblocks.webhooks.constructEvent(after!.raw, after!.headers["medblocks-signature"] as string, hook.secret))).toBe(
      "no_matching_signature",
    );
  });
});

describe("delivery faults", () => {
  it("duplicate: the very same request twice; the record counts one attempt", async () => {
    const hook = await endpoint();
    h.sb.injectFault({ delivery: "duplicate" });
    await completed();
    await h.sb.webhooks.flush();
    const [first, second] = receiver.received;
    expect(receiver.received).toHaveLength(2);
    expect(second!.raw.equals(first!.raw)).toBe(true);
    expect(second!.headers["medblocks-signature"]).toBe(first!.headers["medblocks-signature"]);
    await verified(second!, hook.secret);
    expect(await latest(hook.id)).toMatchObject({ attempts: 1, last_status_code: 200 });
  });

  it("out_of_order: held back until the next delivery to the endpoint went out", async () => {
    await endpoint();
    h.sb.injectFault({ delivery: "out_of_order" });
    const session = await mb.patientSession.init(sessionBody());
    h.sb.completeSession(session.id, { outcome: "approve", connectionId: CATALOG[0]!.id });
    await h.sb.webhooks.flush();
    expect(receiver.received.map((delivery) => delivery.json.type)).toEqual(["patient_session.completed", "records.sync.completed"]);
  });

  it("out_of_order: the held event follows as soon as the next one went out, not at the end of its hold", async () => {
    await endpoint();
    h.sb.injectFault({ delivery: "out_of_order" });
    // With the system clock stopped a hold never runs out: only the delivery that overtakes it can release it.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    try {
      const session = await mb.patientSession.init(sessionBody());
      h.sb.completeSession(session.id, { outcome: "approve", connectionId: CATALOG[0]!.id });
      const deliveries = await receiver.waitFor(2, 3_000);
      expect(deliveries.map((delivery) => delivery.json.type)).toEqual(["patient_session.completed", "records.sync.completed"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("out_of_order with nothing to overtake it: sent after the hold", async () => {
    const hook = await endpoint();
    h.sb.injectFault({ delivery: "out_of_order" });
    await completed();
    await h.sb.webhooks.flush();
    expect(receiver.received).toHaveLength(1);
    expect(await latest(hook.id)).toMatchObject({ attempts: 1, delivered_at: at(0) });
  });

  it("stale_timestamp: signed correctly, ten minutes ago, so constructEvent refuses it as a replay", async () => {
    const hook = await endpoint();
    h.sb.injectFault({ delivery: "stale_timestamp" });
    await completed();
    const [delivery] = await receiver.waitFor(1);
    const header = delivery!.headers["medblocks-signature"] as string;
    const { t, v1 } = signature(header);
    expect(Math.round(Date.now() / 1000 - t)).toBeGreaterThanOrEqual(599);
    expect(v1).toEqual([
      createHmac("sha256", hook.secret)
        .update(`${t}.${delivery!.raw.toString("utf8")}`)
        .digest("hex"),
    ]);
    expect(await refusal(Medblocks.webhooks.constructEvent(delivery!.raw, header, hook.secret))).toBe("timestamp_out_of_tolerance");
  });

  it("bad_signature: a current timestamp, but not the endpoint's secret", async () => {
    const hook = await endpoint();
    h.sb.injectFault({ delivery: "bad_signature" });
    await completed();
    const [delivery] = await receiver.waitFor(1);
    expect(
      await refusal(Medblocks.webhooks.constructEvent(delivery!.raw, delivery!.headers["medblocks-signature"] as string, hook.secret)),
    ).toBe("no_matching_signature");
  });

  it("apply to the next N deliveries in the order queued, are listed and cleared with the other faults", async () => {
    const hook = await endpoint();
    h.sb.injectFault({ delivery: "bad_signature", times: 2 });
    h.sb.injectFault({ operation: "api.listPatients", status: 500 });
    h.sb.injectFault({ delivery: "duplicate" });
    expect(h.sb.faults()).toEqual([
      { operation: "api.listPatients", times: 1, status: 500, code: "internal_error" },
      { delivery: "bad_signature", times: 2 },
      { delivery: "duplicate", times: 1 },
    ]);
    for (let index = 0; index < 4; index++) await completed();
    await h.sb.webhooks.flush();
    const reasons = [];
    for (const delivery of receiver.received) {
      reasons.push(
        await Medblocks.webhooks.constructEvent(delivery.raw, delivery.headers["medblocks-signature"] as string, hook.secret).then(
          () => "ok",
          (error: MedblocksSignatureError) => error.reason,
        ),
      );
    }
    expect(reasons).toEqual(["no_matching_signature", "no_matching_signature", "ok", "ok", "ok"]);
    h.sb.injectFault({ delivery: "stale_timestamp" });
    h.sb.clearFaults();
    expect(h.sb.faults()).toEqual([]);
  });

  it("are refused when malformed, naming the field; over HTTP too", async () => {
    expect(() => h.sb.injectFault({ delivery: "sideways" } as never)).toThrow(
      expect.objectContaining({ param: "delivery", code: "invalid_data" }),
    );
    expect(() => h.sb.injectFault({ delivery: "duplicate", times: 0 })).toThrow(expect.objectContaining({ param: "times" }));
    const queued = await h.raw("POST", "/__sandbox/faults", { body: { delivery: "out_of_order", times: 3 } });
    expect(queued.body).toEqual({ delivery: "out_of_order", remaining: 3 });
    expect((await h.raw("GET", "/__sandbox/faults")).body.data).toEqual([{ delivery: "out_of_order", remaining: 3 }]);
  });
});

describe("destinations", () => {
  it("loopback only: a remote URL is not sent to, counts as a failed attempt, and is reported once", async () => {
    const calls: string[] = [];
    const sb = createSandbox({
      now: () => T0,
      report: (message) => calls.push(`report: ${message}`),
      webhookFetch: async (url) => (calls.push(url), new Response(null, { status: 204 })),
    });
    try {
      const client = new Medblocks(sb.apiKey, { baseUrl: sb.baseUrl, fetch: sb.fetch, maxNetworkRetries: 0 });
      const hook = await client.webhooks.create({ url: "https://hooks.example.com/medblocks", events: ["*"] });
      for (let index = 0; index < 2; index++) {
        const session = await client.patientSession.init(sessionBody());
        sb.completeSession(session.id);
      }
      await sb.webhooks.flush();
      expect(calls).toEqual([expect.stringMatching(/^report: .*hooks\.example\.com is not a loopback address.*--allow-remote-webhooks/)]);
      for (const event of (await client.webhooks.listEvents(hook.id)).data)
        expect(event).toMatchObject({ attempts: 1, last_status_code: null, next_attempt_at: at(60) });
    } finally {
      await sb.close();
    }
  });

  it("anywhere with allowRemoteWebhooks, through the injected fetch", async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const sb = createSandbox({
      now: () => T0,
      allowRemoteWebhooks: true,
      webhookFetch: async (url, init) => (calls.push({ url, init }), new Response("ok", { status: 202 })),
    });
    try {
      const client = new Medblocks(sb.apiKey, { baseUrl: sb.baseUrl, fetch: sb.fetch, maxNetworkRetries: 0 });
      const hook = await client.webhooks.create({ url: "https://hooks.example.com/medblocks", events: ["*"] });
      const session = await client.patientSession.init(sessionBody());
      sb.completeSession(session.id);
      await sb.webhooks.flush();
      expect(calls.map((call) => [call.url, call.init.method])).toEqual([["https://hooks.example.com/medblocks", "POST"]]);
      const headers = calls[0]!.init.headers as Record<string, string>;
      const event = await Medblocks.webhooks.constructEvent(calls[0]!.init.body as string, headers["Medblocks-Signature"]!, hook.secret);
      expect(event.type).toBe("patient_session.completed");
      expect((await client.webhooks.listEvents(hook.id)).data[0]).toMatchObject({
        attempts: 1,
        last_status_code: 202,
        last_response_body: "ok",
      });
    } finally {
      await sb.close();
    }
  });

  it.each([
    ["localhost", true],
    ["LOCALHOST", true],
    ["127.0.0.1", true],
    ["127.200.3.4", true],
    ["2130706433", true],
    ["[::1]", true],
    ["::1", true],
    ["[0:0:0:0:0:0:0:1]", true],
    ["[::ffff:127.0.0.1]", true],
    ["localhost.", false],
    ["app.localhost", false],
    ["127.0.0.1.nip.io", false],
    ["0.0.0.0", false],
    ["[::]", false],
    ["10.0.0.1", false],
    ["[::ffff:10.0.0.1]", false],
    ["example.com", false],
  ])("%s is loopback: %s", (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
    const url = `http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:3000/hooks`;
    expect(destinationProblem(url, false) === null).toBe(loopback);
    expect(destinationProblem(url, true)).toBeNull();
  });
});

describe("the sandbox's own waits and timers", () => {
  it("flush waits for a slow receiver, and gives up after its timeout", async () => {
    const hook = await endpoint();
    receiver.answers = [{ status: 200, delayMs: 100 }];
    await completed();
    await h.sb.webhooks.flush();
    expect((await latest(hook.id)).delivered_at).toBe(at(0));
    receiver.answers = [{ status: 200, delayMs: 250 }];
    await completed();
    await expect(h.sb.webhooks.flush({ timeoutMs: 20 })).rejects.toThrow(/still in flight after 20 ms/);
  });

  it("close aborts what is in flight without recording it, and sends nothing more", async () => {
    const local = await startReceiver();
    const sb = createSandbox({ now: () => T0 });
    try {
      const client = new Medblocks(sb.apiKey, { baseUrl: sb.baseUrl, fetch: sb.fetch, maxNetworkRetries: 0 });
      const hook = await client.webhooks.create({ url: local.url, events: ["*"] });
      local.answers = [{ status: 200, delayMs: 10_000 }];
      const session = await client.patientSession.init(sessionBody());
      sb.completeSession(session.id);
      await local.waitFor(1);
      await sb.close();
      expect((await client.webhooks.listEvents(hook.id)).data[0]).toMatchObject({ attempts: 0, next_attempt_at: at(0) });
      const again = await client.patientSession.init(sessionBody());
      sb.completeSession(again.id);
      await sb.webhooks.flush();
      expect(local.received).toHaveLength(1);
    } finally {
      await sb.close();
      await local.close();
    }
  });

  it("refuses a webhook timeout that is not a whole number of ms from 1 to 60000, naming the option", () => {
    for (const webhookTimeoutMs of [0, 1.5, 60_001]) {
      expect(() => createSandbox({ webhookTimeoutMs })).toThrow(expect.objectContaining({ param: "webhookTimeoutMs" }));
    }
  });
});

describe("trigger", () => {
  it.each([
    ["patient_session.completed", ["records.sync.completed", "patient_session.completed"]],
    ["records.sync.completed", ["records.sync.completed"]],
    ["records.sync.failed", ["records.sync.failed"]],
    ["connection.token_refresh_failed", ["records.sync.completed", "connection.token_refresh_failed"]],
  ] as const)("%s: played as the service would, delivered and verified", async (type, types) => {
    const hook = await endpoint();
    const result = await h.sb.trigger(type);
    expect(result.patient_id).toMatch(/^trigger_/);
    expect(result.events.map((event) => [event.type, event.attempts, event.last_status_code])).toEqual(types.map((name) => [name, 1, 200]));
    expect(receiver.received.map((delivery) => delivery.json.type)).toEqual(types);
    for (const delivery of receiver.received) {
      expect(deliveryViolations(delivery.json)).toEqual([]);
      const object = delivery.json.data.object;
      if (delivery.json.type === "connection.token_refresh_failed")
        expect(object).toMatchObject({ id: expect.stringMatching(/^conn_/), status: "refresh_failed" });
      else expect(object.patient_id).toBe(result.patient_id);
      await verified(delivery, hook.secret);
    }
    const session = await mb.patientSession.retrieve(result.patient_session_id);
    expect(session.status).toBe(type === "patient_session.completed" ? "complete" : "open");
  });

  it("records nothing to deliver when no endpoint listens, and refuses an unknown type", async () => {
    expect((await h.sb.trigger("records.sync.failed")).events).toEqual([]);
    await expect(h.sb.trigger("patient.created" as never)).rejects.toMatchObject({ param: "type", code: "invalid_data" });
  });
});
