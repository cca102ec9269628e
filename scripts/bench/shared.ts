/**
 * What the benchmark's processes share: the repo's paths, the request every
 * variant sends, and how to start a TypeScript child. Side-effect free, so
 * any of them can import it.
 */
import { fileURLToPath } from "node:url";

/** The repo root, as a file URL ending in `/`. */
export const REPO_URL = new URL("../../", import.meta.url);
export const REPO_DIR = fileURLToPath(REPO_URL);
/** The built package's entry. */
export const DIST_URL = new URL("client/dist/index.js", REPO_URL);

/** Items the server's `/connections` serves in all. */
export const TOTAL_ITEMS = 100_000;
export const PAGE_SIZE = 100;
/** The id of the session the server answers with. */
export const SESSION_ID = "ps_01J9YQ8M2X4VZ6P2K5RH7M3KQT";
/** The id of item `index` (0-based); ids sort in walk order. */
export const itemId = (index: number): string => `fhirsrc_${String(index).padStart(7, "0")}`;

/**
 * How the server answers `POST /patient-sessions` under `/<shape>/`: with a
 * `Content-Length`; chunked without a length, in two chunks (a streamed
 * answer); gzip-coded, as servers and CDNs answer fetch's `Accept-Encoding`.
 */
export const SHAPES = ["length", "chunked", "gzip"] as const;
export type Shape = (typeof SHAPES)[number];

export const API_KEY = "mb_sk_sbx_bench_0123456789";
export const VERSION = "2026-04-25";
export const INIT_PARAMS = { patient_id: "user_42", return_url: "https://app.example.com/connected" } as const;

/** `node` arguments that run a .ts file through the repo's tsx loader. */
export function tsxArgs(file: URL, ...args: string[]): string[] {
  return ["--import", import.meta.resolve("tsx"), fileURLToPath(file), ...args];
}

/** The environment for children: ours, minus anything that would load code into them. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  return env;
}
