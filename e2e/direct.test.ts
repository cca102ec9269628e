/**
 * Direct mode in real Chromium: the app's "Connect directly to …" button
 * goes straight to that EHR's sign-in, whose outcome sends the browser
 * straight back to the app.
 */
import { describe, expect, it } from "vitest";
import { browserTests, newUser } from "./support/fixture.js";
import { listItems } from "./support/steps.js";

const t = browserTests("direct");

describe("direct mode", () => {
  it("approve: Connected, the EHR listed, and on the home page", async ({ task }) => {
    const journey = await t.journey(task.name);
    await journey.signIn(newUser("direct"));
    const ehr = await journey.connectDirect();
    expect(
      await journey.page.getByRole("link", { name: "Back to health systems" }).count(),
      "direct mode has no picker to go back to",
    ).toBe(0);
    await journey.decide("Approve access");
    await journey.expectOutcome("Connected");
    expect(await listItems(journey.page, "Connected health systems")).toEqual([ehr]);
    await journey.home();
    expect(await listItems(journey.page, "Your health systems")).toEqual([`${ehr}: connected`]);
  });

  it("deny: Connection failed, the EHR listed as not connected", async ({ task }) => {
    const journey = await t.journey(task.name);
    await journey.signIn(newUser("direct-deny"));
    const ehr = await journey.connectDirect();
    await journey.decide("Deny access");
    await journey.expectOutcome("Connection failed");
    expect(await listItems(journey.page, "Health systems not connected")).toEqual([ehr]);
    expect(await journey.page.getByRole("list", { name: "Connected health systems" }).count()).toBe(0);
  });
});
