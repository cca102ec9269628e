/**
 * The check against servers that drift from the spec on purpose (the
 * sandbox with chosen answers changed): each drift is found, reported once
 * by operation and JSON pointer, and nothing else is flagged.
 */
import { describe, expect, it } from "vitest";
import { createSandbox } from "../../sandbox/src/index.js";
import { formatSummary, runContract, toJUnit } from "../src/index.js";
import { drifting, rename, sandboxHandler, SIX_DRIFTS } from "./support/drifting.js";

const inProcess = (handler: ReturnType<typeof drifting>) => (input: string, init: RequestInit) => handler(new Request(input, init));

describe("a drifting server", () => {
  it("has each of six drifts reported once, by operation and JSON pointer, and nothing else", async () => {
    const sb = createSandbox();
    const fetch = inProcess(
      drifting(
        sandboxHandler(sb),
        SIX_DRIFTS.map(({ drift }) => drift),
      ),
    );
    const report = await runContract({ baseUrl: sb.baseUrl, apiKey: sb.apiKey, fetch });
    expect(report.drift.map((finding) => finding.text)).toEqual(SIX_DRIFTS.map(({ finding }) => finding));
    expect(report.warnings).toEqual([]);
    expect(report.exitCode).toBe(1);
    expect(report.rows.filter((row) => row.verdict === "drift").map((row) => `${row.operation} ${row.status}`)).toEqual([
      "POST /patient-sessions 200",
      "POST /patients 201",
      "GET /patients/{id} 200",
      "PUT /patients/{id} 200",
      "GET /connections 200",
      "GET /connections/{id} 200",
    ]);
  });

  it(
    "reports an envelope whose type or request id breaks its promise, " + "a 429 without Retry-After, and a body that is not JSON",
    async () => {
      const sb = createSandbox();
      sb.injectFault({ operation: "api.getFhirSource", status: 429 });
      const fetch = inProcess(
        drifting(sandboxHandler(sb), [
          { operationId: "api.retrieveLaunchContext", status: 404, change: (answer) => void (answer.body.error.type = "api_error") },
          { operationId: "api.getWebhook", status: 404, change: (answer) => void (answer.body.error.request_id = "another-request") },
          { operationId: "api.getFhirSource", status: 429, change: (answer) => answer.headers.delete("retry-after") },
          {
            operationId: "api.health",
            status: 200,
            change: (answer) => {
              answer.raw = "<html><body>Service up</body></html>";
              answer.headers.set("content-type", "text/html");
            },
          },
        ]),
      );
      const report = await runContract({ baseUrl: sb.baseUrl, apiKey: sb.apiKey, fetch });
      expect(report.drift.map((finding) => [finding.text, finding.occurrences])).toEqual([
        ["GET /health 200 (body): is not JSON (Content-Type: text/html); the spec documents a JSON body", 1],
        ["GET /connections/{id} 429 header Retry-After: is missing: the spec declares it on this response", 1],
        ['GET /launch-contexts/{id} 404 /error/type: must be "not_found_error" for status 404', 1],
        // Twice asked for an endpoint that is not there (an unknown id, the deleted one): reported once.
        ["GET /webhooks/{id} 404 /error/request_id: must equal the X-Request-Id header", 2],
      ]);
      // The 429 also kept the check from reading one EHR: a valid answer, not the one asked for.
      expect(report.warnings.map((warning) => warning.text)).toEqual([
        "GET /connections/{id} 429: expected 200 (an EHR from the catalog), got 429",
      ]);
      expect(report.exitCode).toBe(1);
    },
  );

  it("reports a header missing from every answer of an operation once, with the statuses it was seen at", async () => {
    const sb = createSandbox();
    const fetch = inProcess(
      drifting(
        sandboxHandler(sb),
        [200, 400, 401].map((status) => ({
          operationId: "api.listPatients",
          status,
          change: (answer) => answer.headers.delete("x-request-id"),
        })),
      ),
    );
    const report = await runContract({ baseUrl: sb.baseUrl, apiKey: sb.apiKey, fetch });
    expect(report.drift.map(({ text, statuses }) => [text, statuses])).toEqual([
      ["GET /patients 200 header X-Request-Id: is missing: the spec declares it on this response", [200, 400, 401]],
    ]);
    expect(report.rows.filter((row) => row.verdict === "drift").map((row) => `${row.operation} ${row.status}`)).toEqual([
      "GET /patients 200",
      "GET /patients 400",
      "GET /patients 401",
    ]);
    expect(formatSummary(report)).toContain(
      `  GET /patients 200 header X-Request-Id: is missing: the spec declares it on this response (at 200, 400, 401; ` +
        `seen ${report.drift[0]!.occurrences} times)\n`,
    );
  });

  it("never repeats a value from the body in a finding: only the spec's words", async () => {
    const sb = createSandbox();
    const secret = "patient-secret-value";
    const fetch = inProcess(
      drifting(sandboxHandler(sb), [
        { operationId: "api.getPatient", status: 200, change: (answer) => void (answer.body.email = { address: secret }) },
        { operationId: "api.listPatients", status: 200, change: (answer) => void (answer.body.next_cursor = 42) },
      ]),
    );
    const report = await runContract({ baseUrl: sb.baseUrl, apiKey: sb.apiKey, fetch });
    expect(report.drift.map((finding) => finding.text)).toEqual([
      "GET /patients 200 /next_cursor: must be string or null",
      "GET /patients/{id} 200 /email: must be string or null",
    ]);
    expect(JSON.stringify(report)).not.toContain(secret);
  });

  it("prints a server's control characters escaped, in the summary and the JUnit file", async () => {
    const sb = createSandbox();
    // 8-bit CSI and OSC, BEL and DEL, as a hostile server's Content-Type can carry them (a header holds bytes, read as latin1).
    const contentType = "text/plain; x=\u009b31m\u009d0;owned\u0007\u007f";
    const fetch = inProcess(
      drifting(sandboxHandler(sb), [
        { operationId: "api.health", status: 200, change: (answer) => answer.headers.set("content-type", contentType) },
      ]),
    );
    const report = await runContract({ baseUrl: sb.baseUrl, apiKey: sb.apiKey, fetch });
    const summary = formatSummary(report);
    const junit = toJUnit(report);
    expect(summary).toContain("must be application/json (got text/plain; x=\\x9b31m\\x9d0;owned\\x07\\x7f)");
    for (const [name, text] of [
      ["summary", summary],
      ["JUnit", junit],
    ]) {
      expect(text, name).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
    }
  });

  it("reports a wrong type on an enum once, names a renamed field inside allOf, and refuses problem+json", async () => {
    const sb = createSandbox();
    const fetch = inProcess(
      drifting(sandboxHandler(sb), [
        { operationId: "api.getWebhook", status: 200, change: (answer) => void (answer.body.status = null) },
        { operationId: "api.getPatient", status: 200, change: rename("name", "display_name") },
        {
          operationId: "api.retrieveLaunchContext",
          status: 404,
          change: (answer) => answer.headers.set("content-type", "application/problem+json"),
        },
      ]),
    );
    const report = await runContract({ baseUrl: sb.baseUrl, apiKey: sb.apiKey, fetch });
    expect(report.drift.map((finding) => finding.text)).toEqual([
      "GET /patients/{id} 200 /name: is required but missing; the object has undocumented field display_name",
      "GET /launch-contexts/{id} 404 header Content-Type: must be application/json (got application/problem+json)",
      "GET /webhooks/{id} 200 /status: must be string",
    ]);
    expect(report.warnings).toEqual([]);
  });

  it("says what it could not delete when a create answers without an id, and survives an id that cannot go in a path", async () => {
    for (const id of [undefined, "wh_\ud800"]) {
      const sb = createSandbox();
      const fetch = inProcess(
        drifting(sandboxHandler(sb), [{ operationId: "api.createWebhook", status: 200, change: (answer) => void (answer.body.id = id) }]),
      );
      const report = await runContract({ baseUrl: sb.baseUrl, apiKey: sb.apiKey, fetch });
      expect(report.drift.map((finding) => finding.text)).toEqual([
        id === undefined
          ? "POST /webhooks 200 /id: is required but missing"
          : 'POST /webhooks 200 /id: must match pattern "^wh_[A-Za-z0-9_-]+$"',
      ]);
      expect(report.exitCode).toBe(1);
      // What the check could not delete is named, never left in silence.
      expect(report.warnings.map((warning) => warning.text).join("\n")).toMatch(/delete it by hand/);
    }
  });
});
