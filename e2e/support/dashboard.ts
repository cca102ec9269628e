/**
 * What a developer does in the sandbox's dashboard (`/__sandbox/`), by its
 * accessible names (a documented contract: sandbox/README.md, "The
 * dashboard"). Every page reached is recorded as a step: a screenshot, and
 * axe, which must find no serious or critical violation.
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { expectHeading, type Steps } from "./steps.js";

export type Section = "Overview" | "Patients" | "Sessions" | "Webhooks" | "Requests" | "Workspaces";

export class Dashboard {
  constructor(
    readonly page: Page,
    readonly steps: Steps,
    readonly sandboxUrl: string,
  ) {}

  /** `/__sandbox/`: the ready key's workspace, its overview. */
  async open(): Promise<void> {
    await this.page.goto(`${this.sandboxUrl}/__sandbox/`);
    await expectHeading(this.page, "Overview");
    await this.steps.record(this.page, "dashboard overview");
  }

  /** A section, by the dashboard's navigation. */
  async section(name: Section): Promise<void> {
    await this.page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name, exact: true }).click();
    await expectHeading(this.page, name);
    await this.steps.record(this.page, `dashboard ${name}`);
  }

  /** A session's page, from the Sessions table's link named by its id. */
  async session(id: string): Promise<void> {
    await this.section("Sessions");
    await this.page.getByRole("table", { name: "Sessions", exact: true }).getByRole("link", { name: id, exact: true }).click();
    await expectHeading(this.page, `Session ${id}`);
    await this.steps.record(this.page, "dashboard session");
  }

  /** An event's page, from the Events table. */
  async event(id: string): Promise<void> {
    await this.section("Webhooks");
    await this.page.getByRole("table", { name: "Events", exact: true }).getByRole("link", { name: id, exact: true }).click();
    await expectHeading(this.page, `Event ${id}`);
    await this.steps.record(this.page, "dashboard event");
  }

  /** Clicks `button`, then expects the page's status message `notice` (what the action did), and records the page. */
  async act(button: string, notice: string | RegExp): Promise<void> {
    await this.page.getByRole("button", { name: button, exact: true }).click();
    await this.page.getByRole("status").filter({ hasText: notice }).waitFor({ timeout: 15_000 });
    await this.steps.record(this.page, `after ${button}`);
  }

  /** The headings of an event page's attempts, e.g. `Attempt 1: failed 400`. */
  async attempts(): Promise<string[]> {
    const headings = await this.page.getByRole("heading", { level: 3, name: /^Attempt \d+:/ }).allInnerTexts();
    return headings.map((text) => text.trim());
  }

  /** Moves the workspace's clock forward on the overview. */
  async advance(seconds: number): Promise<void> {
    await this.section("Overview");
    await this.page.getByLabel("Seconds to advance", { exact: true }).fill(String(seconds));
    await this.act("Advance", "The clock moved forward.");
    expect(await this.page.getByRole("heading", { level: 1 }).innerText()).toBe("Overview");
  }
}
