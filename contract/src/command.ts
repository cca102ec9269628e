/**
 * The `medblocks-contract` command as a function of its arguments, its
 * environment and where it writes (src/cli.ts gives it the process's): the
 * summary to `stdout`, problems to `stderr`, the exit code as its result —
 * 0 (no drift), 1 (drift) or 2 (it could not run: a bad flag, a refused
 * key, an unreachable server, an interruption). It never throws.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ContractOptionError, DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT_MS, runContract, type ContractOptions } from "./contract.js";
import { notRunJUnit, toJUnit } from "./junit.js";
import { formatSummary } from "./summary.js";
import { API_VERSION } from "./spec.js";
import { CONTRACT_VERSION } from "./version.js";

export interface Env {
  MEDBLOCKS_API_KEY?: string | undefined;
  MEDBLOCKS_BASE_URL?: string | undefined;
}

export interface CommandIo {
  env: Env;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Stops the scenarios (what the check created is still deleted). */
  signal?: AbortSignal | undefined;
}

const USAGE = `medblocks-contract ${CONTRACT_VERSION}: checks a server of the Medblocks API against the spec (API version ${API_VERSION})

Usage:
  MEDBLOCKS_API_KEY=mb_sk_sbx_… medblocks-contract --base-url <url> [options]

Options:
  --base-url <url>     the server (default: MEDBLOCKS_BASE_URL)
  --read-only          send GET requests only: nothing is created or deleted; required for any key but a
                       sandbox key (mb_sk_sbx_…), so a live key (mb_sk_live_…) is refused without it
  --junit <file>       also write the result as JUnit XML
  --timeout <ms>       time each request may take (default ${DEFAULT_TIMEOUT_MS})
  --max-pages <n>      pages read of each list at most (default ${DEFAULT_MAX_PAGES})
  -h, --help           this text
  -v, --version        the version

Exit codes: 0 the server matches the spec; 1 drift found; 2 the check could not run (to the end).`;

const OPTION_FLAGS: Record<string, string> = {
  baseUrl: "--base-url",
  apiKey: "MEDBLOCKS_API_KEY",
  timeoutMs: "--timeout",
  maxPages: "--max-pages",
};

/** A mistake in how the command was called: exits 2 with the message. */
class UsageError extends Error {}

function wholeNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`${flag} must be a whole number`);
  return Number(text);
}

function options(args: string[], env: Env): (ContractOptions & { junit?: string | undefined }) | "help" | "version" {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        "base-url": { type: "string" },
        "read-only": { type: "boolean" },
        junit: { type: "string" },
        timeout: { type: "string" },
        "max-pages": { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return "help";
  if (values.version) return "version";
  const baseUrl = values["base-url"] ?? env.MEDBLOCKS_BASE_URL;
  if (baseUrl === undefined || baseUrl === "") throw new UsageError("--base-url is required (or set MEDBLOCKS_BASE_URL)");
  if (values.junit === "") throw new UsageError("--junit must be a file path");
  return {
    baseUrl,
    apiKey: env.MEDBLOCKS_API_KEY ?? "",
    readOnly: values["read-only"] ?? false,
    junit: values.junit,
    timeoutMs: wholeNumber("--timeout", values.timeout),
    maxPages: wholeNumber("--max-pages", values["max-pages"]),
  };
}

/** Writes the JUnit file; refuses early (before any request) when it cannot be written. */
function writeJUnit(path: string, content: string): void {
  try {
    writeFileSync(path, content);
  } catch (error) {
    throw new UsageError(`--junit ${path} cannot be written: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function run(args: string[], io: CommandIo): Promise<number> {
  const parsed = options(args, io.env);
  if (parsed === "help" || parsed === "version") {
    io.stdout(`${parsed === "help" ? USAGE : CONTRACT_VERSION}\n`);
    return 0;
  }
  const { junit, ...contract } = parsed;
  // Written first (so an unwritable path is refused before any request) and whatever happens next: CI reads it.
  if (junit !== undefined) writeJUnit(junit, notRunJUnit("the check did not finish"));
  let report;
  try {
    report = await runContract({ ...contract, signal: io.signal });
  } catch (error) {
    if (junit !== undefined)
      writeJUnit(junit, notRunJUnit(error instanceof ContractOptionError ? error.message : "the check stopped with an internal error"));
    throw error;
  }
  io.stdout(formatSummary(report));
  if (junit !== undefined) writeJUnit(junit, toJUnit(report));
  return report.exitCode;
}

/** Runs the command; resolves with its exit code. */
export async function command(args: string[], io: CommandIo): Promise<number> {
  try {
    return await run(args, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ContractOptionError) {
      const flag = error instanceof ContractOptionError ? OPTION_FLAGS[error.option] : undefined;
      io.stderr(`medblocks-contract: ${flag ? `${flag}: ` : ""}${error.message}\nRun medblocks-contract --help for the options.\n`);
    } else {
      io.stderr(`medblocks-contract: ${(error as Error).stack ?? String(error)}\n`);
    }
    return 2;
  }
}
