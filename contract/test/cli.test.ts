/**
 * `medblocks-contract` as CI runs it, in child processes: under
 * `medblocks-sandbox exec` (no drift, exit 0), against a drifting server on
 * loopback (each drift once, exit 1), with a live key (refused without
 * `--read-only`, GETs only with it), against nothing (exit 2), and
 * interrupted (it still deletes what it created). The JUnit file is read
 * back as a CI system reads it. The key never appears in what it prints or
 * writes. Every process is stopped by its pid when its test ends, also on
 * failure. (Flags are tested in process: command.test.ts.)
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { builtThisRun } from "../../scripts/lib/packed.js";
import { createSandbox } from "../../sandbox/src/index.js";
import { alive, REPO_DIR, run, type Run } from "../../sandbox/test/support/process.js";
import { closedPort } from "../../test/support/closed-port.js";
import { operationIds } from "../src/spec.js";
import { drifting, sandboxHandler, SIX_DRIFTS } from "./support/drifting.js";
import { readJUnit } from "./support/junit.js";
import { leftBehind } from "./support/sandbox.js";
import { serve, type Served } from "./support/serve.js";

/** In `npm test`, the run's build of the sources under test (as sandbox/test/support/process.ts says why); alone, the bin. */
const CONTRACT_BIN = fileURLToPath(new URL(builtThisRun() ? "../dist/cli.js" : "../bin/medblocks-contract.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "medblocks-contract-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const processes: Run[] = [];
const servers: Served[] = [];
afterEach(async () => {
  for (const started of processes.splice(0)) if (alive(started.pid)) process.kill(started.pid, "SIGKILL");
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Runs the command with `args`, only the given environment variables of ours set; resolves when it exits. */
async function contract(args: string[], env: { MEDBLOCKS_API_KEY?: string; MEDBLOCKS_BASE_URL?: string } = {}) {
  const started = run([CONTRACT_BIN, ...args], {
    command: process.execPath,
    env: { MEDBLOCKS_API_KEY: "", MEDBLOCKS_BASE_URL: "", ...env },
  });
  processes.push(started);
  const code = await started.exited(60_000);
  return { code, output: started.output() };
}

async function served(handler: Parameters<typeof serve>[0]): Promise<Served> {
  const server = await serve(handler);
  servers.push(server);
  return server;
}

describe("medblocks-contract", () => {
  it("under `medblocks-sandbox exec`: no drift, exit 0, a JUnit report with a passing case per operation and status", async () => {
    const junit = join(dir, "sandbox.xml");
    // By its name, as CI calls it: npm puts node_modules/.bin on the PATH of scripts.
    const started = run(["exec", "--", "medblocks-contract", "--junit", junit], {
      env: { PATH: `${join(REPO_DIR, "node_modules", ".bin")}:${process.env.PATH}` },
    });
    processes.push(started);
    const code = await started.exited(60_000);
    expect(code, started.output()).toBe(0);
    expect(started.output()).toMatch(/responses from 22 of 22 operations in [\d.]+ s: 0 drift, 0 warnings\. The server matches the spec\./);
    const [suite, ...others] = readJUnit(readFileSync(junit, "utf8"));
    expect(others).toEqual([]);
    expect([suite!.failures, suite!.errors, suite!.skipped]).toEqual([0, 0, 0]);
    expect(new Set(suite!.cases.map((testcase) => testcase.classname))).toEqual(new Set(operationIds));
    expect(
      suite!.cases.find((testcase) => testcase.classname === "api.getPatient" && testcase.name === "GET /patients/{id} → 404"),
    ).toBeDefined();
  }, 90_000);

  it("against a drifting server: each drift once, in the summary and as a JUnit failure; exit 1", async () => {
    const sb = createSandbox();
    const server = await served(
      drifting(
        sandboxHandler(sb),
        SIX_DRIFTS.map(({ drift }) => drift),
      ),
    );
    const junit = join(dir, "drift.xml");
    const { code, output } = await contract(["--base-url", server.url, "--junit", junit], { MEDBLOCKS_API_KEY: sb.apiKey });
    expect(code, output).toBe(1);
    for (const { finding } of SIX_DRIFTS) expect(output.split(finding).length - 1, finding).toBe(1);
    expect(output).toMatch(/: 6 drift, 0 warnings\. The server drifted from the spec\.\n$/);
    const xml = readFileSync(junit, "utf8");
    const [suite] = readJUnit(xml);
    const failures = suite!.cases.filter((testcase) => testcase.failure);
    expect(failures.map((testcase) => testcase.failure!.message)).toEqual(SIX_DRIFTS.map(({ finding }) => finding));
    expect(failures.map((testcase) => testcase.failure!.text)).toEqual(SIX_DRIFTS.map(({ finding }) => finding));
    expect(output + xml).not.toContain(sb.apiKey);
  }, 60_000);

  it("refuses a live key without --read-only (exit 2, nothing sent), and sends GETs only with it", async () => {
    const sb = createSandbox();
    const liveKey = "mb_sk_live_contract_cli_secret";
    // A server that takes the live key: the sandbox, with the key swapped for its own.
    const server = await served((request) => {
      const headers = new Headers(request.headers);
      if (headers.get("authorization") === `Bearer ${liveKey}`) headers.set("authorization", `Bearer ${sb.apiKey}`);
      return sandboxHandler(sb)(new Request(request, { headers }));
    });
    const refused = await contract(["--base-url", server.url], { MEDBLOCKS_API_KEY: liveKey });
    expect(refused.code).toBe(2);
    expect(refused.output).toContain(
      "medblocks-contract: MEDBLOCKS_API_KEY: the API key is a live key (mb_sk_live_…): the check creates and deletes test objects, " +
        "so it runs only with a sandbox key, or with --read-only (GET requests only)",
    );
    expect(server.requests).toEqual([]);

    const readOnly = await contract(["--base-url", server.url, "--read-only"], { MEDBLOCKS_API_KEY: liveKey });
    expect(readOnly.code, readOnly.output).toBe(0);
    expect(readOnly.output).toContain("read-only (GET requests only)");
    expect(server.requests.length).toBeGreaterThan(10);
    expect(server.requests.filter((request) => !request.startsWith("GET "))).toEqual([]);
    expect(refused.output + readOnly.output).not.toContain(liveKey);
  }, 60_000);

  it("exits 2 when the server cannot be reached, and says so in the JUnit report too", async () => {
    const baseUrl = `http://127.0.0.1:${await closedPort()}`;
    const junit = join(dir, "unreachable.xml");
    const { code, output } = await contract(["--base-url", baseUrl, "--junit", junit], { MEDBLOCKS_API_KEY: "mb_sk_sbx_contract_cli" });
    expect(code).toBe(2);
    expect(output).toContain(`Could not run to the end: could not reach ${baseUrl}: the connection failed (ECONNREFUSED).`);
    const [suite] = readJUnit(readFileSync(junit, "utf8"));
    expect(suite!.cases.filter((testcase) => testcase.error).map((testcase) => [testcase.name, testcase.error!.type])).toEqual([
      ["GET /health → no answer", "no answer"],
      ["the check ran to the end", "unreachable"],
    ]);
  }, 60_000);

  it("on SIGINT stops, deletes what it created, and exits 2", async () => {
    const sb = createSandbox();
    const before = sb.exportState();
    let started: Run | undefined;
    // Interrupted while it waits for its session, which the sandbox has started (so the patient exists):
    // the answer is held until the command has exited, so it is the signal, not the answer, that comes first.
    const server = await served(async (request) => {
      const response = await sandboxHandler(sb)(request);
      if (started && request.method === "POST" && new URL(request.url).pathname === "/patient-sessions") {
        started.child.kill("SIGINT");
        await started.exited(60_000);
      }
      return response;
    });
    started = run([CONTRACT_BIN, "--base-url", server.url], {
      command: process.execPath,
      env: { MEDBLOCKS_API_KEY: sb.apiKey, MEDBLOCKS_BASE_URL: "" },
    });
    processes.push(started);
    expect(await started.exited(60_000), started.output()).toBe(2);
    expect(started.output()).toContain("medblocks-contract: interrupted: deleting what the check created");
    expect(started.output()).toContain("Could not run to the end: interrupted");
    expect(server.requests.filter((request) => /^DELETE \/patients\/medblocks-contract-[0-9a-f]{8}$/.test(request))).toHaveLength(1);
    expect(leftBehind(sb, before)).toEqual([]);
  }, 90_000);
});
