/**
 * What a browser test runs against: medblocks-sandbox (`start`, on a free
 * port, forwarding every event of its workspace to the app) and the example
 * app (on a free port), both on 127.0.0.1, in child processes that are
 * stopped by pid when the file ends — and, through sandbox/test/support's
 * process tracking, when the test process exits or is interrupted.
 */
import { fileURLToPath } from "node:url";
import { closedPort } from "../../test/support/closed-port.js";
import { run, startCli, type Run } from "../../sandbox/test/support/process.js";

export const EXAMPLE_DIR = fileURLToPath(new URL("../../examples/express/", import.meta.url));

export interface Stack {
  /** The sandbox's base URL (the API, the hosted page, `/__sandbox/` controls). */
  sandboxUrl: string;
  /** The workspace's key: the app's, and the test's for controls and checks. */
  apiKey: string;
  /** The app's base URL, `http://127.0.0.1:<port>`. */
  appUrl: string;
  /** The app's output so far (one line per webhook delivery it verified or refused). */
  appOutput(): string;
  /** Calls the sandbox's control API (`/__sandbox/…`) as the workspace; the answer's JSON, or throws with its status. */
  control(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

/** Stops `process` by its pid: SIGTERM, then SIGKILL if it has not exited within 5 s. */
async function stopProcess(process: Run): Promise<void> {
  if (process.child.exitCode !== null || process.child.signalCode !== null) return;
  process.child.kill("SIGTERM");
  await process.exited(5_000);
}

export async function startStack(): Promise<Stack> {
  const appPort = await closedPort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const sandbox = await startCli(["--quiet", "--forward-to", `${appUrl}/webhooks/medblocks`]);
  let app: Run | undefined;
  try {
    const [, secret] = await sandbox.waitFor(/MEDBLOCKS_WEBHOOK_SECRET=(\S+)/);
    // Run as `npm start` in examples/express would: from its folder, where its tsconfig maps the package name.
    app = run(["--import", "tsx", "src/main.ts"], {
      command: process.execPath,
      cwd: EXAMPLE_DIR,
      env: { PORT: String(appPort), MEDBLOCKS_BASE_URL: sandbox.url, MEDBLOCKS_API_KEY: sandbox.apiKey, MEDBLOCKS_WEBHOOK_SECRET: secret! },
    });
    await app.waitFor(new RegExp(`listening on ${appUrl.replace(/[.]/g, "\\.")}\\b`), 30_000);
  } catch (error) {
    await Promise.all([stopProcess(sandbox), app && stopProcess(app)]);
    throw error;
  }
  const started = app;
  return {
    sandboxUrl: sandbox.url,
    apiKey: sandbox.apiKey,
    appUrl,
    appOutput: () => started.output(),
    async control(method, path, body) {
      const response = await fetch(`${sandbox.url}/__sandbox${path}`, {
        method,
        headers: { authorization: `Bearer ${sandbox.apiKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(15_000),
      });
      const answer: unknown = await response.json();
      if (!response.ok) throw new Error(`${method} /__sandbox${path}: ${response.status} ${JSON.stringify(answer)}`);
      return answer;
    },
    stop: async () => {
      await Promise.all([stopProcess(started), stopProcess(sandbox)]);
    },
  };
}
