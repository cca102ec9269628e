/**
 * `medblocks-contract --base-url URL`: checks a server against the spec
 * with the key in MEDBLOCKS_API_KEY, prints the summary, writes JUnit XML
 * with `--junit FILE`, and exits 0 (no drift), 1 (drift) or 2 (it could not
 * run: a bad flag, a refused key, an unreachable server, an interruption).
 * Ctrl-C stops the scenarios and still deletes what the check created; a
 * second Ctrl-C exits at once.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ContractOptionError, runContract, type ContractOptions } from "./contract.js";
import { toJUnit } from "./junit.js";
import { formatSummary } from "./summary.js";
import { API_VERSION } from "./spec.js";
import { CONTRACT_VERSION } from "./version.js";

const USAGE = `medblocks-contract ${CONTRACT_VERSION}: checks a server of the Medblocks API against the spec (API version ${API_VERSION})

Usage:
  MEDBLOCKS_API_KEY=mb_sk_sbx_… medblocks-contract --base-url <url> [options]

Options:
  --base-url <url>     the server (default: MEDBLOCKS_BASE_URL)
  --read-only          send GET requests only: nothing is created or deleted; required for any key but a
                       sandbox key (mb_sk_sbx_…), so a live key (mb_sk_live_…) is refused without it
  --junit <file>       also write the result as JUnit XML
  --timeout <ms>       time each request may take (default 10000)
  --max-pages <n>      pages read of each list at most (default 20)
  -h, --help           this text
  -v, --version        the version

Exit codes: 0 the server matches the spec; 1 drift found; 2 the check could not run (to the end).`;

const OPTION_FLAGS: Record<string, string> = { baseUrl: "--base-url", apiKey: "MEDBLOCKS_API_KEY", timeoutMs: "--timeout", maxPages: "--max-pages" };

/** A mistake in how the command was called: exits 2 with the message. */
class UsageError extends Error {}

function wholeNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`${flag} must be a whole number`);
  return Number(text);
}

function options(args: string[]): (ContractOptions & { junit?: string | undefined }) | "help" | "version" {
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
  const baseUrl = values["base-url"] ?? process.env.MEDBLOCKS_BASE_URL;
  if (baseUrl === undefined || baseUrl === "") throw new UsageError("--base-url is required (or set MEDBLOCKS_BASE_URL)");
  if (values.junit === "") throw new UsageError("--junit must be a file path");
  return {
    baseUrl,
    apiKey: process.env.MEDBLOCKS_API_KEY ?? "",
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

async function main(args: string[]): Promise<number> {
  const parsed = options(args);
  if (parsed === "help") {
    console.log(USAGE);
    return 0;
  }
  if (parsed === "version") {
    console.log(CONTRACT_VERSION);
    return 0;
  }
  const { junit, ...contract } = parsed;
  if (junit !== undefined) writeJUnit(junit, "");
  const controller = new AbortController();
  let signals = 0;
  const onSignal = () => {
    if (++signals > 1) process.exit(130);
    console.error("medblocks-contract: interrupted: deleting what the check created (Ctrl-C again to quit at once)");
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const report = await runContract({ ...contract, signal: controller.signal });
  process.stdout.write(formatSummary(report));
  if (junit !== undefined) writeJUnit(junit, toJUnit(report));
  return report.exitCode;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || error instanceof ContractOptionError) {
    const flag = error instanceof ContractOptionError ? OPTION_FLAGS[error.option] : undefined;
    console.error(`medblocks-contract: ${flag ? `${flag}: ` : ""}${error.message}\nRun medblocks-contract --help for the options.`);
    process.exitCode = 2;
  } else {
    console.error(`medblocks-contract: ${(error as Error).stack ?? error}`);
    process.exitCode = 2;
  }
}
