/**
 * The sandbox section of `npm run bench`, on the BUILT sandbox
 * (sandbox/dist, as the packed package runs):
 *
 *   1. `POST /patient-sessions` with 64 in flight over HTTP (node:http,
 *      keep-alive), against the sandbox server and against the Prism mock of
 *      the same spec, each in its own process, in one run; and against a
 *      sandbox with `--state` holding 3,000 patients, sessions and links,
 *      which writes every change to its journal before answering;
 *   2. 10,000 `init` calls through the in-process `sb.fetch`, in a fresh
 *      process (./sandbox-inprocess.ts);
 *   3. RSS of the sandbox server holding 10,000 patients, sessions and links
 *      (built over HTTP), and of a fresh process holding them in process.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { startPrism } from "../prism.js";
import { bundleChild } from "./children.js";
import { cpuSeconds } from "./machine.js";
import type { InitResult, StateResult } from "./sandbox-inprocess.js";
import { API_KEY, childEnv, INIT_PARAMS, REPO_DIR, VERSION } from "./shared.js";
import { median, summary } from "./stats.js";

export const SANDBOX_THROUGHPUT = { concurrency: 64, calls: 10_000, reps: 5, prismCalls: 1_000, prismReps: 2 };
/** Patients (each with a session and a link) held for the memory figures. */
export const SANDBOX_STATE = 10_000;
/** Patients (each with a session and a link) in the state file of the `--state` throughput figure. */
export const SANDBOX_STATE_FILE_PATIENTS = 3_000;
const INPROCESS_RUNS = 3;
const SANDBOX_DIR = join(REPO_DIR, "sandbox");
const SANDBOX_DIST = new URL("sandbox/dist/index.js", new URL(`file://${REPO_DIR}/`));

/** A keep-alive client for `baseUrl`: `call(method, path, body)` resolves with the status and the parsed body. */
function httpClient(baseUrl: string, concurrency: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const call = (method: string, path: string, body?: unknown) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string | number> = { Authorization: `Bearer ${API_KEY}`, Accept: "application/json", Version: VERSION };
      if (text !== undefined) Object.assign(headers, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
      const req = request(new URL(path, baseUrl), { method, agent, headers }, (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (data += chunk));
        res.once("end", () => resolve({ status: res.statusCode ?? 0, body: data ? JSON.parse(data) : undefined }));
      });
      req.once("error", reject);
      req.end(text);
    });
  return { call, close: () => agent.destroy() };
}

/** Runs `task(index)` for indexes 0…count−1 with `concurrency` in flight. */
async function inFlight(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/** `calls` POSTs of the init body with `concurrency` in flight; calls per second, and how many did not answer 200. */
async function hammer(baseUrl: string, calls: number, concurrency: number) {
  const client = httpClient(baseUrl, concurrency);
  let failed = 0;
  const t0 = performance.now();
  await inFlight(calls, concurrency, async () => {
    if ((await client.call("POST", "/patient-sessions", INIT_PARAMS)).status !== 200) failed++;
  });
  const ms = performance.now() - t0;
  client.close();
  return { callsPerSecond: (calls / ms) * 1000, failed };
}

/** The server's resident memory now and at its peak (Linux /proc; null elsewhere). */
function serverMemory(pid: number): { rss: number; peakRss: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kB = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)![1]) * 1024;
    return { rss: kB("VmRSS"), peakRss: kB("VmHWM") };
  } catch {
    return null;
  }
}

