/**
 * What a patient does, by accessible names only: in the example app (sign
 * in, the two connect buttons, the navigation) and on the sandbox's hosted
 * page (its names are a documented contract: sandbox/README.md, "The hosted
 * page").
 * Every page reached is recorded as a step (screenshot and axe).
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { expectHeading, listItems, type Steps } from "./steps.js";

/** The return button on the hosted page: the app's `return_button_label`, read as written. */
export const RETURN_BUTTON = "Back to Example Health App";

export class Journey {
  constructor(
    readonly page: Page,
    readonly steps: Steps,
    readonly appUrl: string,
  ) {}

  async signIn(username: string): Promise<void> {
    await this.page.goto(this.appUrl);
    await expectHeading(this.page, "Sign in");
    await this.steps.record(this.page, "sign in");
    await this.page.getByLabel("Username").fill(username);
    await this.page.getByRole("button", { name: "Sign in", exact: true }).click();
    await this.home();
  }

  /** Back on the app's home page (by its navigation), recorded. */
  async home(): Promise<void> {
    if (new URL(this.page.url()).origin === this.appUrl)
      await this.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
    else await this.page.goto(this.appUrl);
    await expectHeading(this.page, "Your health records");
    await this.steps.record(this.page, "home");
  }

  /** Hosted mode: the app's button, to the hosted page's picker. Returns the suggested EHRs' names. */
  async connectHosted(): Promise<string[]> {
    await this.page.getByRole("button", { name: "Connect your health records", exact: true }).click();
    await expectHeading(this.page, "Connect your health records");
    expect(new URL(this.page.url()).origin, "the hosted page is the sandbox's, not the app's").not.toBe(this.appUrl);
    await this.steps.record(this.page, "hosted page");
    return listItems(this.page, "Suggested");
  }

  /** Direct mode: the app's "Connect directly to …" button, straight to that EHR's sign-in. Returns the EHR's name. */
  async connectDirect(): Promise<string> {
    const button = this.page.getByRole("button", { name: /^Connect directly to / });
    const name = (await button.innerText()).replace(/^Connect directly to /, "").trim();
    await button.click();
    await expectHeading(this.page, name);
    await this.steps.record(this.page, "ehr sign-in");
    return name;
  }

  /** On the picker: a link of the list "Suggested", to that EHR's sign-in. */
  async pickSuggested(name: string): Promise<void> {
    await this.page.getByRole("list", { name: "Suggested", exact: true }).getByRole("link", { name, exact: true }).click();
    await expectHeading(this.page, name);
    await this.steps.record(this.page, "ehr sign-in");
  }

  /** On an EHR's sign-in: "Approve access" or "Deny access". */
  async decide(decision: "Approve access" | "Deny access"): Promise<void> {
    await this.page.getByRole("button", { name: decision, exact: true }).click();
  }

  /** On the picker (hosted mode): the return button, back to the app. */
  async returnToApp(): Promise<void> {
    await this.page.getByRole("button", { name: RETURN_BUTTON, exact: true }).click();
  }

  /** On the app's /connected: the outcome heading, recorded. */
  async expectOutcome(heading: string): Promise<void> {
    await expectHeading(this.page, heading);
    expect(new URL(this.page.url()).pathname).toBe("/connected");
    await this.steps.record(this.page, `outcome ${heading}`);
  }

  /** The app's navigation link `name`, then the page's heading `heading`, recorded. */
  async navigate(name: "Your records" | "Webhook events", heading: string): Promise<void> {
    await this.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true }).click();
    await expectHeading(this.page, heading);
    await this.steps.record(this.page, heading);
  }
}
