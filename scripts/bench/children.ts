/**
 * Starting the benchmark's child processes: the HTTP server and the
 * pagination walk.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Mode, PaginateResult } from "./paginate.js";
import { childEnv, DIST_URL, REPO_DIR, tsxArgs, type Shape } from "./shared.js";

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The shape the server answered in (gzip only when the request accepted it). */
  answeredAs: Shape;
}

export interface BenchServer {
  readonly url: string;
  /** The server's CPU time so far (µs), requests served, and sessions answered in each shape. */
  stats(): Promise<ServerStats>;
  /** The last `POST /<shape>/patient-sessions` as the server received it. */
  lastPost(): Promise<ReceivedRequest | null>;
  stop(): Promise<void>;
}

export interface ServerStats {
  cpuMicros: number;
  requests: number;
  answered: Record<Shape, number>;
}

type Reply = { type: "listening"; port: number } | ({ type: "stats" } & ServerStats) | { type: "last"; last: ReceivedRequest | null };

function ask<T extends Reply["type"]>(child: ChildProcess, type: T): Promise<Extract<Reply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Reply) => {
      if (message.type !== type) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message as Extract<Reply, { type: T }>);
    };
    const onExit = (code: number | null) => {
      child.off("message", onMessage);
      reject(new Error(`bench server exited (code ${code}) while waiting for "${type}"`));
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
    if (type !== "listening") child.send({ type });
  });
}

export async function startServer(): Promise<BenchServer> {
  const child = spawn(process.execPath, tsxArgs(new URL("./server.ts", import.meta.url)), {
    cwd: REPO_DIR,
    env: childEnv(),
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const { port } = await ask(child, "listening");
  return {
    url: `http://127.0.0.1:${port}`,
    stats: async () => {
      const { cpuMicros, requests, answered } = await ask(child, "stats");
      return { cpuMicros, requests, answered };
    },
    lastPost: async () => (await ask(child, "last")).last,
    stop: async () => {
      process.off("exit", kill);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.disconnect();
      const timer = setTimeout(kill, 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface Paginator {
  /** One walk in a fresh `node` process: the built client's `for await`, or raw `fetch` / `node:http` as references. */
  run(mode: Mode): Promise<PaginateResult>;
  dispose(): void;
}

/**
 * Bundles a child's .ts (`entry`) into a temporary .mjs, so the measured
 * process is plain `node` with nothing but what it measures loaded: a
 * TypeScript loader would add its own thread and heap. `dispose` removes it.
 */
export async function bundleChild(entry: URL): Promise<{ script: string; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), "medblocks-bench-"));
  const script = join(dir, `${basename(fileURLToPath(entry), ".ts")}.mjs`);
  await build({
    entryPoints: [fileURLToPath(entry)],
    outfile: script,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "error",
  });
  return { script, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The pagination walk (paginate.ts), bundled; each `run` is a fresh process. */
export async function preparePaginator(baseUrl: string): Promise<Paginator> {
  const { script, dispose } = await bundleChild(new URL("./paginate.ts", import.meta.url));
  return {
    run: (mode) =>
      new Promise((resolve, reject) => {
        execFile(
          process.execPath,
          ["--expose-gc", script, baseUrl, DIST_URL.href, mode],
          { cwd: REPO_DIR, env: childEnv(), timeout: 60_000, maxBuffer: 1 << 20 },
          (error, stdout, stderr) => {
            if (error) return reject(new Error(`pagination child (${mode}) failed: ${error.message}\n${stderr}`));
            const line = stdout.trim().split("\n").pop() ?? "";
            try {
              resolve(JSON.parse(line) as PaginateResult);
            } catch {
              reject(new Error(`pagination child (${mode}) printed no result:\n${stdout}\n${stderr}`));
            }
          },
        );
      }),
    dispose,
  };
}
