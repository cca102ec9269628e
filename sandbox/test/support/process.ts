/**
 * Runs the `medblocks-sandbox` command as a user would, in a child process:
 * every wait is bounded, and every child is killed by its pid when the test
 * ends — also if the test process exits or is interrupted (vitest skips
 * teardown on Ctrl-C), as scripts/prism.ts does for Prism.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";
import { builtThisRun } from "../../../scripts/lib/packed.js";

export const REPO_DIR = fileURLToPath(new URL("../../../", import.meta.url));
/**
 * What `run` starts for `medblocks-sandbox`: in `npm test`, the build of the
 * sources under test that the run made (scripts/lib/packed.ts), since
 * `node dist/cli.js` starts in a third of the time and CPU of the bin, which
 * runs the source through tsx; run alone, the bin. (How the bin picks the
 * build is the packaging test's: the installed package has no src/.)
 */
export const BIN = builtThisRun()
  ? fileURLToPath(new URL("../../dist/cli.js", import.meta.url))
  : fileURLToPath(new URL("../../bin/medblocks-sandbox.js", import.meta.url));

const running = new Set<ChildProcess>();
const killAll = () => {
  for (const child of running) child.kill("SIGKILL");
};
process.once("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    killAll();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

export interface Run {
  readonly child: ChildProcess;
  readonly pid: number;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves when `pattern` appears in the output; rejects after `timeoutMs` or when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (128 + n for a signal), killing with SIGKILL after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<number>;
}

/** Starts `command args` (default: node running the sandbox's bin) without a shell. */
export function run(
  args: string[],
  options: { env?: NodeJS.ProcessEnv | undefined; command?: string | undefined; cwd?: string | undefined } = {},
): Run {
  const env = { ...process.env, ...options.env };
  delete env.NODE_OPTIONS;
  const command = options.command ?? process.execPath;
  const child = spawn(command, options.command ? args : [BIN, ...args], {
    cwd: options.cwd ?? REPO_DIR,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`${command} did not start`);
  running.add(child);
  let log = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    log += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exit = new Promise<number>((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve(code ?? 128 + (signal === "SIGTERM" ? 15 : signal === "SIGINT" ? 2 : 9));
      for (const listener of listeners) listener();
    });
  });
  return {
    child,
    pid: child.pid,
    output: () => log,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = log.match(pattern);
          if (match) return done(() => resolve(match));
          if (child.exitCode !== null || child.signalCode !== null) done(() => reject(new Error(`exited before ${pattern}:\n${log}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${log}`))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    exited(timeoutMs = 15_000) {
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      return exit.finally(() => clearTimeout(timer));
    },
  };
}

/** `start` with `args`, once it printed its base URL and key. */
export async function startCli(args: string[] = [], env?: NodeJS.ProcessEnv) {
  const process = run(["start", "--port", "0", ...args], { env });
  const [, url] = await process.waitFor(/MEDBLOCKS_BASE_URL=(\S+)/);
  const [, apiKey] = await process.waitFor(/MEDBLOCKS_API_KEY=(\S+)/);
  return { ...process, url: url!, apiKey: apiKey! };
}

/**
 * Registers an afterEach that kills, by pid, every process given to the
 * returned function that still runs when its test ends (a failed one too).
 */
export function stoppedAfterEach(): <T extends Run>(command: T) => T {
  const started: Run[] = [];
  afterEach(() => {
    for (const command of started.splice(0)) if (command.child.exitCode === null && alive(command.pid)) command.child.kill("SIGKILL");
  });
  return (command) => (started.push(command), command);
}

/** A JSON call to a server (the key's workspace: the server's own unless given); the status and the parsed body. */
export async function call(server: { url: string; apiKey: string }, method: string, path: string, body?: unknown, key = server.apiKey) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Whether a process with `pid` still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
