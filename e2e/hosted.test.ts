/**
 * Hosted mode in real Chromium: the patient starts from the example app,
 * finds an EHR on the sandbox's hosted page, signs in there with an outcome,
 * and comes back to the app, which verifies the return and says how it went.
 */
import { describe, expect, it } from "vitest";
import { browserTests, newUser } from "./support/fixture.js";
import { expectEventsListed, recordsInSandbox, recordsTable } from "./support/records.js";
import { deniedJourney } from "./support/scenarios.js";
import { expectHeading, listItems } from "./support/steps.js";

const t = browserTests("hosted");

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
    await expectEventsListed(page, t.client(), user, ["records.sync.completed", "patient_session.completed"]);
    await journey.steps.record(page, "webhook events listed");
  });

  it("deny: Connection failed, the EHR listed as not connected", ({ task }) => deniedJourney(t, task.name));

  it("leave without connecting: Not connected", async ({ task }) => {
    const journey = await t.journey(task.name);
    await journey.signIn(newUser("leave"));
    await journey.connectHosted();
    await journey.returnToApp();
    await journey.expectOutcome("Not connected");
    for (const list of ["Connected health systems", "Health systems not connected"])
      expect(await journey.page.getByRole("list", { name: list }).count(), list).toBe(0);
  });
});
