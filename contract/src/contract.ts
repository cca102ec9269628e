/**
 * `runContract()`: checks a server of the Medblocks API against the spec.
 * Reads and error probes first; then, unless read-only, a webhook endpoint's
 * life and a test patient's session journey; whatever the check created is
 * deleted at the end, whatever happened. The report says what each
 * response was judged, every drift once, and the exit code.
 */
import { BASE_URL_RULES, checkedBaseUrl } from "../../lib/urls.js";
import type { FetchLike } from "./http.js";
import type { ContractReport } from "./report.js";
import { Run } from "./run.js";
import { patients } from "./scenarios/patients.js";
import { probes } from "./scenarios/probes.js";
import { reads } from "./scenarios/reads.js";
import { webhooks } from "./scenarios/webhooks.js";
import { API_VERSION, KEY_PREFIXES, operations, SERVER_URL, type OperationId } from "./spec.js";
import { newRunId, testValues } from "./values.js";
import { CONTRACT_VERSION } from "./version.js";

export interface ContractOptions {
  /** The server: an absolute http(s) URL without query, fragment or credentials. */
  baseUrl: string;
  /** A sandbox key (`mb_sk_sbx_…`); any other key only with `readOnly`. Never printed. */
  apiKey: string;
  /** Send GET requests only: nothing is created, changed or deleted. Required for any key but a sandbox key. */
  readOnly?: boolean | undefined;
  /** The fetch to send with (default: the global one), e.g. an in-process sandbox's. */
  fetch?: FetchLike | undefined;
  /** Milliseconds each request may take, body included; default `DEFAULT_TIMEOUT_MS`. */
  timeoutMs?: number | undefined;
  /** Pages read of each list at most; default `DEFAULT_MAX_PAGES`. */
  maxPages?: number | undefined;
  /** Stops the scenarios; what the check created is still deleted. */
  signal?: AbortSignal | undefined;
}

/** A mistake in the options, refused before anything is sent; `option` names it. */
export class ContractOptionError extends Error {
  readonly option: string;
  constructor(option: string, message: string) {
    super(message);
    this.name = "ContractOptionError";
    this.option = option;
  }
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_PAGES = 20;

const isWholeNumber = (value: unknown, min: number, max: number): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;

/** The base URL, checked by the rule of lib/urls.ts: absolute http(s), no query, fragment or credentials; trailing slashes dropped. */
function checkedBase(value: unknown): string {
  const { baseUrl, problem } = checkedBaseUrl(typeof value === "string" ? value : "");
  if (problem)
    throw new ContractOptionError(
      "baseUrl",
      `the base URL must be ${BASE_URL_RULES[problem]}${problem === "form" ? `, e.g. ${SERVER_URL}` : ""}`,
    );
  return baseUrl;
}

function checkedKey(apiKey: unknown, readOnly: boolean): string {
  if (typeof apiKey !== "string" || apiKey === "")
    throw new ContractOptionError("apiKey", `no API key: set MEDBLOCKS_API_KEY to a sandbox key (${KEY_PREFIXES.sandbox}…)`);
  if (!/^[\x21-\x7e]+$/.test(apiKey)) throw new ContractOptionError("apiKey", "the API key must be printable characters without spaces");
  if (readOnly || apiKey.startsWith(KEY_PREFIXES.sandbox)) return apiKey;
  const kind = apiKey.startsWith(KEY_PREFIXES.live) ? `a live key (${KEY_PREFIXES.live}…)` : `not a sandbox key (${KEY_PREFIXES.sandbox}…)`;
  throw new ContractOptionError(
    "apiKey",
    `the API key is ${kind}: the check creates and deletes test objects, so it runs only with a sandbox key, or with --read-only ` +
      `(GET requests only)`,
  );
}

/** Why an operation has no answer in the report. */
function notRunReason(run: Run, operationId: OperationId): string {
  if (run.readOnly && operations[operationId].method !== "GET") return "--read-only: GET requests only";
  if (run.stopped) return "the run stopped first";
  return "no scenario reached it: a step it depends on did not answer as asked (see the warnings)";
}

export async function runContract(options: ContractOptions): Promise<ContractReport> {
  const readOnly = options.readOnly ?? false;
  const baseUrl = checkedBase(options.baseUrl);
  const apiKey = checkedKey(options.apiKey, readOnly);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!isWholeNumber(timeoutMs, 1, 600_000))
    throw new ContractOptionError("timeoutMs", "the timeout must be a whole number of milliseconds from 1 to 600000");
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  if (!isWholeNumber(maxPages, 1, 1000)) throw new ContractOptionError("maxPages", "the page limit must be a whole number from 1 to 1000");
  const fetch = options.fetch ?? ((input: string, init: RequestInit) => globalThis.fetch(input, init));

  const run = new Run({ baseUrl, apiKey, readOnly, fetch, timeoutMs, maxPages, values: testValues(newRunId()), signal: options.signal });
  const startedAt = new Date();
  const started = performance.now();
  try {
    const found = await reads(run);
    if (run.going) await probes(run);
    if (run.going && !readOnly) await webhooks(run);
    if (run.going && !readOnly) await patients(run, found);
  } finally {
    await run.cleanUp();
  }
  run.noteInterruption();
  const { recorder } = run;
  const drift = recorder.drift;
  const exitCode = drift.length > 0 ? 1 : run.stopped || recorder.noAnswers > 0 ? 2 : 0;
  return {
    tool: { name: "medblocks-contract", version: CONTRACT_VERSION },
    baseUrl,
    apiVersion: API_VERSION,
    readOnly,
    sandbox: run.sandbox,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    responses: recorder.responses,
    rows: recorder.rows((operationId) => notRunReason(run, operationId)),
    drift,
    warnings: recorder.warnings,
    stopped: run.stopped,
    exitCode,
  };
}
