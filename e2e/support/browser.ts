/**
 * Debian's Chromium, driven by playwright-core. Playwright's own browser
 * download cannot be reached here, so the executable is the system's
 * (`CHROMIUM_PATH`, default /usr/bin/chromium): a missing one fails the
 * tests with how to install it, never skips them. Each launch gets a fresh
 * profile (Playwright makes a temporary user-data-dir and removes it on
 * close) and kills the browser when this process exits or is interrupted.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Flags for a closed network and a root user: without the background-networking ones Chromium keeps trying to reach Google. */
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** A Chromium; `args` adds flags (e.g. `--host-resolver-rules`, to point a name at 127.0.0.1 as a rebinding DNS would). */
export async function launchChromium(args: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM_PATH}, and there is none. Install Debian's package: ` +
        "`sudo apt-get update && sudo apt-get install -y chromium` (.ci/run does this), or set CHROMIUM_PATH to a Chromium binary. " +
        "Do not run `playwright install`: its download is not used (and not reachable in CI).",
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    chromiumSandbox: false,
    args: [...FLAGS, ...args],
    timeout: 30_000,
  });
}
