/**
 * What a browser test runs against: medblocks-sandbox (`start`, on a free
 * port, forwarding every event of its workspace to the app) and one of the
 * example apps (on a free port), both on 127.0.0.1, in child processes that
 * are stopped when the file ends — and, by their pids (the sandbox's through
 * sandbox/test/support's process tracking, the app's process group through
 * process-group.ts), when the test process exits or is interrupted.
 */
import { fileURLToPath } from "node:url";
import { closedPort } from "../../test/support/closed-port.js";
import { startCli, type Run } from "../../sandbox/test/support/process.js";
import { startJob, type Job } from "./process-group.js";

/** An example app: its folder, where its webhook receiver is, how it is built and served. */
export interface ExampleApp {
  readonly dir: string;
  /** The receiver's path, which the sandbox forwards every event to. */
  readonly webhookPath: string;
  /** Run once before the app starts, in its folder: [command, ...args], and how long it may take. */
  readonly build?: { command: string[]; timeoutMs: number };
  /** The command that serves the app, in its folder, on `PORT`. */
  readonly serve: string[];
}

const EXAMPLES_DIR = new URL("../../examples/", import.meta.url);
const NEXT_BIN = fileURLToPath(new URL("../../node_modules/next/dist/bin/next", import.meta.url));

/** examples/express, run as its `npm start` does: tsx, its tsconfig mapping the package name to the source. */
export const EXPRESS: ExampleApp = {
  dir: fileURLToPath(new URL("express/", EXAMPLES_DIR)),
  webhookPath: "/webhooks/medblocks",
  serve: [process.execPath, "--import", "tsx", "src/main.ts"],
};

/**
 * examples/nextjs in production mode: its `npm run build` (the client's
 * bundle, then `next build`) once, then `next start`: faster and more
 * deterministic than `next dev`, which compiles each route on first request.
 */
export const NEXTJS: ExampleApp = {
  dir: fileURLToPath(new URL("nextjs/", EXAMPLES_DIR)),
  webhookPath: "/api/webhooks/medblocks",
  build: { command: ["npm", "run", "-s", "build"], timeoutMs: 180_000 },
  serve: [process.execPath, NEXT_BIN, "start", "--hostname", "127.0.0.1"],
};

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

/** The environment of the app's processes: no telemetry, nothing of the test runner's. */
function appEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...extra };
  delete env.NODE_OPTIONS;
  return env;
}

/** Builds `app` (when it has a build step), bounded; throws with the build's output when it fails. */
async function buildApp(app: ExampleApp): Promise<void> {
  if (!app.build) return;
  const [command, ...args] = app.build.command;
  const job = startJob(command!, args, { cwd: app.dir, env: appEnv({}) });
  const { code, signal } = await job.finished(app.build.timeoutMs);
  if (code !== 0) throw new Error(`${app.build.command.join(" ")} in ${app.dir} failed (${signal ?? `exit ${code}`}):\n${job.output()}`);
}

/** Waits (bounded) until `url` answers at all; throws with the app's output if it exits or never answers. */
async function waitUntilServing(job: Job, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (job.child.exitCode !== null || job.child.signalCode !== null)
      throw new Error(`the app exited before serving ${url}:\n${job.output()}`);
    try {
      await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(5_000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`the app did not serve ${url} within ${timeoutMs} ms:\n${job.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** How long starting the stack of `app` may take: its build, then a minute for the rest. */
export const startTimeoutMs = (app: ExampleApp): number => (app.build?.timeoutMs ?? 0) + 60_000;

export async function startStack(app: ExampleApp = EXPRESS): Promise<Stack> {
  await buildApp(app);
  const appPort = await closedPort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const sandbox = await startCli(["--quiet", "--forward-to", `${appUrl}${app.webhookPath}`]);
  let job: Job | undefined;
  try {
    const [, secret] = await sandbox.waitFor(/MEDBLOCKS_WEBHOOK_SECRET=(\S+)/);
    const [command, ...args] = app.serve;
    job = startJob(command!, args, {
      cwd: app.dir,
      env: appEnv({
        PORT: String(appPort),
        MEDBLOCKS_BASE_URL: sandbox.url,
        MEDBLOCKS_API_KEY: sandbox.apiKey,
        MEDBLOCKS_WEBHOOK_SECRET: secret!,
      }),
    });
    await waitUntilServing(job, appUrl, 30_000);
  } catch (error) {
    await Promise.all([stopProcess(sandbox), job?.interrupt(5_000)]);
    throw error;
  }
  const started = job;
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
      await Promise.all([started.interrupt(5_000), stopProcess(sandbox)]);
    },
  };
}
