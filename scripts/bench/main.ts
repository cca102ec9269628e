/**
 * `npm run bench`: what the client costs over the wire it wraps, in one run.
 *
 * Builds client/dist/ first, so the figures are those of the current source, then
 * measures the BUILT package (client/dist/index.js) against a loopback HTTP server
 * in a child process (scripts/bench/server.ts; on a 2-core machine the client
 * gets one core and the server the other):
 *
 *   1. per-call time of `mb.patientSession.init` vs raw `fetch` vs bare
 *      openapi-fetch, sequential, in each response shape the server offers
 *      (`Content-Length`, chunked without a length, gzip), interleaved in
 *      blocks: medians, and the median of each round's ratio to raw fetch;
 *   2. throughput with 64 calls in flight, the same three variants and shapes
 *      (median of each repetition's ratio to raw fetch);
 *   3. bundle size (esbuild, minified, gzip -9) of three entry points;
 *   4. cold-import time of the package over an empty ESM entry (median of
 *      the differences of runs side by side; CPU time beside it);
 *   5. peak RSS growth while `for await`-ing 100,000 items, in a fresh
 *      process (scripts/bench/paginate.ts);
 *   6. the sandbox (scripts/bench/sandbox.ts): `POST /patient-sessions` at 64
 *      in flight over HTTP against the sandbox (also with `--state`, holding
 *      3,000 patients) and against Prism, 10,000
 *      in-process `init` calls, and RSS holding 10,000 patients, sessions
 *      and links.
 *
 * The wire budgets hold on every shape, so on the worst one.
 *
 * Prints a table with PASS/FAIL beside each budget and writes every figure to
 * bench/results/<timestamp>.json and bench/results/latest.json. Exits
 * non-zero when a budget fails or it could not measure. The bundle budgets are
 * also enforced on every `npm test` by size-limit (.size-limit.json).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import createClient from "openapi-fetch";
import type { paths } from "../../generated/api.js";
import { preparePaginator, startServer, type BenchServer, type ReceivedRequest } from "./children.js";
import { withoutProse } from "./prose.js";
import type { PaginateResult } from "./paginate.js";
import {
  API_KEY,
  childEnv,
  DIST_URL,
  INIT_PARAMS,
  REPO_DIR,
  REPO_URL,
  SESSION_ID,
  SHAPES,
  TOTAL_ITEMS,
  VERSION,
  type Shape,
} from "./shared.js";
import { coresBusy, exitedChildrenCpuSeconds, idleProbe, machineTicks } from "./machine.js";
import { formatTable, median, quantile, summary, type Row } from "./stats.js";
import { VERSION as VERSION_OF_PACKAGE } from "../../src/version.js";
import { benchSandbox, SANDBOX_STATE, SANDBOX_STATE_FILE_PATIENTS, SANDBOX_THROUGHPUT, type SandboxFigures } from "./sandbox.js";

// Rounds and repetitions are multiples of 3, so each variant and shape takes each place in the rotation equally often.
const PER_CALL = { warmupRounds: 5, rounds: 60, block: 100 };
const THROUGHPUT = { concurrency: 64, calls: 2_400, reps: 9 };
const COLD_IMPORT_RUNS = 40;
const RSS_RUNS = 5;

const BUDGET = {
  /** Client / raw fetch on every response shape (so on the worst), paired medians. */
  perCallRatio: 1.05,
  throughputRatio: 0.95,
  bundleWhole: 16_000,
  bundleParseReturnUrl: 1_000,
  coldImportMs: 10,
  /** The client walk's peak RSS growth over raw fetch's on the same walk. */
  rssGrowthOverRaw: 5_000_000,
  heapRetained: 5_000_000,
  sandboxVsPrism: 10,
  sandboxInitMs: 2_000,
  sandboxRss: 150_000_000,
};

const VARIANTS = ["client", "raw", "openapiFetch"] as const;
type Name = (typeof VARIANTS)[number];
type Variant = () => Promise<{ id: string }>;
const SHAPE_LABEL: Record<Shape, string> = { length: "Content-Length", chunked: "chunked", gzip: "gzip" };

/** `items` turned left by `by` places: each round starts with another one, so none always follows another. */
const rotated = <T>(items: readonly T[], by: number): T[] => items.map((_, index) => items[(index + by) % items.length]!);
const perShape = <T>(make: (shape: Shape) => T) => Object.fromEntries(SHAPES.map((shape) => [shape, make(shape)])) as Record<Shape, T>;
const perVariant = <T>(make: (name: Name) => T) => Object.fromEntries(VARIANTS.map((name) => [name, make(name)])) as Record<Name, T>;

