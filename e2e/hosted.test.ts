/**
 * Hosted mode in real Chromium: the patient starts from the example app,
 * finds an EHR on the sandbox's hosted page, signs in there with an outcome,
 * and comes back to the app, which verifies the return and says how it went.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Medblocks } from "../src/index.js";
import { browserTests, newUser } from "./support/fixture.js";
import { expectHeading, listItems, reloadUntil } from "./support/steps.js";

const t = browserTests("hosted");

/** The table "Records by resource type" as type → count, its Total row included. */
async function recordsTable(page: Page): Promise<Map<string, number>> {
  const table = page.getByRole("table", { name: "Records by resource type", exact: true });
  const counts = new Map<string, number>();
  for (const row of await table.getByRole("row").all()) {
    if ((await row.getByRole("rowheader").count()) === 0) continue; // the column headers
    counts.set((await row.getByRole("rowheader").innerText()).trim(), Number(await row.getByRole("cell").innerText()));
  }
  return counts;
}

/** What the sandbox holds for `patientId`, counted the same way, read with the client. */
async function recordsInSandbox(mb: Medblocks, patientId: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let total = 0;
  for await (const { resource } of mb.patients.records(patientId)) {
    counts.set(resource.resourceType, (counts.get(resource.resourceType) ?? 0) + 1);
    total++;
  }
  return counts.set("Total", total);
}

/** The ids of the events of `type` about `patientId` that the sandbox delivered to the app's endpoint with a 2xx. */
async function deliveredEvents(mb: Medblocks, patientId: string, type: string): Promise<string[]> {
  const [endpoint, ...others] = (await mb.webhooks.list()).data;
  expect(others, "one endpoint: the one --forward-to registered").toEqual([]);
  const ids: string[] = [];
  for await (const event of mb.webhooks.listEvents(endpoint!.id)) {
    const object = event.data.object as { patient_id?: unknown };
    if (event.type === type && object.patient_id === patientId && event.delivered_at !== null && event.last_status_code === 200) ids.push(event.id);
  }
  return ids;
}

describe("hosted mode", () => {
  it("search, pick a suggested EHR, approve, return: Connected, its records, and both webhooks verified", async ({ task }) => {
    const journey = await t.journey(task.name);
    const { page } = journey;
    const user = newUser("hosted");
    await journey.signIn(user);
    const suggested = await journey.connectHosted();
    expect(suggested.length, "the app suggests its partner EHRs").toBe(3);
    const ehr = suggested[0]!;

    const query = ehr.split(" ")[0]!;
    await page.getByRole("searchbox", { name: "Search for your health system", exact: true }).fill(query);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    const results = await listItems(page, "Search results");
    expect(results.length).toBeGreaterThan(0);
    for (const name of results) expect(name.toLowerCase()).toContain(query.toLowerCase());
    expect(await listItems(page, "Suggested"), "the suggestions stay after a search").toEqual(suggested);
    await journey.steps.record(page, "search results");

    await journey.pickSuggested(ehr);
    await journey.decide("Approve access");
    await expectHeading(page, "Connect your health records");
    expect(await listItems(page, "Connected")).toEqual([expect.stringContaining(ehr)]);
    await journey.steps.record(page, "hosted page after approving");
    await journey.returnToApp();
    await journey.expectOutcome("Connected");
    expect(await listItems(page, "Connected health systems")).toEqual([ehr]);

    await journey.navigate("Your records", "Your records");
    const shown = await recordsTable(page);
    const held = await recordsInSandbox(t.client(), user);
    expect(held.get("Total")).toBeGreaterThan(0);
    expect(shown).toEqual(held);

    await journey.navigate("Webhook events", "Webhook events");
    const mine = (type: string) =>
      page
        .getByRole("table", { name: "Verified webhook events", exact: true })
        .getByRole("row")
        .filter({ has: page.getByRole("cell", { name: type, exact: true }) })
        .filter({ has: page.getByRole("cell", { name: "you", exact: true }) })
        .filter({ has: page.getByRole("cell", { name: "verified", exact: true }) });
    for (const type of ["records.sync.completed", "patient_session.completed"]) {
      await reloadUntil(page, mine(type), 1);
      const listed = (await mine(type).getByRole("cell").allInnerTexts()).filter((text) => text.startsWith("evt_"));
      expect(listed, `${type}: the event the sandbox delivered, listed once`).toEqual(await deliveredEvents(t.client(), user, type));
    }
    await journey.steps.record(page, "webhook events listed");
  });

  it("deny: Connection failed, the EHR listed as not connected", async ({ task }) => {
    const journey = await t.journey(task.name);
    await journey.signIn(newUser("deny"));
    const [ehr] = await journey.connectHosted();
    await journey.pickSuggested(ehr!);
    await journey.decide("Deny access");
    await expectHeading(journey.page, "Connect your health records");
    expect(await listItems(journey.page, "Not connected")).toEqual([expect.stringContaining(ehr!)]);
    await journey.steps.record(journey.page, "hosted page after denying");
    await journey.returnToApp();
    await journey.expectOutcome("Connection failed");
    expect(await listItems(journey.page, "Health systems not connected")).toEqual([ehr]);
    expect(await journey.page.getByRole("list", { name: "Connected health systems" }).count()).toBe(0);
  });

  it("leave without connecting: Not connected", async ({ task }) => {
    const journey = await t.journey(task.name);
    await journey.signIn(newUser("leave"));
    await journey.connectHosted();
    await journey.returnToApp();
    await journey.expectOutcome("Not connected");
    for (const list of ["Connected health systems", "Health systems not connected"]) expect(await journey.page.getByRole("list", { name: list }).count(), list).toBe(0);
  });
});