/** A fresh server given 10,000 patients, each with a session completed with an approval (so 10,000 links), over HTTP. */
async function serverState(log: (message: string) => void) {
  log(
    `sandbox server holding ${SANDBOX_STATE.toLocaleString("en-US")} patients, sessions and links (built over ` +
      `HTTP, ${SANDBOX_THROUGHPUT.concurrency} in flight)`,
  );
  const sandbox = await startSandboxServer();
  const client = httpClient(sandbox.url, SANDBOX_THROUGHPUT.concurrency);
  try {
    const atStart = serverMemory(sandbox.pid);
    const failed = await populate(client, SANDBOX_STATE, SANDBOX_THROUGHPUT.concurrency);
    const links = (await client.call("GET", `/patients/user_${SANDBOX_STATE - 1}`)).body.connections.length as number;
    return { atStart, ...serverMemory(sandbox.pid), failed, lastPatientLinks: links };
  } finally {
    client.close();
    await sandbox.stop();
  }
}

/** `count` patients, each with a session completed with an approval (so a link), 64 in flight; how many calls did not answer 200. */
async function populate(client: ReturnType<typeof httpClient>, count: number, concurrency: number): Promise<number> {
  const ehr = (await client.call("GET", "/connections?limit=1")).body.data[0].id as string;
  let failed = 0;
  await inFlight(count, concurrency, async (index) => {
    const session = await client.call("POST", "/patient-sessions", { ...INIT_PARAMS, patient_id: `user_${index}` });
    const done = await client.call("POST", `/__sandbox/patient-sessions/${session.body.id}/complete`, {
      outcome: "approve",
      connection_id: ehr,
    });
    if (session.status !== 200 || done.status !== 200) failed++;
  });
  return failed;
}

