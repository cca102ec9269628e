/**
 * Journeys every example app must pass, written once: each test file runs
 * them against its own stack. `refusedStatus` is the status the app answers
 * a return it refuses with (a Next.js page cannot choose one: 200).
 */
import { expect } from "vitest";
import { newUser, type BrowserTests } from "./fixture.js";
import { expectHeading, listItems } from "./steps.js";

/** The h1 of a refused return, in every example app. */
export const RETURN_REFUSED = "This link is not valid for your account";

/** Hosted mode, deny: Connection failed, the EHR listed as not connected. */
export async function deniedJourney(t: BrowserTests, test: string): Promise<void> {
  const journey = await t.journey(test);
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
}

/** One user's return opened in another user's browser: refused, and nothing of the first user's connection shows. */
export async function returnReplayedByAnotherUser(t: BrowserTests, test: string, refusedStatus: number): Promise<void> {
  const first = await t.journey(`${test} first user`);
  await first.signIn(newUser("first"));
  const [ehr] = await first.connectHosted();
  await first.pickSuggested(ehr!);
  await first.decide("Approve access");
  await first.returnToApp();
  await first.expectOutcome("Connected");
  const returnUrl = first.page.url();

  const second = await t.journey(`${test} second user`);
  await second.signIn(newUser("second"));
  const response = await second.page.goto(returnUrl);
  expect(response?.status()).toBe(refusedStatus);
  await expectHeading(second.page, RETURN_REFUSED);
  expect(await second.page.getByText(ehr!).count(), "nothing of the first user's connection shows").toBe(0);
  await second.steps.record(second.page, "replayed return");
}

/** A user's own older return, opened again after they started another session: refused. */
export async function olderReturnReplayed(t: BrowserTests, test: string, refusedStatus: number): Promise<void> {
  const journey = await t.journey(test);
  await journey.signIn(newUser("again"));
  await journey.connectHosted();
  await journey.returnToApp();
  await journey.expectOutcome("Not connected");
  const olderReturn = journey.page.url();
  await journey.home();
  await journey.connectHosted();
  const response = await journey.page.goto(olderReturn);
  expect(response?.status()).toBe(refusedStatus);
  await expectHeading(journey.page, RETURN_REFUSED);
  await journey.steps.record(journey.page, "older return");
}
