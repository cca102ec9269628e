/**
 * The dashboard's clock in real Chromium. Its own file, so its own sandbox:
 * advancing the clock moves the whole workspace's time.
 */
import { describe, expect, it } from "vitest";
import { Dashboard } from "./support/dashboard.js";
import { browserTests, newUser } from "./support/fixture.js";
import { expectHeading } from "./support/steps.js";

const t = browserTests("dashboard clock");

describe("the dashboard's clock", () => {
  it("Advance past a session's expiry: the dashboard lists it expired, and the patient's page says the link expired", async ({ task }) => {
    const journey = await t.journey(task.name);
    const user = newUser("dashboard-clock");
    await journey.signIn(user);
    await journey.connectHosted();
    const [session] = (await t.client().patients.listPatientSessions(user)).data;
    const dashboard = new Dashboard(await journey.page.context().newPage(), journey.steps, t.stack.sandboxUrl);
    await dashboard.open();
    await dashboard.section("Sessions");
    const status = () =>
      dashboard.page
        .getByRole("table", { name: "Sessions", exact: true })
        .getByRole("row")
        .filter({ hasText: session!.id })
        .getByRole("cell")
        .nth(2)
        .innerText();
    expect(await status()).toBe("open");

    const seconds = Math.ceil((Date.parse(session!.expires_at) - Date.now()) / 1000) + 5;
    await dashboard.advance(seconds);
    await dashboard.section("Sessions");
    expect(await status()).toBe("expired");
    await dashboard.session(session!.id);
    const timeline = await dashboard.page.getByRole("list", { name: "Timeline", exact: true }).getByRole("listitem").allInnerTexts();
    expect(timeline.at(-1)).toMatch(/Expired: the workspace's clock reached expires_at/);
    expect(await dashboard.page.getByRole("button", { name: /^Complete as / }).count(), "an expired session cannot complete").toBe(0);

    await journey.page.reload();
    await expectHeading(journey.page, "This link has expired");
    await journey.steps.record(journey.page, "the patient's page after the advance");
  });
});