/**
 * The client's and openapi-fetch's figures over raw fetch's: `pairedRatio`, the median of the ratios
 * of each round (its variants ran back to back, so drift cancels), is the budgeted figure;
 * `ratioOfMedians`, over all calls, is a cross-check.
 */
const ratiosToRaw = (paired: Record<"client" | "openapiFetch", number[]>, medians: Record<Name, { median: number }>) => ({
  pairedRatio: {
    client: Number(median(paired.client).toFixed(3)),
    openapiFetch: Number(median(paired.openapiFetch).toFixed(3)),
  },
  ratioOfMedians: {
    client: Number((medians.client.median / medians.raw.median).toFixed(3)),
    openapiFetch: Number((medians.openapiFetch.median / medians.raw.median).toFixed(3)),
  },
});

const log = (message: string) => console.error(`[bench] ${message}`);
const fmt = (value: number, digits = 1) => value.toFixed(digits);
const kB = (bytes: number) => `${(bytes / 1000).toFixed(2)} kB`;
const signedMs = (ms: number) => `${ms < 0 ? "−" : "+"}${fmt(Math.abs(ms))} ms`;
const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const started = performance.now();
const CORES = cpus().length;
/** Cores other processes kept busy while we sat idle: another job on 2 cores skews everything. */
const othersBefore = await idleProbe(CORES);

// ── 0. build ────────────────────────────────────────────────────────────────
log("npm run build");
execFileSync("npm", ["run", "build", "--silent", "--loglevel=error"], { cwd: REPO_DIR, stdio: ["ignore", "ignore", "inherit"] });
const { Medblocks } = (await import(DIST_URL.href)) as typeof import("../../src/index.js");

const server = await startServer();
let results: Awaited<ReturnType<typeof measure>>;
try {
  results = await measure(server);
} finally {
  await server.stop();
}
report(results, await benchSandbox(log));

