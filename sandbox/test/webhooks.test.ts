/**
 * Webhook endpoints, their secrets, event records and redelivery.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { CATALOG } from "../src/index.js";
import { expectNoViolations, failure, harness, sessionBody } from "./support/harness.js";

const h = harness({ now: () => Date.UTC(2026, 3, 25, 10) });
expectNoViolations(h);
const mb = h.client();
const HOOK = { url: "https://app.example.com/hooks", events: ["patient_session.completed" as const] };

beforeEach(() => {
  h.sb.reset();
  h.reports.length = 0;
});

async function completedSession() {
  const session = await mb.patientSession.init(sessionBody());
  h.sb.completeSession(session.id, { outcome: "approve", connectionId: CATALOG[0]!.id });
  return session;
}

describe("endpoints", () => {
  it("show the secret on create and on rotation only; rotation replaces it", async () => {
    const created = await mb.webhooks.create({ ...HOOK, description: "prod", metadata: { team: "a" } });
    expect(created).toMatchObject({
      status: "active",
      description: "prod",
      metadata: { team: "a" },
      api_version: "2026-04-25",
      created_at: "2026-04-25T10:00:00.000Z",
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9]{58}$/);
    expect(await mb.webhooks.retrieve(created.id)).not.toHaveProperty("secret");
    expect((await mb.webhooks.list()).data[0]).not.toHaveProperty("secret");
    const rotated = await mb.webhooks.rotateSecret(created.id);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    expect(JSON.stringify(h.sb.exportState())).toContain(rotated.secret);
    expect(JSON.stringify(h.sb.exportState())).not.toContain(created.secret);
  });

  it("PATCH changes what it is given: null removes the description, status re-enables", async () => {
    const created = await mb.webhooks.create({ ...HOOK, description: "prod" });
    expect(await mb.webhooks.update(created.id, {})).toEqual(await mb.webhooks.retrieve(created.id));
    const disabled = await mb.webhooks.update(created.id, { status: "disabled", description: null });
    expect(disabled).toMatchObject({ status: "disabled", description: null, url: HOOK.url, events: HOOK.events });
    expect((await mb.webhooks.list({ status: "disabled" })).data.map((endpoint) => endpoint.id)).toEqual([created.id]);
    expect((await mb.webhooks.list({ status: "active" })).data).toEqual([]);
    const raw = await h.raw("PATCH", `/webhooks/${created.id}`, { body: { status: "active", secret: "whsec_mine", id: "wh_mine" } });
    expect(raw.body).toMatchObject({ id: created.id, status: "active" });
    expect(JSON.stringify(h.sb.exportState())).not.toContain("whsec_mine");
  });

  it("deletes with the delivery history; unknown ids are 404", async () => {
    const created = await mb.webhooks.create(HOOK);
    await completedSession();
    const [event] = (await mb.webhooks.listEvents(created.id)).data;
    await mb.webhooks.delete(created.id);
    expect(await failure(mb.webhooks.retrieve(created.id))).toMatchObject({ statusCode: 404 });
    expect(await failure(mb.events.redeliver(event!.id))).toMatchObject({ statusCode: 404 });
  });
});

describe("events", () => {
  it("are recorded for active endpoints subscribed to the type; one not on loopback is never sent to", async () => {
    const subscribed = await mb.webhooks.create(HOOK);
    const other = await mb.webhooks.create({ ...HOOK, events: ["records.sync.failed"] });
    const disabled = await mb.webhooks.create({ ...HOOK, events: ["*"] });
    await mb.webhooks.update(disabled.id, { status: "disabled" });
    const session = await completedSession();
    await h.sb.webhooks.flush();
    const events = (await mb.webhooks.listEvents(subscribed.id)).data;
    expect(events).toHaveLength(1);
    // The first attempt was made at once and failed without a request (app.example.com is not loopback): a retry a minute later.
    expect(events[0]).toMatchObject({
      type: "patient_session.completed",
      webhook_endpoint_id: subscribed.id,
      api_version: "2026-04-25",
      attempts: 1,
      delivered_at: null,
      last_status_code: null,
      last_response_body: null,
      next_attempt_at: "2026-04-25T10:01:00.000Z",
      created_at: "2026-04-25T10:00:00.000Z",
      data: { object: { id: session.id, status: "complete" } },
    });
    expect(h.reports).toEqual([
      expect.stringContaining(`webhook endpoint ${subscribed.id}: not delivering: app.example.com is not a loopback address`),
    ]);
    expect((await mb.webhooks.listEvents(subscribed.id, { delivered: true })).data).toEqual([]);
    expect((await mb.webhooks.listEvents(subscribed.id, { delivered: false })).data).toEqual(events);
    expect((await mb.webhooks.listEvents(other.id)).data).toEqual([]);
    expect((await mb.webhooks.listEvents(disabled.id)).data).toEqual([]);
  });

  it("redelivery: once a minute per event, else 429 with Retry-After", async () => {
    const endpoint = await mb.webhooks.create(HOOK);
    await completedSession();
    const [event] = (await mb.webhooks.listEvents(endpoint.id)).data;
    expect(await mb.events.redeliver(event!.id)).toMatchObject({ id: event!.id, last_redelivered_at: "2026-04-25T10:00:00.000Z" });
    h.sb.clock.advance(20);
    const throttled = await failure(mb.events.redeliver(event!.id));
    expect(throttled).toMatchObject({ statusCode: 429, type: "rate_limit_error", code: "throttled", retryAfter: 40 });
    h.sb.clock.advance(40);
    expect(await mb.events.redeliver(event!.id)).toMatchObject({ last_redelivered_at: "2026-04-25T10:01:00.000Z" });
  });
});