/** The built sandbox's `start` in a child process, on a free loopback port. */
async function startSandboxServer(args: string[] = []) {
  const child = spawn(process.execPath, [join(SANDBOX_DIR, "dist", "cli.js"), "start", "--port", "0", "--quiet", ...args], {
    env: childEnv(),
    stdio: ["ignore", "pipe", "inherit"],
  });
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`sandbox did not start:\n${out}`)), 20_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /MEDBLOCKS_BASE_URL=(\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once("exit", (code) => reject(new Error(`sandbox exited (${code}) before listening:\n${out}`)));
  });
  return {
    url,
    pid: child.pid!,
    async stop() {
      process.off("exit", kill);
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(kill, 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * `reps` rounds of `calls` inits at a sandbox server after a warm-up: the rates, the calls not answered 200, the most
 * of a core the server used.
 */
async function repeatedly(server: { url: string; pid: number }, reps: number, calls: number, concurrency: number) {
  const rates: number[] = [];
  let failed = 0;
  let serverCpuShareMax = 0;
  await hammer(server.url, 2_000, concurrency);
  for (let rep = 0; rep < reps; rep++) {
    const cpu = cpuSeconds(server.pid);
    const t0 = performance.now();
    const result = await hammer(server.url, calls, concurrency);
    const seconds = (performance.now() - t0) / 1000;
    const used = cpuSeconds(server.pid);
    if (cpu !== null && used !== null) serverCpuShareMax = Math.max(serverCpuShareMax, (used - cpu) / seconds);
    rates.push(result.callsPerSecond);
    failed += result.failed;
  }
  return { rates, failed, serverCpuShareMax };
}

async function throughput(log: (message: string) => void) {
  const { concurrency, calls, reps, prismCalls, prismReps } = SANDBOX_THROUGHPUT;
  const sandbox = await startSandboxServer();
  let plain: Awaited<ReturnType<typeof repeatedly>>;
  try {
    log(`sandbox over HTTP: ${concurrency} in flight, ${reps} × ${calls} calls`);
    plain = await repeatedly(sandbox, reps, calls, concurrency);
  } finally {
    await sandbox.stop();
  }
  const sandboxRates = plain.rates;
  const serverCpuShareMax = plain.serverCpuShareMax;
  let failed = plain.failed;
  log(
    `sandbox over HTTP with --state (${SANDBOX_STATE_FILE_PATIENTS.toLocaleString("en-US")} patients held): ${concurrency} in ` +
      `flight, ${reps} × ${calls} calls`,
  );
  const stateDir = mkdtempSync(join(tmpdir(), "medblocks-bench-state-"));
  const withState = await startSandboxServer(["--state", join(stateDir, "state.json")]);
  let stateRates: number[];
  try {
    const client = httpClient(withState.url, concurrency);
    failed += await populate(client, SANDBOX_STATE_FILE_PATIENTS, concurrency);
    client.close();
    const stated = await repeatedly(withState, reps, calls, concurrency);
    stateRates = stated.rates;
    failed += stated.failed;
  } finally {
    await withState.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
  log(`Prism over HTTP: ${concurrency} in flight, ${prismReps} × ${prismCalls} calls`);
  const prism = await startPrism();
  const prismRates: number[] = [];
  try {
    await hammer(prism.url, 200, concurrency);
    for (let rep = 0; rep < prismReps; rep++) {
      const result = await hammer(prism.url, prismCalls, concurrency);
      prismRates.push(result.callsPerSecond);
      failed += result.failed;
    }
  } finally {
    await prism.stop();
  }
  return {
    sandbox: summary(sandboxRates, 0),
    prism: summary(prismRates, 0),
    ratio: Number((median(sandboxRates) / median(prismRates)).toFixed(1)),
    /** The same with `--state`: every change journaled before it is answered. */
    withState: summary(stateRates, 0),
    stateRatio: Number((median(stateRates) / median(prismRates)).toFixed(1)),
    /** Calls of either server that did not answer 200 (must be 0). */
    failed,
    /** Highest share of one core the sandbox server used in a repetition; near 1 means it set the pace. */
    serverCpuShareMax: Number(serverCpuShareMax.toFixed(2)),
  };
}

async function inProcess(log: (message: string) => void) {
  const { script, dispose } = await bundleChild(new URL("./sandbox-inprocess.ts", import.meta.url));
  const runChild = <T>(mode: string) =>
    new Promise<T>((resolve, reject) => {
      execFile(
        process.execPath,
        ["--expose-gc", script, SANDBOX_DIST.href, mode],
        { env: childEnv(), timeout: 120_000 },
        (error, stdout, stderr) => {
          if (error) return reject(new Error(`sandbox child (${mode}) failed: ${error.message}\n${stderr}`));
          resolve(JSON.parse(stdout.trim().split("\n").pop()!) as T);
        },
      );
    });
  try {
    log(
      `sandbox in process: ${INPROCESS_RUNS} fresh processes × 10,000 init, then ${INPROCESS_RUNS} × 10,000 patients, sessions and links`,
    );
    const inits: InitResult[] = [];
    const states: StateResult[] = [];
    for (let run = 0; run < INPROCESS_RUNS; run++) inits.push(await runChild<InitResult>("init"));
    for (let run = 0; run < INPROCESS_RUNS; run++) states.push(await runChild<StateResult>("state"));
    return {
      initMs: Number(median(inits.map((result) => result.ms)).toFixed(0)),
      initRuns: inits.map((result) => Number(result.ms.toFixed(0))),
      initOk: inits.every((result) => result.ok),
      stateRss: median(states.map((result) => result.rss)),
      statePeakRss: median(states.map((result) => result.peakRss)),
      stateRssNode: median(states.map((result) => result.rssNode)),
      stateHeapUsed: median(states.map((result) => result.heapUsed)),
      stateBytes: states[0]!.stateBytes,
      stateCounts: { patients: states[0]!.patients, sessions: states[0]!.sessions, links: states[0]!.links },
      stateBuildMs: Number(median(states.map((result) => result.ms)).toFixed(0)),
    };
  } finally {
    dispose();
  }
}

export async function benchSandbox(log: (message: string) => void) {
  log("npm run build (sandbox)");
  execFileSync("npm", ["run", "build", "--silent", "--loglevel=error"], { cwd: SANDBOX_DIR, stdio: ["ignore", "ignore", "inherit"] });
  return { throughput: await throughput(log), server: await serverState(log), inProcess: await inProcess(log) };
}

export type SandboxFigures = Awaited<ReturnType<typeof benchSandbox>>;
