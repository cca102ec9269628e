/**
 * The check against the in-process sandbox, which answers as the spec
 * says: no drift and no warning, every operation called, and the
 * workspace left as it was found — also when a step gets no answer, when
 * the run is interrupted, and with a warning when a delete fails. A
 * read-only run sends GETs only; a refused key or an unreachable server
 * stops the run with exit code 2; bad options are refused before anything
 * is sent.
 */
import { describe, expect, it } from "vitest";
import { createSandbox, type Sandbox } from "../../sandbox/src/index.js";
import { closedPort } from "../../test/support/closed-port.js";
import { ContractOptionError, runContract, type ContractOptions } from "../src/index.js";
import { operationIds, operations } from "../src/spec.js";
import { leftBehind } from "./support/sandbox.js";

/** The sandbox's fetch, with the method and path of every request it got. */
function recording(sb: Sandbox, before?: (input: string, init: RequestInit) => void) {
  const requests: string[] = [];
  const fetch = async (input: string, init: RequestInit) => {
    requests.push(`${init.method} ${new URL(input).pathname}`);
    before?.(input, init);
    return sb.fetch(input, init);
  };
  return { requests, fetch };
}

const options = (sb: Sandbox, extra: Partial<ContractOptions> = {}): ContractOptions => ({
  baseUrl: sb.baseUrl,
  apiKey: sb.apiKey,
  fetch: sb.fetch,
  ...extra,
});

describe("against the sandbox", () => {
  it("finds no drift and nothing to warn about, calls every operation, and leaves the workspace as it was", async () => {
    const sb = createSandbox({ seed: "contract" });
    const before = sb.exportState();
    const report = await runContract(options(sb));
    expect(report.drift).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.exitCode).toBe(0);
    expect(report.sandbox).toBe(true);
    expect(report.rows.filter((row) => row.verdict !== "ok")).toEqual([]);
    // Every operation answered; all but one with success (no EHR launched the app: that one answers 404 to an unknown id).
    const succeeded = new Set(report.rows.filter((row) => row.status === 200).map((row) => row.operationId));
    expect(operationIds.filter((id) => !succeeded.has(id))).toEqual(["api.retrieveLaunchContext"]);
    const statuses = new Set(report.rows.map((row) => row.status));
    expect([...statuses].sort()).toEqual([200, 400, 401, 404]);
    expect(leftBehind(sb, before)).toEqual([]);
  });

  it("deletes what it created when a step gets no answer, and says the check is incomplete", async () => {
    const sb = createSandbox();
    const before = sb.exportState();
    sb.injectFault({ operation: "api.updateWebhook", drop: true });
    sb.injectFault({ operation: "api.retrievePatientSession", drop: true, times: 2 });
    const report = await runContract(options(sb));
    expect(report.drift).toEqual([]);
    expect(report.rows.filter((row) => row.verdict === "no answer").map((row) => [row.operation, row.reason])).toEqual([
      ["GET /patient-sessions/{id}", "the connection failed (ECONNRESET)"],
      ["PATCH /webhooks/{id}", "the connection failed (ECONNRESET)"],
    ]);
    expect(report.exitCode).toBe(2);
    expect(leftBehind(sb, before)).toEqual([]);
  });

  it("gives up on a request after the timeout, and goes on", async () => {
    const sb = createSandbox();
    const before = sb.exportState();
    // The sandbox holds its answer longer than the check waits: the check's timer always fires first.
    sb.injectFault({ operation: "api.getFhirSource", delayMs: 5_000 });
    const report = await runContract(options(sb, { timeoutMs: 100 }));
    expect(report.rows.filter((row) => row.verdict === "no answer").map((row) => [row.operation, row.reason])).toEqual([
      ["GET /connections/{id}", "no answer within 100 ms"],
    ]);
    const calls = (operationId: string) => report.rows.find((row) => row.operationId === operationId && row.status === 200)?.calls;
    expect(calls("api.deleteWebhook")).toBe(calls("api.createWebhook"));
    expect(report.exitCode).toBe(2);
    expect(leftBehind(sb, before)).toEqual([]);
  });

  it("stops when interrupted, still deletes what it created, and reports the operations it did not reach", async () => {
    const sb = createSandbox();
    const before = sb.exportState();
    const controller = new AbortController();
    const { fetch } = recording(sb, (input, init) => {
      if (init.method === "POST" && new URL(input).pathname === "/patient-sessions") controller.abort();
    });
    const report = await runContract(options(sb, { fetch, signal: controller.signal }));
    expect(report.stopped?.code).toBe("interrupted");
    expect(report.exitCode).toBe(2);
    const rowsOf = (operationId: string) =>
      report.rows.filter((row) => row.operationId === operationId).map((row) => [row.status, row.verdict, row.reason]);
    expect(rowsOf("api.initPatientSession")).toEqual([[null, "no answer", "stopped before the answer came"]]);
    // Nothing after the interruption: the link was never removed, the patient deleted once, by the clean-up.
    expect(rowsOf("api.disconnectPatientConnection")).toEqual([[404, "ok", undefined]]);
    expect(rowsOf("api.deletePatient")).toEqual([
      [200, "ok", undefined],
      [404, "ok", undefined],
    ]);
    expect(leftBehind(sb, before)).toEqual([]);
  });

  it("warns, naming the object, when what it created cannot be deleted", async () => {
    const sb = createSandbox();
    sb.injectFault({ operation: "api.deleteWebhook", status: 500, times: 5 });
    const report = await runContract(options(sb));
    expect(report.drift).toEqual([]);
    const [endpoint] = sb.exportState().workspace.webhooks as { id: string }[];
    expect(endpoint).toBeDefined();
    expect(report.warnings.map((warning) => warning.text)).toContain(
      `could not delete the webhook endpoint ${endpoint!.id} that the check created: delete it by hand`,
    );
  });

  it("read-only: sends GET requests only, and reports the rest as not run", async () => {
    const sb = createSandbox();
    const { requests, fetch } = recording(sb);
    const report = await runContract(options(sb, { fetch, readOnly: true }));
    expect(report.exitCode).toBe(0);
    expect(report.drift).toEqual([]);
    expect(requests.length).toBeGreaterThan(10);
    expect(requests.filter((request) => !request.startsWith("GET "))).toEqual([]);
    const notRun = report.rows.filter((row) => row.verdict === "not run");
    expect(notRun.map((row) => row.operationId)).toEqual(operationIds.filter((id) => operations[id].method !== "GET"));
    expect(new Set(notRun.map((row) => row.reason))).toEqual(new Set(["--read-only: GET requests only"]));
  });

  it("stops with exit code 2 when the server refuses the key", async () => {
    const sb = createSandbox();
    const { requests, fetch } = recording(sb);
    const report = await runContract(options(sb, { fetch, apiKey: "mb_sk_sbx_not.a.key" }));
    expect(report.stopped?.code).toBe("key_refused");
    expect(report.exitCode).toBe(2);
    expect(requests).toEqual(["GET /health", "GET /connections"]);
  });

  it("stops with exit code 2 when the server cannot be reached", async () => {
    const report = await runContract({ baseUrl: `http://127.0.0.1:${await closedPort()}`, apiKey: "mb_sk_sbx_contract", timeoutMs: 5_000 });
    expect(report.stopped).toEqual({
      code: "unreachable",
      message: expect.stringMatching(/^could not reach http:\/\/127\.0\.0\.1:\d+: the connection failed \(ECONNREFUSED\)$/),
    });
    expect(report.exitCode).toBe(2);
    expect(report.responses).toBe(0);
  });
});

