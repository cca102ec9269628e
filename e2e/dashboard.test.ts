/**
 * The sandbox's dashboard in real Chromium, beside the example app: a
 * delivery that failed shows why, then its retry; Redeliver makes an
 * attempt the app verifies; "Complete as deny" sends the patient back to
 * the app's "Connection failed"; every page passes axe; and a form from
 * another origin, or a request that names another host (DNS rebinding),
 * is refused.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import type { Medblocks } from "../src/index.js";
import { launchChromium } from "./support/browser.js";
import { Dashboard } from "./support/dashboard.js";
import { browserTests, newUser } from "./support/fixture.js";
import type { Journey } from "./support/journey.js";
import { expectHeading, reloadUntil } from "./support/steps.js";

const t = browserTests("dashboard");

/** The id of the event of `type` about `patientId`, once the sandbox made at least one attempt of it (bounded wait). */
async function eventAbout(mb: Medblocks, patientId: string, type: string): Promise<string> {
  const [endpoint] = (await mb.webhooks.list()).data;
  for (let tries = 0; tries < 50; tries++) {
    for await (const event of mb.webhooks.listEvents(endpoint!.id)) {
      if (event.type === type && (event.data.object as { patient_id?: unknown }).patient_id === patientId && event.attempts > 0)
        return event.id;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no attempted ${type} event about ${patientId}`);
}

/** A dashboard in another tab of the journey's browser (its cookies: the app's return works there). */
async function dashboardBeside(journey: Journey): Promise<Dashboard> {
  return new Dashboard(await journey.page.context().newPage(), journey.steps, t.stack.sandboxUrl);
}

describe("the dashboard", () => {
  it(
    "a delivery that failed and then succeeded shows both attempts with " +
      "their statuses; Redeliver makes a third, which the app verifies",
    async ({ task }) => {
      const journey = await t.journey(task.name);
      const user = newUser("dashboard-retry");
      const dashboard = await dashboardBeside(journey);
      await dashboard.open();
      await dashboard.page.getByLabel("Delivery fault", { exact: true }).selectOption("bad_signature");
      await dashboard.act("Inject delivery fault", "The fault is queued");

      await journey.signIn(user);
      await journey.connectDirect();
      await journey.decide("Approve access");
      await journey.expectOutcome("Connected");

      // The first delivery went out signed with another secret: the app answered 400 with why.
      const id = await eventAbout(t.client(), user, "records.sync.completed");
      await dashboard.event(id);
      expect(await dashboard.attempts()).toEqual(["Attempt 1: failed 400"]);
      expect(await dashboard.page.locator("pre", { hasText: /^no_matching_signature$/ }).count()).toBe(1);
      expect(await dashboard.page.getByRole("definition").filter({ hasText: "bad_signature: signed with another secret" }).count()).toBe(1);

      // The schedule's next attempt comes a minute later on the workspace's clock.
      await dashboard.advance(61);
      await dashboard.event(id);
      await reloadUntil(dashboard.page, dashboard.page.getByRole("heading", { level: 3, name: /^Attempt \d+:/ }), 2);
      expect(await dashboard.attempts()).toEqual(["Attempt 1: failed 400", "Attempt 2: delivered 200"]);
      await dashboard.steps.record(dashboard.page, "event after the retry");
      await dashboard.section("Webhooks");
      const rows = dashboard.page.getByRole("table", { name: "Delivery attempts", exact: true }).getByRole("row").filter({ hasText: id });
      expect((await rows.allInnerTexts()).map((text) => /(failed|delivered) \d{3}/.exec(text)![0])).toEqual([
        "delivered 200",
        "failed 400",
      ]);

      await dashboard.event(id);
      await dashboard.act("Redeliver", "The event was sent again");
      expect(await dashboard.attempts()).toEqual(["Attempt 1: failed 400", "Attempt 2: delivered 200", "Attempt 3: delivered 200"]);
      const lines = t.stack
        .appOutput()
        .split("\n")
        .filter((line) => line.includes(id));
      expect(lines).toEqual([
        `webhook records.sync.completed ${id} verified`,
        `webhook records.sync.completed ${id} verified, a repeat: ignored`,
      ]);
    },
  );

  it("Complete as deny on a session sends the patient back to the app's Connection failed", async ({ task }) => {
    const journey = await t.journey(task.name);
    const user = newUser("dashboard-deny");
    await journey.signIn(user);
    const ehr = await journey.connectDirect();
    const [session] = (await t.client().patients.listPatientSessions(user)).data;
    const dashboard = await dashboardBeside(journey);
    await dashboard.open();
    await dashboard.session(session!.id);
    await dashboard.act("Complete as deny", "The session completed.");
    const timeline = await dashboard.page.getByRole("list", { name: "Timeline", exact: true }).getByRole("listitem").allInnerTexts();
    expect(timeline.some((item) => item.includes(`The visit to ${ehr} ended in user_denied`))).toBe(true);
    await dashboard.page.getByRole("link", { name: "Open the return", exact: true }).click();
    await expectHeading(dashboard.page, "Connection failed");
    await dashboard.steps.record(dashboard.page, "the app after Complete as deny");
    // The patient's tab, still on the EHR's sign-in: the link is used up.
    await journey.page.reload();
    await expectHeading(journey.page, "This link was already used");
  });

  it("every other page passes axe: patients, requests, workspaces, a revealed secret, a page that is not there", async ({ task }) => {
    const journey = await t.journey(task.name);
    const dashboard = await dashboardBeside(journey);
    await dashboard.open();
    for (const section of ["Patients", "Requests", "Webhooks"] as const) await dashboard.section(section);
    await dashboard.page.getByRole("button", { name: "Reveal secret", exact: true }).first().click();
    await dashboard.page.getByRole("heading", { level: 1, name: /^Signing secret of wh_\w+$/ }).waitFor({ timeout: 15_000 });
    expect(await dashboard.page.locator("pre").innerText()).toMatch(/^whsec_[A-Za-z0-9]{58}$/);
    await dashboard.steps.record(dashboard.page, "secret revealed");
    const missing = await dashboard.page.goto(`${dashboard.page.url().replace(/\/webhooks.*$/, "")}/sessions/ps_none`);
    expect(missing?.status()).toBe(404);
    await expectHeading(dashboard.page, "No such session");
    await dashboard.steps.record(dashboard.page, "no such session");
    // Last: the list of workspaces is outside any one workspace's navigation.
    await dashboard.section("Workspaces");
  });

  it("an error's doc_url opens its code's entry in the API reference, with no network", async ({ task }) => {
    const journey = await t.journey(task.name);
    const requests: string[] = [];
    journey.page.on("request", (request) => requests.push(request.url()));
    const answer = await fetch(`${t.stack.sandboxUrl}/patients`, { signal: AbortSignal.timeout(15_000) });
    const { error } = (await answer.json()) as { error: { code: string; doc_url: string } };
    expect(error.doc_url).toBe(`${t.stack.sandboxUrl}/docs#/section/errors/missing_api_key`);
    await journey.page.goto(error.doc_url);
    const entry = journey.page.locator(`[id="section/errors/${error.code}"]`);
    await entry.waitFor({ timeout: 15_000 });
    expect(await entry.innerText()).toBe(error.code);
    expect(await entry.evaluate((element) => element.getBoundingClientRect().top)).toBeLessThan(200);
    // Redoc's page, not ours: photographed, not held to the dashboard's axe rule.
    await journey.steps.photograph(journey.page, "doc_url");
    // Nothing left the machine but what the page's CSP blocked before any request (Redoc's attribution logo).
    expect(requests.filter((url) => !url.startsWith(t.stack.sandboxUrl) && !url.startsWith("data:"))).toEqual([
      "https://cdn.redoc.ly/redoc/logo-mini-full.svg",
    ]);
  });
});

