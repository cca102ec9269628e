/**
 * One stack (sandbox and one example app) and one Chromium per test file; a fresh
 * browser context (cookies, storage) per journey, closed after each test.
 * A start that fails fails every test that needs it (see before-all.ts).
 */
import { randomUUID } from "node:crypto";
import type { BrowserContext } from "playwright-core";
import { afterEach } from "vitest";
import { Medblocks } from "../../src/index.js";
import { startedBeforeAll } from "./before-all.js";
import { launchChromium } from "./browser.js";
import { Journey } from "./journey.js";
import { EXPRESS, startStack, startTimeoutMs, type ExampleApp, type Stack } from "./stack.js";
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

/** Browser tests of `app` (default: the Express example); `file` names the screenshots' folder. */
export function browserTests(file: string, app: ExampleApp = EXPRESS): BrowserTests {
  const browser = startedBeforeAll(launchChromium, (launched) => launched.close());
  const stack = startedBeforeAll(
    () => startStack(app),
    (started) => started.stop(),
    startTimeoutMs(app),
  );
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });
  return {
    get stack() {
      return stack();
    },
    async journey(test) {
      const context = await browser().newContext();
      contexts.push(context);
      return new Journey(await context.newPage(), new Steps(file, test), stack().appUrl);
    },
    client() {
      return new Medblocks(stack().apiKey, { baseUrl: stack().sandboxUrl });
    },
  };
}
