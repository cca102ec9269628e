/**
 * `npm run example` and `npm run example:next` as a developer runs them:
 * the sandbox and the app start, the app's URL and the sandbox's dashboard
 * are printed, the sandbox forwards webhooks to the app (the dashboard lists
 * each attempt), Ctrl-C (SIGINT to the terminal's foreground group) leaves
 * no process, and nothing was written beside the app's code.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { closedPort } from "../test/support/closed-port.js";
import { startedBeforeAll } from "./support/before-all.js";
import { launchChromium } from "./support/browser.js";
import { newUser } from "./support/fixture.js";
import { Journey } from "./support/journey.js";
import { Dashboard } from "./support/dashboard.js";
import { groupMembers, startJob, type Job } from "./support/process-group.js";
import { reloadUntil, Steps } from "./support/steps.js";

const REPO_DIR = fileURLToPath(new URL("..", import.meta.url));

const browser = startedBeforeAll(launchChromium, (launched) => launched.close());
let job: Job | undefined;
afterEach(async () => {
  await job?.interrupt(10_000);
  job = undefined;
});

/** The commands, and the line each prints once the app serves (`next dev` prints its address first, then Ready). */
const COMMANDS = [
  { script: "example", folder: "examples/express", ready: /Example app listening on (http:\/\/127\.0\.0\.1:\d+)/ },
  { script: "example:next", folder: "examples/nextjs", ready: /Local:\s+(http:\/\/127\.0\.0\.1:\d+)[\s\S]*Ready in/ },
];

/** What git sees changed or new in `folder` (ignored files excluded). */
const changedIn = (folder: string) => execFileSync("git", ["status", "--porcelain", "--", folder], { cwd: REPO_DIR, encoding: "utf8" });

describe.each(COMMANDS)("npm run $script", ({ script, folder, ready }) => {
  it("starts the sandbox and the app, forwards webhooks to it, and Ctrl-C stops every process", async ({ task }) => {
    const changedBefore = changedIn(folder);
    const context = await browser().newContext();
    const port = await closedPort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
    delete env.NODE_OPTIONS;
    job = startJob("npm", ["run", "-s", script], { cwd: REPO_DIR, env });
    const [, appUrl] = await job.waitFor(ready, 60_000);
    expect(appUrl).toBe(`http://127.0.0.1:${port}`);
    expect(groupMembers(job.pgid).length, "npm, the sandbox and the app").toBeGreaterThanOrEqual(3);

    const journey = new Journey(await context.newPage(), new Steps(`example command ${script}`, task.name), appUrl!);
    await journey.signIn(newUser("example"));
    await journey.connectHosted();
    await journey.returnToApp();
    await journey.expectOutcome("Not connected");
    await journey.navigate("Webhook events", "Webhook events");
    const completed = journey.page
      .getByRole("row")
      .filter({ has: journey.page.getByRole("cell", { name: "patient_session.completed", exact: true }) })
      .filter({ has: journey.page.getByRole("cell", { name: "you", exact: true }) });
    await reloadUntil(journey.page, completed, 1);

    // The dashboard the sandbox printed lists the delivery the app verified.
    const [, dashboardUrl] = await job.waitFor(/dashboard: (http:\/\/127\.0\.0\.1:\d+)\/__sandbox\//, 5_000);
    const dashboard = new Dashboard(await context.newPage(), journey.steps, dashboardUrl!);
    await dashboard.open();
    await dashboard.section("Webhooks");
    const attempts = dashboard.page
      .getByRole("table", { name: "Delivery attempts", exact: true })
      .getByRole("row")
      .filter({ hasText: "patient_session.completed" });
    expect(await attempts.filter({ hasText: "delivered 200" }).count()).toBeGreaterThanOrEqual(1);
    await context.close();

    const stopped = await job.interrupt(20_000);
    expect(stopped.killed, `still running 20 s after SIGINT:\n${job.output()}`).toBe(false);
    expect(groupMembers(job.pgid)).toEqual([]);
    await expect(fetch(appUrl!, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow();
    expect(job.output(), "no secret in the output").not.toMatch(/whsec_|mb_sk_/);
    expect(changedIn(folder), "no file written beside the app's code (AGENTS.md, say)").toBe(changedBefore);
  });
});
