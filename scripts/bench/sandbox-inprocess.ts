/**
 * Child process of `npm run bench`: the built sandbox (sandbox/dist) in
 * process, in a fresh `node` (main.ts bundles this file to a temporary .mjs
 * first, so no TypeScript loader is in the measured process).
 *
 *   node --expose-gc sandbox-inprocess.mjs <sandbox dist/index.js URL> <init|state>
 *
 * `init`: 10,000 `POST /patient-sessions` through `sb.fetch`, one after the
 * other, after 1,000 to warm up (in another workspace); `state`: 10,000
 * patients each with a session completed with an approval (so 10,000
 * patients, sessions and links), then RSS. Prints one JSON line.
 */
import type { CATALOG as Catalog, createSandbox as Create } from "../../sandbox/src/index.js";

export const SANDBOX_CALLS = 10_000;
const WARM_UP = 1_000;

export interface InitResult {
  mode: "init";
  calls: number;
  ms: number;
  /** Every call answered 200 with a new session. */
  ok: boolean;
}

export interface StateResult {
  mode: "state";
  patients: number;
  sessions: number;
  links: number;
  /** RSS after building the state and a gc. */
  rss: number;
  /** The process's highest RSS. */
  peakRss: number;
  /** RSS before the sandbox module was imported. */
  rssNode: number;
  heapUsed: number;
  /** The exported state, as JSON bytes. */
  stateBytes: number;
  ms: number;
}

const [distUrl, mode] = process.argv.slice(2);
if (!distUrl || (mode !== "init" && mode !== "state")) throw new Error("usage: sandbox-inprocess.mjs <distUrl> <init|state>");
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");

const rssNode = process.memoryUsage().rss;
const { createSandbox, CATALOG } = (await import(distUrl)) as { createSandbox: typeof Create; CATALOG: typeof Catalog };
const sb = createSandbox({ seed: "bench" });
const url = `${sb.baseUrl}/patient-sessions`;
const init = async (key: string, index: number) => {
  const response = await sb.fetch(url, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", Version: "2026-04-25" },
    body: JSON.stringify({ patient_id: `user_${index}`, return_url: "https://app.example.com/connected" }),
  });
  return { status: response.status, session: (await response.json()) as { id: string } };
};

if (mode === "init") {
  for (let index = 0; index < WARM_UP; index++) await init("mb_sk_sbx_bench_warm_up", index);
  let ok = true;
  const t0 = performance.now();
  for (let index = 0; index < SANDBOX_CALLS; index++) {
    const { status, session } = await init(sb.apiKey, index);
    if (status !== 200 || !session.id.startsWith("ps_")) ok = false;
  }
  const ms = performance.now() - t0;
  const result: InitResult = { mode, calls: SANDBOX_CALLS, ms, ok };
  console.log(JSON.stringify(result));
} else {
  const t0 = performance.now();
  for (let index = 0; index < SANDBOX_CALLS; index++) {
    const { session } = await init(sb.apiKey, index);
    sb.completeSession(session.id, { outcome: "approve", connectionId: CATALOG[index % CATALOG.length]!.id });
  }
  const ms = performance.now() - t0;
  gc();
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  const peakRss = process.resourceUsage().maxRSS * 1024;
  // Counted after measuring: the export is a copy.
  const { workspace } = sb.exportState();
  const result: StateResult = {
    mode,
    patients: workspace.patients.length,
    sessions: workspace.sessions.length,
    links: workspace.links.length,
    rss,
    peakRss,
    rssNode,
    heapUsed,
    stateBytes: Buffer.byteLength(JSON.stringify(workspace)),
    ms,
  };
  console.log(JSON.stringify(result));
}
