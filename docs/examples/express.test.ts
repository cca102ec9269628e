/**
 * The Express guide's code (docs/examples/express/), as it runs:
 *
 * - medblocks-routes.ts in a real Express app on a loopback port, against an
 *   in-process sandbox that delivers its webhooks to that port over HTTP; the
 *   hosted page driven through its HTML and forms as a browser would (`sb.visit`).
 *   Sign-in is the app's own: here a stand-in sets `res.locals.user`.
 * - run.sh, the guide's command: the sandbox and server.ts under
 *   `medblocks-sandbox exec`, stopped by its process group.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import express from "express";
import { Medblocks, type WebhookEvent } from "medblocks-client";
import { createSandbox, type Sandbox } from "medblocks-sandbox";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { startJob, type Job } from "../../e2e/support/process-group.js";
import { closedPort } from "../../test/support/closed-port.js";
import { medblocksRoutes } from "./express/medblocks-routes.js";

const EXAMPLE_DIR = fileURLToPath(new URL("./express/", import.meta.url));

describe("the Express guide's routes", () => {
  let sb: Sandbox;
  let mb: Medblocks;
  let server: Server;
  let appUrl: string;
  let events: WebhookEvent[];

  beforeEach(async () => {
    // Each test's own array: a delivery of an earlier test's sandbox still in flight lands in that test's.
    const received: WebhookEvent[] = [];
    events = received;
    sb = createSandbox({ report: () => {} });
    mb = new Medblocks(sb.apiKey, { baseUrl: sb.baseUrl, fetch: sb.fetch });
    const app = express();
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
    });
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { secret } = await mb.webhooks.create({ url: `${appUrl}/webhooks/medblocks`, events: ["*"] });
    // The app's own sign-in, in this test: the user named by a header.
    app.use((req, res, next) => {
      const id = req.get("x-test-user");
      if (id) res.locals.user = { id, email: `${id}@example.com` };
      next();
    });
    app.use(medblocksRoutes(mb, { appUrl, webhookSecret: secret, onEvent: (event) => void received.push(event) }));
  });
  afterEach(async () => {
    await sb.webhooks.flush();
    await sb.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const as = (user: string) => ({ headers: { "x-test-user": user }, redirect: "manual" as const });

  /** POST /connect as `user`, then the hosted page as the patient: an EHR, the outcome, and back. */
  async function connect(user: string, outcome: "approve" | "deny"): Promise<string> {
    const started = await fetch(`${appUrl}/connect`, { method: "POST", ...as(user) });
    expect(started.status).toBe(303);
    const ehr = (await mb.connections.list({ limit: 1 })).data[0]!;
    const landing = await sb.visit(started.headers.get("location")!, { outcome, connectionId: ehr.id });
    expect(landing.startsWith(`${appUrl}/connected?`), landing).toBe(true);
    return landing;
  }

  it("connects a signed-in user, verifies the return, and receives the verified webhooks once each", async () => {
    const landing = await connect("user_1", "approve");
    const returned = await fetch(landing, as("user_1"));
    expect([returned.status, await returned.text()]).toEqual([200, "Connected: your records are on their way."]);
    await sb.webhooks.flush();
    expect(events.map((event) => event.type).sort()).toEqual(["patient_session.completed", "records.sync.completed"]);

    // A delivery repeated byte for byte is answered 200 and handled once.
    sb.injectFault({ delivery: "duplicate" });
    await sb.trigger("records.sync.completed");
    await sb.webhooks.flush();
    expect(events.map((event) => event.type).sort()).toEqual([
      "patient_session.completed",
      "records.sync.completed",
      "records.sync.completed",
    ]);
  });

  it("says a denial failed", async () => {
    const landing = await connect("user_2", "deny");
    const returned = await fetch(landing, as("user_2"));
    expect([returned.status, await returned.text()]).toEqual([200, "A health system could not be connected. Try again."]);
  });

  it("refuses a return in another user's browser, a forged one, and one without a signed-in user", async () => {
    const landing = await connect("user_3", "approve");
    await fetch(`${appUrl}/connect`, { method: "POST", ...as("user_4") });
    for (const [user, url] of [
      ["user_4", landing],
      ["user_3", landing.replace(/patient_id=[^&]+/, "patient_id=user_4")],
    ] as const) {
      const refused = await fetch(url, as(user));
      expect([refused.status, await refused.text()]).toEqual([400, "This link is not valid for your account"]);
    }
    expect((await fetch(landing, { redirect: "manual" })).status).toBe(400);
    expect((await fetch(`${appUrl}/connect`, { method: "POST", redirect: "manual" })).status).toBe(401);
  });

  it("refuses a delivery that is not signed with the endpoint's secret", async () => {
    const payload = JSON.stringify({ id: "evt_1", object: "event", type: "records.sync.completed", data: { object: {} } });
    const signature = await Medblocks.webhooks.generateTestHeaderString({ payload, secret: "whsec_not_the_endpoints" });
    const refused = await fetch(`${appUrl}/webhooks/medblocks`, {
      method: "POST",
      headers: { "content-type": "application/json", "medblocks-signature": signature },
      body: payload,
    });
    expect([refused.status, await refused.text()]).toEqual([400, "no_matching_signature"]);
    expect(events).toEqual([]);
  });
});

describe("the Express guide's command (run.sh)", () => {
  let job: Job | undefined;
  afterAll(async () => {
    await job?.interrupt(10_000);
  });

  it("starts the sandbox and server.ts with the three variables set, and stops on Ctrl-C", { timeout: 90_000 }, async () => {
    const port = await closedPort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
    for (const name of ["NODE_OPTIONS", "MEDBLOCKS_API_KEY", "MEDBLOCKS_BASE_URL", "MEDBLOCKS_WEBHOOK_SECRET"]) delete env[name];
    job = startJob("bash", ["run.sh"], { cwd: EXAMPLE_DIR, env });
    await job.waitFor(new RegExp(`listening on http://127\\.0\\.0\\.1:${port}`), 60_000);
    const appUrl = `http://127.0.0.1:${port}`;
    // The receiver runs with the endpoint's secret: a delivery signed with another is refused for that reason.
    const payload = JSON.stringify({ id: "evt_1", object: "event", type: "records.sync.completed", data: { object: {} } });
    const signature = await Medblocks.webhooks.generateTestHeaderString({ payload, secret: "whsec_not_the_endpoints" });
    const refused = await fetch(`${appUrl}/webhooks/medblocks`, {
      method: "POST",
      headers: { "content-type": "application/json", "medblocks-signature": signature },
      body: payload,
    });
    expect([refused.status, await refused.text()]).toEqual([400, "no_matching_signature"]);
    expect((await fetch(`${appUrl}/connect`, { method: "POST", redirect: "manual" })).status).toBe(401);
    const stopped = await job.interrupt(20_000);
    expect(stopped.killed, job.output()).toBe(false);
    expect(job.output(), "no secret in the output").not.toMatch(/whsec_|mb_sk_/);
  });
});
