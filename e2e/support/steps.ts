/**
 * The steps of a journey: each page the browser reaches is photographed
 * (e2e/screenshots/<file>/<test>/NN-<step>.png, git-ignored, kept so a
 * failure can be looked at) and checked with axe-core, which must find no
 * serious or critical violation. The waits here are bounded: a page that
 * never shows what is expected fails the test with what it showed instead.
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { AxeBuilder } from "@axe-core/playwright";
import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";

const SCREENSHOTS = new URL("../screenshots/", import.meta.url);
const WAIT_MS = 15_000;

/**
 * The axe-core that @axe-core/playwright depends on, minified: its default
 * source is the unminified build (1.5 MB, sent to the page on every check).
 */
const require = createRequire(createRequire(import.meta.url).resolve("@axe-core/playwright"));
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** The axe violations of `page` that are serious or critical, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Legacy mode runs axe in the page itself; the default opens a blank page per check to merge
  // the frames' results, and these pages have no frames. Both check the same rules.
  const { violations } = await new AxeBuilder({ page, axeSource: AXE_SOURCE }).setLegacyMode(true).analyze();
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`,
    );
}

export class Steps {
  readonly #dir: string;
  #count = 0;

  /** `file` and `test` name the folder; it is emptied first, so it holds this run's steps only. */
  constructor(file: string, test: string) {
    this.#dir = new URL(`${slug(file)}/${slug(test)}/`, SCREENSHOTS).pathname;
    rmSync(this.#dir, { recursive: true, force: true });
    mkdirSync(this.#dir, { recursive: true });
  }

  /** Records the page as it is now: a screenshot, then axe. */
  async record(page: Page, name: string): Promise<void> {
    const number = await this.photograph(page, name);
    expect(await seriousViolations(page), `axe: serious or critical violations on step ${number} (${name})`).toEqual([]);
  }

  /** A screenshot only, for a page that is not ours to check (a third party's); returns its step number. */
  async photograph(page: Page, name: string): Promise<string> {
    const number = String(++this.#count).padStart(2, "0");
    await page.screenshot({ path: `${this.#dir}${number}-${slug(name)}.png`, fullPage: true });
    return number;
  }
}

/** Waits (bounded) for the page's h1 to be exactly `name`; fails with the h1 it found. */
export async function expectHeading(page: Page, name: string): Promise<void> {
  const heading = page.getByRole("heading", { level: 1, name, exact: true });
  try {
    await heading.waitFor({ timeout: WAIT_MS });
  } catch {
    const found = await page.getByRole("heading", { level: 1 }).allTextContents();
    throw new Error(`expected the heading "${name}" on ${new URL(page.url()).pathname}, found ${JSON.stringify(found)}`);
  }
}

/** The accessible names of the links or list items in the list named `name`. */
export async function listItems(page: Page, name: string): Promise<string[]> {
  const list = page.getByRole("list", { name, exact: true });
  await list.waitFor({ timeout: WAIT_MS });
  return (await list.getByRole("listitem").allInnerTexts()).map((text) => text.trim());
}

/**
 * Reloads `page` until `locator` matches `count` elements, at most
 * `attempts` times: for what arrives on its own (webhook deliveries).
 */
export async function reloadUntil(page: Page, locator: Locator, count: number, attempts = 20): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if ((await locator.count()) === count) return;
    if (attempt === attempts)
      throw new Error(`${await locator.count()} elements instead of ${count} after ${attempts} reloads of ${new URL(page.url()).pathname}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await page.reload();
  }
}