describe("options", () => {
  const refused = async (extra: Partial<ContractOptions>) => {
    const sb = createSandbox();
    const { requests, fetch } = recording(sb);
    const error = await runContract(options(sb, { fetch, ...extra })).then(
      () => expect.unreachable("the run started"),
      (error: unknown) => error,
    );
    expect(requests).toEqual([]);
    expect(error).toBeInstanceOf(ContractOptionError);
    return error as ContractOptionError;
  };

  it("refuses a live key, and any key but a sandbox key, unless read-only; never repeating the key", async () => {
    const live = await refused({ apiKey: "mb_sk_live_secret123" });
    expect([live.option, live.message]).toEqual([
      "apiKey",
      "the API key is a live key (mb_sk_live_…): the check creates and deletes test objects, so it runs only with a sandbox key, or " +
        "with --read-only (GET requests only)",
    ]);
    const other = await refused({ apiKey: "sk_other_secret123" });
    expect(other.message).toMatch(/^the API key is not a sandbox key \(mb_sk_sbx_…\)/);
    expect(`${live.message} ${other.message}`).not.toMatch(/secret123/);
    expect((await refused({ apiKey: "" })).message).toBe("no API key: set MEDBLOCKS_API_KEY to a sandbox key (mb_sk_sbx_…)");
  });

  it("refuses a base URL that is not an absolute http(s) URL, or holds credentials", async () => {
    for (const baseUrl of ["ftp://example.com", "example.com", "https://example.com/?q=1", "https://user:pass@example.com"]) {
      expect((await refused({ baseUrl })).option).toBe("baseUrl");
    }
  });

  it("refuses a timeout or page limit out of range", async () => {
    expect((await refused({ timeoutMs: 0 })).option).toBe("timeoutMs");
    expect((await refused({ timeoutMs: 1.5 })).option).toBe("timeoutMs");
    expect((await refused({ maxPages: 1001 })).option).toBe("maxPages");
  });
});
