/**
 * Child process of `npm run bench`: walks every item of the server's
 * `/connections` with `for await`, and reports RSS. Run fresh for each
 * measurement so nothing the benchmark did before is in this heap, and with
 * plain `node` (main.ts bundles this file to a temporary .mjs first: no
 * TypeScript loader in the measured process).
 *
 *   node --expose-gc paginate.mjs <baseUrl> <dist/index.js URL> <client|raw|http>
 *
 * `client` walks `mb.connections.list({ limit: 100 })` of the built package;
 * `raw` walks the same pages with `fetch` and `response.json()`, as the
 * reference of what any fetch-based walk costs; `http` walks them with
 * `node:http` (keep-alive) and `JSON.parse`, the reference without fetch.
 * Prints one JSON line: `PaginateResult`.
 */
import { Agent, get } from "node:http";
import { API_KEY, itemId, PAGE_SIZE, TOTAL_ITEMS, VERSION } from "./shared.js";

export interface PaginateResult {
  mode: Mode;
  items: number;
  /** Every id in walk order was the expected one: no item skipped or repeated. */
  inOrder: boolean;
  /** RSS after import and construction, before any request (after gc). */
  rssStart: number;
  /** RSS after one warm-up request (undici loaded, socket open; after gc): the walk's baseline. */
  rssBaseline: number;
  /** Highest RSS sampled during the walk (twice per page). */
  rssPeak: number;
  samples: number;
  /** After the walk and a gc: what the walk left behind. */
  rssAfterGc: number;
  heapUsedBaseline: number;
  heapUsedAfterGc: number;
  walkMs: number;
}

export type Mode = "client" | "raw" | "http";

interface Item {
  id: string;
}
interface Page {
  data: Item[];
  has_more: boolean;
  next_cursor: string | null;
}

const [baseUrl, distUrl, mode] = process.argv.slice(2);
if (!baseUrl || !distUrl || (mode !== "client" && mode !== "raw" && mode !== "http")) {
  throw new Error("usage: paginate.mjs <baseUrl> <distUrl> <client|raw|http>");
}
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const settle = () => {
  gc();
  gc();
};

const headers = { Authorization: `Bearer ${API_KEY}`, Accept: "application/json", Version: VERSION };
const agent = new Agent({ keepAlive: true });
function httpGet(url: string): Promise<Page> {
  return new Promise((resolve, reject) => {
    get(url, { headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        if (response.statusCode !== 200) reject(new Error(`GET ${url}: ${response.statusCode}`));
        else resolve(JSON.parse(Buffer.concat(chunks).toString()) as Page);
      });
    }).on("error", reject);
  });
}
async function rawPage(limit: number, cursor: string | null): Promise<Page> {
  const url = `${baseUrl}/connections?limit=${limit}${cursor === null ? "" : `&starting_after=${encodeURIComponent(cursor)}`}`;
  if (mode === "http") return httpGet(url);
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return (await response.json()) as Page;
}
async function* rawWalk(): AsyncGenerator<Item> {
  let cursor: string | null = null;
  do {
    const page = await rawPage(PAGE_SIZE, cursor);
    yield* page.data;
    cursor = page.has_more ? page.next_cursor : null;
  } while (cursor !== null);
}

// Both modes load what they use before the start figure, and make one request before the baseline.
const { Medblocks } = (await import(distUrl)) as typeof import("../../src/index.js");
const mb = mode === "client" ? new Medblocks(API_KEY, { baseUrl }) : undefined;
settle();
const rssStart = process.memoryUsage.rss();

const warm = mb ? await mb.connections.list({ limit: 1 }) : await rawPage(1, null);
if (warm.data[0]?.id !== itemId(0)) throw new Error(`warm-up page: unexpected first item ${JSON.stringify(warm.data[0])}`);
settle();
const rssBaseline = process.memoryUsage.rss();
const heapUsedBaseline = process.memoryUsage().heapUsed;

let rssPeak = rssBaseline;
let samples = 0;
const sample = () => {
  samples++;
  const rss = process.memoryUsage.rss();
  if (rss > rssPeak) rssPeak = rss;
};

let items = 0;
let inOrder = true;
const started = performance.now();
for await (const item of mb ? mb.connections.list({ limit: PAGE_SIZE }) : rawWalk()) {
  if (item.id !== itemId(items)) inOrder = false;
  items++;
  // First item of a page: just fetched and parsed. Last item: just before the next fetch.
  const position = items % PAGE_SIZE;
  if (position === 1 || position === 0) sample();
}
sample();
const walkMs = performance.now() - started;

settle();
const result: PaginateResult = {
  mode,
  items,
  inOrder: inOrder && items === TOTAL_ITEMS,
  rssStart,
  rssBaseline,
  rssPeak,
  samples,
  rssAfterGc: process.memoryUsage.rss(),
  heapUsedBaseline,
  heapUsedAfterGc: process.memoryUsage().heapUsed,
  walkMs,
};
console.log(JSON.stringify(result));