/** The same `POST /patient-sessions` three ways, against the server's `/<shape>/` routes. */
function variantsFor(baseUrl: string): Record<Name, Variant> {
  const url = `${baseUrl}/patient-sessions`;
  // The client's own User-Agent, so every variant sends the same request.
  const userAgent = `medblocks-client/${VERSION_OF_PACKAGE}`;
  const wireHeaders = {
    Authorization: `Bearer ${API_KEY}`,
    Accept: "application/json",
    "User-Agent": userAgent,
    "Content-Type": "application/json",
    Version: VERSION,
  };
  const mb = new Medblocks(API_KEY, { baseUrl });
  const bare = createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${API_KEY}`, Accept: "application/json", "User-Agent": userAgent },
  });
  return {
    client: () => mb.patientSession.init(INIT_PARAMS),
    raw: async () => {
      const response = await fetch(url, { method: "POST", headers: wireHeaders, body: JSON.stringify(INIT_PARAMS) });
      return (await response.json()) as { id: string };
    },
    openapiFetch: async () => {
      const { data, error } = await bare.POST("/patient-sessions", { body: INIT_PARAMS, headers: { Version: VERSION } });
      if (error !== undefined || data === undefined) throw new Error(`openapi-fetch: ${JSON.stringify(error)}`);
      return data;
    },
  };
}

async function measure(server: BenchServer) {
  const variants = perShape((shape) => variantsFor(`${server.url}/${shape}`));

  // ── sanity: every variant gets the session, in each shape, and sends the same request ─
  const differences: string[] = [];
  for (const shape of SHAPES) {
    const received = {} as Record<Name, ReceivedRequest | null>;
    for (const name of VARIANTS) {
      const answer = await variants[shape][name]();
      if (answer.id !== SESSION_ID) throw new Error(`${name} (${shape}): unexpected answer ${JSON.stringify(answer)}`);
      received[name] = await server.lastPost();
      const answeredAs = received[name]?.answeredAs;
      if (answeredAs !== shape) differences.push(`${shape}: ${name} was answered as ${answeredAs ?? "nothing"}`);
    }
    differences.push(...requestDifferences(received).map((difference) => `${shape}: ${difference}`));
  }

  // ── 1. per-call time, sequential, interleaved ────────────────────────────
  // No forced gc between blocks: a full gc per block flushed compiled code and
  // made every call ~25% slower (the client's more than raw fetch's).
  log(
    `per-call: ${PER_CALL.rounds} rounds of ${PER_CALL.block} calls per variant and shape, after ${PER_CALL.warmupRounds} warm-up rounds`,
  );
  const samples = perShape(() => perVariant((): number[] => []));
  const roundRatios = perShape(() => ({ client: [] as number[], openapiFetch: [] as number[] }));
  for (let round = -PER_CALL.warmupRounds; round < PER_CALL.rounds; round++) {
    const turn = round + PER_CALL.warmupRounds;
    for (const shape of rotated(SHAPES, turn)) {
      const blockMedians = {} as Record<Name, number>;
      for (const name of rotated(VARIANTS, turn)) {
        const call = variants[shape][name];
        const times: number[] = [];
        for (let i = 0; i < PER_CALL.block; i++) {
          const t0 = performance.now();
          await call();
          times.push(performance.now() - t0);
        }
        blockMedians[name] = median(times);
        if (round >= 0) samples[shape][name].push(...times);
      }
      if (round >= 0) {
        roundRatios[shape].client.push(blockMedians.client / blockMedians.raw);
        roundRatios[shape].openapiFetch.push(blockMedians.openapiFetch / blockMedians.raw);
      }
    }
  }
  const perCall = perShape((shape) => {
    const us = perVariant((name) =>
      summary(
        samples[shape][name].map((ms) => ms * 1000),
        1,
      ),
    );
    return { ...us, ...ratiosToRaw(roundRatios[shape], us) };
  });

  // ── 2. throughput, 64 in flight ──────────────────────────────────────────
  log(`throughput: ${THROUGHPUT.concurrency} in flight, ${THROUGHPUT.calls} calls, ${THROUGHPUT.reps} reps per variant and shape`);
  const runThroughput = async (shape: Shape, call: Variant) => {
    let issued = 0;
    const before = await server.stats();
    const ticks = machineTicks();
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: THROUGHPUT.concurrency }, async () => {
        while (issued++ < THROUGHPUT.calls) await call();
      }),
    );
    const ms = performance.now() - t0;
    const ownCpu = process.cpuUsage(cpu);
    const busy = coresBusy(ticks, machineTicks(), CORES);
    const after = await server.stats();
    if (after.requests - before.requests !== THROUGHPUT.calls) throw new Error("throughput: server saw a different number of calls");
    if (after.answered[shape] - before.answered[shape] !== THROUGHPUT.calls)
      throw new Error(`throughput: not every call was answered ${shape}`);
    const serverCpuShare = (after.cpuMicros - before.cpuMicros) / (ms * 1000);
    const clientCpuShare = (ownCpu.user + ownCpu.system) / (ms * 1000);
    return {
      callsPerSecond: (THROUGHPUT.calls / ms) * 1000,
      serverCpuShare,
      clientCpuShare,
      othersCores: busy === null ? null : Math.max(0, busy - serverCpuShare - clientCpuShare),
    };
  };
  const rates = perShape(() => perVariant((): number[] => []));
  const repRatios = perShape(() => ({ client: [] as number[], openapiFetch: [] as number[] }));
  let serverCpuShareMax = 0;
  let clientCpuShareMin = Infinity;
  let othersCoresMax: number | null = null;
  for (let rep = -1; rep < THROUGHPUT.reps; rep++) {
    for (const shape of rotated(SHAPES, rep + 1)) {
      const repRates = {} as Record<Name, number>;
      for (const name of rotated(VARIANTS, rep + 1)) {
        const { callsPerSecond, serverCpuShare, clientCpuShare, othersCores } = await runThroughput(shape, variants[shape][name]);
        if (rep < 0) continue; // warm-up: opens the 64 connections
        repRates[name] = callsPerSecond;
        rates[shape][name].push(callsPerSecond);
        serverCpuShareMax = Math.max(serverCpuShareMax, serverCpuShare);
        clientCpuShareMin = Math.min(clientCpuShareMin, clientCpuShare);
        if (othersCores !== null) othersCoresMax = Math.max(othersCoresMax ?? 0, othersCores);
      }
      if (rep >= 0) {
        repRatios[shape].client.push(repRates.client / repRates.raw);
        repRatios[shape].openapiFetch.push(repRates.openapiFetch / repRates.raw);
      }
    }
  }
  const throughput = {
    ...perShape((shape) => {
      const callsPerSecond = perVariant((name) => summary(rates[shape][name], 0));
      return { ...callsPerSecond, ...ratiosToRaw(repRatios[shape], callsPerSecond) };
    }),
    /** Highest share of one core the server used in a repetition; near 1 means the server, not the client, set the pace. */
    serverCpuShareMax: Number(serverCpuShareMax.toFixed(2)),
    /** Lowest share of one core this process used in a repetition; near 1 means the client was CPU-bound, as it should be. */
    clientCpuShareMin: Number(clientCpuShareMin.toFixed(2)),
    /** Most cores other processes kept busy during a repetition (from /proc/stat). */
    othersCoresMax: othersCoresMax === null ? null : Number(othersCoresMax.toFixed(2)),
  };

  // ── 3. bundle size ───────────────────────────────────────────────────────
  log("bundle sizes");
  // The budgeted sizes are size-limit's (.size-limit.json), the same figures `npm test` enforces.
  const limits = sizeLimits();
  const bundle = {
    wholeSizeLimit: limits["the whole public API"]!,
    parseReturnUrlSizeLimit: limits["parseReturnUrl alone"]!,
    whole: await bundleSize(`export * from "./client/dist/index.js";`),
    wholeWithoutProse: await bundleSize(`export * from "./client/dist/index.js";`, true),
    medblocks: await bundleSize(`export { Medblocks, parseReturnUrl } from "./client/dist/index.js";`),
    parseReturnUrl: await bundleSize(`export { parseReturnUrl } from "./client/dist/index.js";`),
    openapiFetch: await bundleSize(`export { default } from "openapi-fetch"; export * from "openapi-fetch";`),
  };

  // ── 4. cold import ───────────────────────────────────────────────────────
  log(`cold import: ${COLD_IMPORT_RUNS} interleaved spawns per variant`);
  const coldImport = measureColdImport();

  // ── 5. RSS while paginating ──────────────────────────────────────────────
  log(`pagination RSS: ${RSS_RUNS}×3 fresh processes (client, raw fetch, node:http) walking ${TOTAL_ITEMS} items`);
  const paginator = await preparePaginator(server.url);
  const walks: PaginateResult[] = [];
  const rawWalks: PaginateResult[] = [];
  const httpWalks: PaginateResult[] = [];
  try {
    for (let run = 0; run < RSS_RUNS; run++) {
      walks.push(await paginator.run("client"));
      rawWalks.push(await paginator.run("raw"));
      httpWalks.push(await paginator.run("http"));
    }
  } finally {
    paginator.dispose();
  }
  const growth = walks.map((walk) => walk.rssPeak - walk.rssBaseline);
  const rss = {
    growth: median(growth),
    growthRuns: growth,
    /** The same walk with raw `fetch` + `response.json()`: what any walk costs in this runtime. */
    rawGrowth: median(rawWalks.map((walk) => walk.rssPeak - walk.rssBaseline)),
    /** The same walk with `node:http` and `JSON.parse`: what the walk costs without fetch. */
    httpGrowth: median(httpWalks.map((walk) => walk.rssPeak - walk.rssBaseline)),
    /** The client walk's peak over RSS before the first request (undici loading, socket): for reference. */
    growthInclFirstRequest: median(walks.map((walk) => walk.rssPeak - walk.rssStart)),
    /** Heap still in use after the walk and a gc, over the baseline: a leak would show here. */
    heapRetained: median(walks.map((walk) => walk.heapUsedAfterGc - walk.heapUsedBaseline)),
    items: walks.map((walk) => walk.items),
    allInOrder: [...walks, ...rawWalks, ...httpWalks].every((walk) => walk.inOrder && walk.items === TOTAL_ITEMS),
    walkMs: median(walks.map((walk) => walk.walkMs)),
    rawWalkMs: median(rawWalks.map((walk) => walk.walkMs)),
    runs: walks,
    rawRuns: rawWalks,
    httpRuns: httpWalks,
  };

  return { differences, perCall, throughput, bundle, coldImport, rss };
}

/** Differences between what the variants sent, ignoring what only the connection decides. */
function requestDifferences(received: Record<string, ReceivedRequest | null>): string[] {
  const entries = Object.entries(received);
  const [firstName, first] = entries[0]!;
  if (!first) return [`${firstName}: the server recorded no request`];
  const view = (request: ReceivedRequest) => ({
    method: request.method,
    url: request.url,
    body: request.body,
    ...Object.fromEntries(Object.entries(request.headers).filter(([name]) => !["host", "connection"].includes(name))),
  });
  const expected = view(first);
  const found: string[] = [];
  for (const [name, request] of entries.slice(1)) {
    if (!request) {
      found.push(`${name}: the server recorded no request`);
      continue;
    }
    const actual = view(request);
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      const a = JSON.stringify((expected as Record<string, unknown>)[key]);
      const b = JSON.stringify((actual as Record<string, unknown>)[key]);
      if (a !== b) found.push(`${key}: ${firstName} ${a ?? "(none)"} vs ${name} ${b ?? "(none)"}`);
    }
  }
  return found;
}

/** size-limit's figures (bytes, by check name) for the checks in .size-limit.json. */
function sizeLimits(): Record<string, number> {
  // It exits 1 when a limit is passed; the figures are on stdout either way.
  const run = spawnSync("node_modules/.bin/size-limit", ["--json"], { cwd: REPO_DIR, encoding: "utf8" });
  const checks = JSON.parse(run.stdout) as { name: string; size: number }[];
  return Object.fromEntries(checks.map((check) => [check.name, check.size]));
}

/** esbuild-minified and gzipped size of `contents` bundled; `noProse` first empties the text of its prose strings. */
async function bundleSize(contents: string, noProse = false) {
  const result = await build({
    stdin: { contents, resolveDir: REPO_DIR, sourcefile: "entry.js", loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    write: false,
    legalComments: "none",
    logLevel: "error",
  });
  const text = result.outputFiles[0]!.text;
  const { code, removed } = noProse ? withoutProse(text) : { code: text, removed: 0 };
  const bytes = Buffer.byteLength(code);
  return { minified: bytes, gzip: gzipSync(code, { level: 9 }).length, ...(noProse ? { proseStringsEmptied: removed } : {}) };
}

function measureColdImport() {
  const dir = mkdtempSync(join(tmpdir(), "medblocks-bench-"));
  try {
    const empty = join(dir, "empty.mjs");
    const importing = join(dir, "import.mjs");
    writeFileSync(empty, "");
    writeFileSync(
      importing,
      `import * as medblocks from ${JSON.stringify(DIST_URL.href)};\nif (typeof medblocks.Medblocks !== "function") process.exit(3);\n`,
    );
    const commands = {
      nodeE: ["-e", ""],
      emptyModule: [empty],
      importPackage: [importing],
    };
    const env = childEnv();
    const cpuSeconds = { nodeE: 0, emptyModule: 0, importPackage: 0 } as Record<keyof typeof commands, number>;
    const time = (key: keyof typeof commands) => {
      const cpuBefore = exitedChildrenCpuSeconds();
      const t0 = process.hrtime.bigint();
      const child = spawnSync(process.execPath, commands[key], { env, stdio: "ignore" });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (child.status !== 0) throw new Error(`cold import: node ${commands[key].join(" ")} exited ${child.status}`);
      const cpuAfter = exitedChildrenCpuSeconds();
      return { ms, cpu: cpuBefore === null || cpuAfter === null ? 0 : cpuAfter - cpuBefore };
    };
    const times: Record<keyof typeof commands, number[]> = { nodeE: [], emptyModule: [], importPackage: [] };
    const keys = Object.keys(commands) as (keyof typeof commands)[];
    for (let run = -3; run < COLD_IMPORT_RUNS; run++) {
      const ordered = run % 2 === 0 ? keys : [...keys].reverse();
      for (const key of ordered) {
        const { ms, cpu } = time(key);
        if (run < 0) continue;
        times[key].push(ms);
        cpuSeconds[key] += cpu;
      }
    }
    // Each import run's difference to the empty-entry run beside it: drift and load bursts hit both.
    const diffs = times.importPackage.map((ms, index) => ms - times.emptyModule[index]!);
    const hasCpu = exitedChildrenCpuSeconds() !== null;
    return {
      nodeE: summary(times.nodeE),
      emptyModule: summary(times.emptyModule),
      importPackage: summary(times.importPackage),
      /** Median of per-pair differences (import − the empty entry run beside it): the budgeted figure. */
      pairedOverhead: Number(median(diffs).toFixed(2)),
      /** median(import) − median(empty .mjs), as a cross-check. */
      overhead: Number((median(times.importPackage) - median(times.emptyModule)).toFixed(2)),
      overheadP25P75: [Number(quantile(diffs, 0.25).toFixed(2)), Number(quantile(diffs, 0.75).toFixed(2))],
      /**
       * Mean CPU time (user + system, ms) the import added per run: what load on the machine cannot inflate as much as
       * wall time. Linux only.
       */
      cpuOverhead: hasCpu ? Number((((cpuSeconds.importPackage - cpuSeconds.emptyModule) / COLD_IMPORT_RUNS) * 1000).toFixed(2)) : null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(results: Awaited<ReturnType<typeof measure>>, sandbox: SandboxFigures) {
  const { differences, perCall, throughput, bundle, coldImport, rss } = results;
  const us = (value: number) => `${fmt(value)} µs`;
  const perSec = (value: number) => `${Math.round(value).toLocaleString("en-US")} calls/s`;
  const ratio = (value: number) => `${fmt(value, 2)}×`;
  // Budgets hold on every shape, so on the worst one.
  const worstPerCall = SHAPES.reduce((worst, shape) =>
    perCall[shape].pairedRatio.client > perCall[worst].pairedRatio.client ? shape : worst,
  );
  const worstThroughput = SHAPES.reduce((worst, shape) =>
    throughput[shape].pairedRatio.client < throughput[worst].pairedRatio.client ? shape : worst,
  );
  const wireRows = SHAPES.flatMap((shape): Row[] => {
    const call = perCall[shape];
    const rate = throughput[shape];
    const label = SHAPE_LABEL[shape];
    return [
      {
        figure: `per call, ${label}: raw fetch · openapi-fetch · client`,
        value: `${fmt(call.raw.median)} · ${fmt(call.openapiFetch.median)} · ${us(call.client.median)}`,
      },
      {
        figure: `per call, ${label}: client / raw fetch`,
        value: `(openapi-fetch ${ratio(call.pairedRatio.openapiFetch)}) ${ratio(call.pairedRatio.client)}`,
        budget: `≤ ${ratio(BUDGET.perCallRatio)}`,
        pass: call.pairedRatio.client <= BUDGET.perCallRatio,
      },
      {
        figure: `@${THROUGHPUT.concurrency} in flight, ${label}: raw fetch · openapi-fetch · client`,
        value:
          `${Math.round(rate.raw.median).toLocaleString("en-US")} · ${Math.round(rate.openapiFetch.median).toLocaleString("en-US")} ` +
          `· ${perSec(rate.client.median)}`,
      },
      {
        figure: `@${THROUGHPUT.concurrency} in flight, ${label}: client / raw fetch`,
        value: `(openapi-fetch ${ratio(rate.pairedRatio.openapiFetch)}) ${ratio(rate.pairedRatio.client)}`,
        budget: `≥ ${ratio(BUDGET.throughputRatio)}`,
        pass: rate.pairedRatio.client >= BUDGET.throughputRatio,
      },
    ];
  });

  const rows: Row[] = [
    {
      figure: `check: same wire request, all 3 variants, each in the shape asked`,
      value: differences.length === 0 ? "identical" : `${differences.length} differ`,
      budget: "identical",
      pass: differences.length === 0,
    },
    ...wireRows,
    { figure: "bundle gz, openapi-fetch alone (ref.)", value: `${kB(bundle.openapiFetch.gzip)} (${kB(bundle.openapiFetch.minified)} min)` },
    {
      figure: "bundle gz, whole API (size-limit)",
      value: kB(bundle.wholeSizeLimit),
      budget: `≤ ${kB(BUDGET.bundleWhole)}`,
      pass: bundle.wholeSizeLimit <= BUDGET.bundleWhole,
    },
    { figure: "bundle gz -9, export * (whole API, ref.)", value: `${kB(bundle.whole.gzip)} (${kB(bundle.whole.minified)} min)` },
    {
      figure: `bundle gz, whole API, ${bundle.wholeWithoutProse.proseStringsEmptied} prose strings emptied (ref.)`,
      value: `${kB(bundle.wholeWithoutProse.gzip)} (${kB(bundle.wholeWithoutProse.minified)} min)`,
    },
    {
      figure: "bundle gz, { Medblocks, parseReturnUrl } (ref.)",
      value: `${kB(bundle.medblocks.gzip)} (${kB(bundle.medblocks.minified)} min)`,
    },
    {
      figure: "bundle gz, { parseReturnUrl } (size-limit)",
      value: kB(bundle.parseReturnUrlSizeLimit),
      budget: `≤ ${kB(BUDGET.bundleParseReturnUrl)}`,
      pass: bundle.parseReturnUrlSizeLimit <= BUDGET.bundleParseReturnUrl,
    },
    {
      figure: "bundle gz -9, { parseReturnUrl } (ref.)",
      value: `${kB(bundle.parseReturnUrl.gzip)} (${kB(bundle.parseReturnUrl.minified)} min)`,
    },
    { figure: 'cold start, node -e "" (ref.)', value: `${fmt(coldImport.nodeE.median)} ms` },
    { figure: "cold start, node empty.mjs", value: `${fmt(coldImport.emptyModule.median)} ms` },
    { figure: "cold start, node importing client/dist/index.js", value: `${fmt(coldImport.importPackage.median)} ms` },
    {
      figure: "cold import overhead (vs empty.mjs, paired)",
      value:
        `(difference of ` +
        `medians ${signedMs(coldImport.overhead)}${
          coldImport.cpuOverhead === null
            ? ""
            : `, \
CPU ${signedMs(coldImport.cpuOverhead)}`
        }) ${signedMs(coldImport.pairedOverhead)}`,
      budget: `≤ +${BUDGET.coldImportMs} ms`,
      pass: coldImport.pairedOverhead <= BUDGET.coldImportMs,
    },
    {
      figure: `check: for await saw ${TOTAL_ITEMS.toLocaleString("en-US")} items, in order`,
      value:
        new Set(rss.items).size === 1
          ? `${rss.items[0]!.toLocaleString("en-US")} in each of ${rss.items.length}`
          : rss.items.map((n) => n.toLocaleString("en-US")).join(" / "),
      budget: `= ${TOTAL_ITEMS.toLocaleString("en-US")}`,
      pass: rss.allInOrder,
    },
    { figure: `peak RSS growth, ${TOTAL_ITEMS / 1000}k-item walk, raw fetch`, value: MB(rss.rawGrowth) },
    { figure: `peak RSS growth, ${TOTAL_ITEMS / 1000}k-item walk, client`, value: MB(rss.growth) },
    {
      figure: "peak RSS growth, client − raw fetch",
      value: `${rss.growth >= rss.rawGrowth ? "+" : "−"}${MB(Math.abs(rss.growth - rss.rawGrowth))}`,
      budget: `≤ +${MB(BUDGET.rssGrowthOverRaw)}`,
      pass: rss.growth - rss.rawGrowth <= BUDGET.rssGrowthOverRaw,
    },
    {
      figure: "heap retained after the walk + gc",
      value: MB(rss.heapRetained),
      budget: `≤ ${MB(BUDGET.heapRetained)}`,
      pass: rss.heapRetained <= BUDGET.heapRetained,
    },
    { figure: "peak RSS growth, same walk with node:http (ref.)", value: MB(rss.httpGrowth) },
    { figure: "RSS growth incl. first request (ref.)", value: MB(rss.growthInclFirstRequest) },
    ...sandboxRows(sandbox),
  ];

  const budgets = rows.filter((row) => row.pass !== undefined);
  const passed = budgets.filter((row) => row.pass).length;
  const failed = budgets.length - passed;

  const now = new Date();
  const record = {
    timestamp: now.toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    otherProcessesCoresBusyBefore: othersBefore === null ? null : Number(othersBefore.toFixed(2)),
    git: gitInfo(),
    config: {
      perCall: PER_CALL,
      throughput: THROUGHPUT,
      sandbox: { throughput: SANDBOX_THROUGHPUT, state: SANDBOX_STATE },
      coldImportRuns: COLD_IMPORT_RUNS,
      rssRuns: RSS_RUNS,
      units: { time: "µs per call / ms", size: "bytes (kB = 1000 B)", memory: "bytes (MB = 10^6 B)" },
    },
    budgets: BUDGET,
    results: {
      requestDifferences: differences,
      /** Per shape: µs per call of each variant, and the paired ratios to raw fetch. */
      perCallMicros: perCall,
      throughputCallsPerSecond: throughput,
      /** The budgeted figures: the worst shape's paired ratios. */
      worst: {
        perCall: { shape: worstPerCall, ratio: perCall[worstPerCall].pairedRatio.client },
        throughput: { shape: worstThroughput, ratio: throughput[worstThroughput].pairedRatio.client },
      },
      bundleBytes: bundle,
      coldImportMs: coldImport,
      paginationRss: rss,
      sandbox,
    },
    table: rows,
    summary: { passed, failed },
    durationSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  };
  const dir = new URL("bench/results/", REPO_URL);
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(record, null, 2)}\n`;
  const file = `${now.toISOString().replace(/:/g, "-")}.json`;
  writeFileSync(new URL(file, dir), json);
  writeFileSync(new URL("latest.json", dir), json);

  console.log("");
  console.log(
    `medblocks-client bench · node ${process.version} · ${cpus().length} cpus ` +
      `· ${record.git.commit?.slice(0, 10) ?? "no git"}${record.git.dirty ? " (uncommitted changes)" : ""} · other ` +
      `load ${othersBefore === null ? "n/a" : `${fmt(othersBefore, 2)} cores`}`,
  );
  console.log(
    "response shapes: Content-Length (a declared length) · chunked (no length, two chunks) · gzip (Content-Encoding: gzip, as " +
      "servers answer fetch's Accept-Encoding)",
  );
  console.log(formatTable(rows));
  console.log(
    `  worst shape: per call ${SHAPE_LABEL[worstPerCall]} ${ratio(perCall[worstPerCall].pairedRatio.client)} (budget ` +
      `≤ ${ratio(BUDGET.perCallRatio)}), ` +
      `${THROUGHPUT.concurrency} in flight ${SHAPE_LABEL[worstThroughput]} ${ratio(throughput[worstThroughput].pairedRatio.client)} ` +
      `(budget ≥ ${ratio(BUDGET.throughputRatio)}); ` +
      "ratios are medians of paired rounds, values in µs and calls/s are medians",
  );
  if (differences.length > 0) for (const difference of differences) console.log(`  request differs: ${difference}`);
  const othersDuring = throughput.othersCoresMax;
  if ((othersBefore ?? 0) > 0.25 || (othersDuring ?? 0) > 0.25) {
    console.log(
      `  note: other processes kept ${fmt(othersBefore ?? 0, 2)} cores busy before the run and up to ${fmt(othersDuring ?? 0, 2)} ` +
        `during throughput: figures may be skewed; rerun on a quiet machine`,
    );
  }
  if (throughput.serverCpuShareMax > 0.9) {
    console.log(
      `  note: the server used up to ${Math.round(throughput.serverCpuShareMax * 100)}% of a core during throughput; it may have set ` +
        `the pace`,
    );
  }
  console.log(`units: kB = 1000 bytes, MB = 10^6 bytes · results: bench/results/${file} · ${record.durationSeconds} s`);
  console.log(`budgets: ${passed} passed, ${failed} failed`);
  if (failed > 0) process.exitCode = 1;
}

