/**
 * A return URL proves nothing by itself: the app accepts one only for the
 * signed-in user and the session it started for them last.
 */
import { describe, expect, it } from "vitest";
import { browserTests, newUser } from "./support/fixture.js";
import { expectHeading } from "./support/steps.js";

const t = browserTests("replay");
const INVALID = "This link is not valid for your account";

describe("replayed returns", () => {
  it("one user's return opened in another user's browser: not valid for that account (400)", async ({ task }) => {
    const first = await t.journey(`${task.name} first user`);
    await first.signIn(newUser("first"));
    const [ehr] = await first.connectHosted();
    await first.pickSuggested(ehr!);
    await first.decide("Approve access");
    await first.returnToApp();
    await first.expectOutcome("Connected");
    const returnUrl = first.page.url();

    const second = await t.journey(`${task.name} second user`);
    await second.signIn(newUser("second"));
    const response = await second.page.goto(returnUrl);
    expect(response?.status()).toBe(400);
    await expectHeading(second.page, INVALID);
    expect(await second.page.getByText(ehr!).count(), "nothing of the first user's connection shows").toBe(0);
    await second.steps.record(second.page, "replayed return");
  });

  it("a user's own older return, after starting another session: not valid (400)", async ({ task }) => {
    const journey = await t.journey(task.name);
    await journey.signIn(newUser("again"));
    await journey.connectHosted();
    await journey.returnToApp();
    await journey.expectOutcome("Not connected");
    const olderReturn = journey.page.url();
    await journey.home();
    await journey.connectHosted();
    const response = await journey.page.goto(olderReturn);
    expect(response?.status()).toBe(400);
    await expectHeading(journey.page, INVALID);
    await journey.steps.record(journey.page, "older return");
  });
});
