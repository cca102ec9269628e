/**
 * The command's flags, in process (`command()`, which the bin runs on the
 * process's arguments): a bad flag exits 2 naming it and its rule, before
 * anything is sent; `--help` and `--version`; the environment's base URL;
 * the summary and the JUnit file of a run against the in-process sandbox.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSandbox } from "../../sandbox/src/index.js";
import { command, type Env } from "../src/command.js";
import { CONTRACT_VERSION } from "../src/index.js";
import { sandboxHandler } from "./support/drifting.js";
import { readJUnit } from "./support/junit.js";
import { serve } from "./support/serve.js";

const dir = mkdtempSync(join(tmpdir(), "medblocks-contract-command-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KEY: Env = { MEDBLOCKS_API_KEY: "mb_sk_sbx_contract_command" };

async function run(args: string[], env: Env = KEY) {
  let stdout = "";
  let stderr = "";
  const code = await command(args, { env, stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
  return { code, stdout, stderr };
}

describe("medblocks-contract's flags", () => {
  it.each([
    [[], KEY, "--base-url is required (or set MEDBLOCKS_BASE_URL)"],
    [
      ["--base-url", "ftp://example.com"],
      KEY,
      "--base-url: the base URL must be an absolute http(s) URL without query or fragment, e.g. https://app.medblocks.com",
    ],
    [
      ["--base-url", "http://user:pw@127.0.0.1:9"],
      KEY,
      "--base-url: the base URL must be a URL without a user name or password (the API key authenticates)",
    ],
    [["--base-url", "http://127.0.0.1:9", "--timeout", "soon"], KEY, "--timeout must be a whole number"],
    [
      ["--base-url", "http://127.0.0.1:9", "--timeout", "0"],
      KEY,
      "--timeout: the timeout must be a whole number of milliseconds from 1 to 600000",
    ],
    [["--base-url", "http://127.0.0.1:9", "--max-pages", "0"], KEY, "--max-pages: the page limit must be a whole number from 1 to 1000"],
    [["--base-url", "http://127.0.0.1:9", "--junit", ""], KEY, "--junit must be a file path"],
    [
      ["--base-url", "http://127.0.0.1:9", "--junit", join(dir, "missing", "report.xml")],
      KEY,
      `--junit ${join(dir, "missing", "report.xml")} cannot be written: ENOENT`,
    ],
    [["--base-url", "http://127.0.0.1:9", "--verbose"], KEY, "Unknown option '--verbose'"],
    [["--base-url", "http://127.0.0.1:9", "extra"], KEY, "Unexpected argument 'extra'"],
    [["--base-url", "http://127.0.0.1:9"], {}, "MEDBLOCKS_API_KEY: no API key: set MEDBLOCKS_API_KEY to a sandbox key (mb_sk_sbx_…)"],
  ] as [string[], Env, string][])("%j exits 2: %s", async (args, env, message) => {
    const { code, stdout, stderr } = await run(args, env);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(`medblocks-contract: ${message}`);
    expect(stderr).toMatch(/Run medblocks-contract --help for the options\.\n$/);
  });

  it("leaves a valid JUnit file saying why when it cannot run (a refused live key)", async () => {
    const junit = join(dir, "refused.xml");
    const { code, stderr } = await run(["--base-url", "http://127.0.0.1:9", "--junit", junit], {
      MEDBLOCKS_API_KEY: "mb_sk_live_contract_command",
    });
    expect(code).toBe(2);
    expect(stderr).toContain("a live key");
    const [suite] = readJUnit(readFileSync(junit, "utf8"));
    expect(suite).toMatchObject({ tests: 1, failures: 0, errors: 1 });
    expect(suite!.cases[0]!.error?.message).toMatch(/a live key/);
    expect(readFileSync(junit, "utf8")).not.toContain("mb_sk_live_contract_command");
  });

  it("prints its version and its usage", async () => {
    expect(await run(["--version"])).toEqual({ code: 0, stdout: `${CONTRACT_VERSION}\n`, stderr: "" });
    const help = await run(["-h"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("  --read-only          send GET requests only");
    expect(help.stdout).toContain("(default 10000)");
    expect(help.stdout).toContain("Exit codes: 0 the server matches the spec; 1 drift found; 2 the check could not run (to the end).");
  });

  it("takes the base URL from MEDBLOCKS_BASE_URL, and writes the summary and the JUnit file", async () => {
    const sb = createSandbox();
    const server = await serve(sandboxHandler(sb));
    try {
      const junit = join(dir, "report.xml");
      const { code, stdout, stderr } = await run(["--junit", junit], { MEDBLOCKS_API_KEY: sb.apiKey, MEDBLOCKS_BASE_URL: server.url });
      expect([code, stderr]).toEqual([0, ""]);
      expect(stdout).toMatch(new RegExp(`^medblocks-contract ${CONTRACT_VERSION.replace(/\./g, "\\.")}: ${server.url} against the spec`));
      const [suite] = readJUnit(readFileSync(junit, "utf8"));
      expect(suite!.name).toBe(`medblocks-contract ${server.url}`);
      expect(suite!.failures).toBe(0);
    } finally {
      await server.close();
    }
  });
});