function sandboxRows({ throughput, server, inProcess }: SandboxFigures): Row[] {
  const perSec = (value: number) => `${Math.round(value).toLocaleString("en-US")} calls/s`;
  const count = SANDBOX_STATE.toLocaleString("en-US");
  const held = inProcess.stateCounts;
  const init = inProcess.initMs;
  return [
    {
      figure: "check: sandbox and Prism answered every call 200",
      value: throughput.failed === 0 && server?.failed === 0 ? "all 200" : `${throughput.failed + (server?.failed ?? 0)} not 200`,
      budget: "all 200",
      pass: throughput.failed === 0 && server?.failed === 0,
    },
    {
      figure: `sandbox: POST /patient-sessions @${SANDBOX_THROUGHPUT.concurrency}, Prism mock (ref.)`,
      value: perSec(throughput.prism.median),
    },
    {
      figure: `sandbox: POST /patient-sessions @${SANDBOX_THROUGHPUT.concurrency}, sandbox server`,
      value: `(server core ${Math.round(throughput.serverCpuShareMax * 100)}%) ${perSec(throughput.sandbox.median)}`,
    },
    {
      figure: "sandbox: sandbox / Prism, over HTTP",
      value: `${throughput.ratio.toFixed(1)}×`,
      budget: `≥ ${BUDGET.sandboxVsPrism}×`,
      pass: throughput.ratio >= BUDGET.sandboxVsPrism,
    },
    {
      figure: `sandbox: the same with --state (${SANDBOX_STATE_FILE_PATIENTS.toLocaleString("en-US")} patients held)`,
      value: perSec(throughput.withState.median),
    },
    {
      figure: "sandbox: sandbox with --state / Prism",
      value: `${throughput.stateRatio.toFixed(1)}×`,
      budget: `≥ ${BUDGET.sandboxVsPrism}×`,
      pass: throughput.stateRatio >= BUDGET.sandboxVsPrism,
    },
    {
      figure: `sandbox: ${count} init through in-process fetch (median of ${inProcess.initRuns.length})`,
      value: `${inProcess.initOk ? "" : "(not all 200!) "}${init} ms`,
      budget: `≤ ${BUDGET.sandboxInitMs} ms`,
      pass: inProcess.initOk && init <= BUDGET.sandboxInitMs,
    },
    ...(server?.peakRss === undefined
      ? []
      : [
          {
            figure: `sandbox: server peak RSS holding ${count} patients, sessions, links`,
            value: `(at start ${MB(server.atStart!.rss)}) ${MB(server.peakRss)}`,
            budget: `≤ ${MB(BUDGET.sandboxRss)}`,
            pass: server.peakRss <= BUDGET.sandboxRss && server.lastPatientLinks === 1,
          },
        ]),
    {
      figure: `sandbox: in-process peak RSS, same state (${held.patients}/${held.sessions}/${held.links})`,
      value: `(node alone ${MB(inProcess.stateRssNode)}, heap ${MB(inProcess.stateHeapUsed)}) ${MB(inProcess.statePeakRss)}`,
      budget: `≤ ${MB(BUDGET.sandboxRss)}`,
      pass: inProcess.statePeakRss <= BUDGET.sandboxRss,
    },
  ];
}

function gitInfo(): { commit: string | null; dirty: boolean | null } {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], {
      cwd: REPO_DIR,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const status = execFileSync("git", ["status", "--porcelain", "--", "src", "generated", "client/package.json"], {
      cwd: REPO_DIR,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    return { commit, dirty: status.trim() !== "" };
  } catch {
    return { commit: null, dirty: null };
  }
}
