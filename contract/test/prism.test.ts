/**
 * The check against the Prism mock of the spec, which answers every request
 * with the spec's own examples and keeps no state: its answers are by
 * definition what the spec allows, so there is no drift. What Prism cannot
 * do (refuse a key it does not know, find an id missing, end a list) shows
 * as warnings, never as drift.
 */
import { describe, expect, it } from "vitest";
import { mockUrl } from "../../contract-tests/support/mock.js";
import { runContract } from "../src/index.js";

describe("against the Prism mock", () => {
  it("finds no drift, calls every operation, and warns only where a stateless mock cannot answer as asked", async () => {
    const report = await runContract({ baseUrl: mockUrl(), apiKey: "mb_sk_sbx_contract_prism" });
    expect(report.drift).toEqual([]);
    expect(report.exitCode).toBe(0);
    expect(report.sandbox).toBe(false);
    expect(report.rows.filter((row) => row.verdict === "not run" || row.verdict === "no answer")).toEqual([]);
    const stateless = [
      /: expected \d{3} \(.+\), got 200$/,
      /: expected code [a-z_]+ \(no API key\), got invalid_api_key$/,
      /: next_cursor repeated one seen before .+$/,
    ];
    expect(report.warnings.map((warning) => warning.text).filter((text) => !stateless.some((pattern) => pattern.test(text)))).toEqual([]);
    // The errors Prism does answer (it validates requests) are the spec's examples, judged valid.
    expect(report.rows.filter((row) => row.status !== 200).map((row) => `${row.operation} ${row.status} ${row.verdict}`)).toEqual([
      "POST /patient-sessions 400 ok",
      "GET /patients 400 ok",
      "GET /patients 401 warning",
      "GET /connections 400 ok",
      "GET /webhooks 400 ok",
    ]);
  });
});
