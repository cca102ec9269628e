/**
 * A session that expires before the patient finishes. Its own file, so its
 * own sandbox: advancing the clock moves the whole workspace's time.
 *
 * The hosted page offers no way back once the session expired (every page
 * answers 410), and every way back it does offer completes the session
 * first. So `expired` reaches the app only through a return the page did
 * not just make: a return URL of this session opened after the expiry
 * (a bookmark, a tab restored, a link the patient kept). It is built here
 * with buildReturnUrl, exactly as the page builds it.
 */
import { describe, expect, it } from "vitest";
import { buildReturnUrl } from "../src/index.js";
import { browserTests, newUser } from "./support/fixture.js";
import { expectHeading } from "./support/steps.js";

const t = browserTests("expiry");

/** Moves the workspace's clock just past `expiresAt`. */
async function advancePast(expiresAt: string): Promise<void> {
  const { now } = (await t.stack.control("GET", "/clock")) as { now: string };
  const seconds = Math.ceil((Date.parse(expiresAt) - Date.parse(now)) / 1000) + 1;
  expect(seconds, "the session expires in the future").toBeGreaterThan(1);
  await t.stack.control("POST", "/clock/advance", { seconds });
}

describe("expiry", () => {
  it("the clock past expires_at: the patient's next step shows the expired page; the return says Link expired", async ({ task }) => {
    const journey = await t.journey(task.name);
    const { page } = journey;
    const user = newUser("expiry");
    await journey.signIn(user);
    const [ehr] = await journey.connectHosted();
    const sessionUrl = page.url();
    await journey.pickSuggested(ehr!);

    const [session, ...others] = (await t.client().patients.listPatientSessions(user)).data;
    expect(others).toEqual([]);
    expect(session!.url).toBe(sessionUrl);
    await advancePast(session!.expires_at);

    // The patient approves on the EHR's page, too late.
    await journey.decide("Approve access");
    await expectHeading(page, "This link has expired");
    await journey.steps.record(page, "approve after expiry");
    // The session's URL itself, opened again.
    const reopened = await page.goto(sessionUrl);
    expect(reopened?.status()).toBe(410);
    await expectHeading(page, "This link has expired");
    expect(await page.getByRole("button").count(), "no way on").toBe(0);
    await journey.steps.record(page, "session url after expiry");

    const returned = await page.goto(
      buildReturnUrl(`${t.stack.appUrl}/connected`, { mode: "hosted", patient_id: user, patient_session_id: session!.id }),
    );
    expect(returned?.status()).toBe(200);
    await journey.expectOutcome("Link expired");
    expect(await page.getByRole("list", { name: "Connected health systems" }).count()).toBe(0);
  });
});
