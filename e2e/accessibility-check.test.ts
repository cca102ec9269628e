/**
 * The accessibility check every browser test relies on (support/steps.ts)
 * does find what it is there to find: a page with a serious and a critical
 * violation is reported, a clean one is not.
 */
import { describe, expect, it } from "vitest";
import { startedBeforeAll } from "./support/before-all.js";
import { launchChromium } from "./support/browser.js";
import { seriousViolations } from "./support/steps.js";

const browser = startedBeforeAll(launchChromium, (launched) => launched.close());

describe("seriousViolations", () => {
  it("reports a critical and a serious violation, and passes a clean page", async () => {
    const page = await browser().newPage();
    try {
      await page.setContent(`<!doctype html><html lang="en"><head><title>Broken</title></head><body><main><h1>Broken</h1>
<button></button><p style="color:#bbb;background:#fff">Low contrast text</p></main></body></html>`);
      const found = await seriousViolations(page);
      expect(found).toEqual([expect.stringMatching(/^critical button-name:/), expect.stringMatching(/^serious color-contrast:/)]);
      await page.setContent(`<!doctype html><html lang="en"><head><title>Fine</title></head><body><main><h1>Fine</h1>
<button>Save</button><p>Readable text</p></main></body></html>`);
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