describe("who may use it", () => {
  it("refuses a form posted from a page on another origin, even with a valid token", async ({ task }) => {
    const journey = await t.journey(task.name);
    const dashboard = await dashboardBeside(journey);
    await dashboard.open();
    const action = await dashboard.page
      .locator("form", { has: dashboard.page.getByRole("button", { name: "Advance", exact: true }) })
      .getAttribute("action");
    const token = await dashboard.page
      .locator("form", { has: dashboard.page.getByRole("button", { name: "Advance", exact: true }) })
      .locator('input[name="form_token"]')
      .getAttribute("value");
    const before = ((await t.stack.control("GET", "/clock")) as { now: string }).now;
    // Another site on this machine: 127.0.0.1 on another port is another origin (and the same site).
    const other: Server = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(`<!doctype html><html lang="en"><head><title>Another site</title></head><body><main><h1>Another site</h1>
<form method="post" action="${t.stack.sandboxUrl}${action}"><input type="hidden" name="form_token" value="${token}"><input type="hidden" \
name="seconds" value="86400"><button type="submit">Win a prize</button></form></main></body></html>`);
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    try {
      await journey.page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
      const [response] = await Promise.all([
        journey.page.waitForResponse((candidate) => candidate.url().endsWith(action!)),
        journey.page.getByRole("button", { name: "Win a prize" }).click(),
      ]);
      expect(response.status()).toBe(403);
      await expectHeading(journey.page, "This form cannot be sent from here");
      await journey.steps.record(journey.page, "cross-origin form refused");
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
    expect(((await t.stack.control("GET", "/clock")) as { now: string }).now.slice(0, 16)).toBe(before.slice(0, 16));
  });

  it("refuses a page that reached it under another host name (DNS rebinding)", async () => {
    const port = new URL(t.stack.sandboxUrl).port;
    const rebound = await launchChromium(["--host-resolver-rules=MAP rebound.example 127.0.0.1"]);
    try {
      const page = await rebound.newPage();
      const response = await page.goto(`http://rebound.example:${port}/__sandbox/workspaces`);
      expect(response?.status()).toBe(403);
      expect(await page.content()).not.toContain("Known workspaces");
    } finally {
      await rebound.close();
    }
  });
});
