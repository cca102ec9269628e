/**
 * One stack (sandbox and app) and one Chromium per test file; a fresh
 * browser context (cookies, storage) per journey, closed after each test.
 * Everything is stopped in afterAll, also when the start failed half-way.
 */
import { randomUUID } from "node:crypto";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { Medblocks } from "../../src/index.js";
import { launchChromium } from "./browser.js";
import { Journey } from "./journey.js";
import { startStack, type Stack } from "./stack.js";
import { Steps } from "./steps.js";

/** A new user name (also the patient id): tests never share a patient. */
export const newUser = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export interface BrowserTests {
  readonly stack: Stack;
  /** A signed-out browser (a context of its own) at the start of a journey; `test` names its screenshots' folder. */
  journey(test: string): Promise<Journey>;
  /** A client on the app's workspace, for the test's own checks of what the app shows. */
  client(): Medblocks;
}

export function browserTests(file: string): BrowserTests {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startStack(), launchChromium()]);
    if (started.status === "fulfilled") stack = started.value;
    if (launched.status === "fulfilled") browser = launched.value;
    if (started.status === "rejected") throw started.reason;
    if (launched.status === "rejected") throw launched.reason;
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });
  afterAll(async () => {
    await Promise.allSettled([browser?.close(), stack?.stop()]);
  });

  const started = () => {
    if (!stack || !browser) throw new Error("the stack or the browser did not start: see beforeAll");
    return { stack, browser };
  };
  return {
    get stack() {
      return started().stack;
    },
    async journey(test) {
      const { stack, browser } = started();
      const context = await browser.newContext();
      contexts.push(context);
      return new Journey(await context.newPage(), new Steps(file, test), stack.appUrl);
    },
    client() {
      const { stack } = started();
      return new Medblocks(stack.apiKey, { baseUrl: stack.sandboxUrl });
    },
  };
}
