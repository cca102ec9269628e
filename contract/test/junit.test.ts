/**
 * The JUnit report stays well-formed whatever a finding holds: markup
 * characters are escaped and read back unchanged, characters XML cannot
 * hold at all (control characters, a lone surrogate) become U+FFFD, and the
 * counts agree with the elements.
 */
import { describe, expect, it } from "vitest";
import { toJUnit, type ContractReport } from "../src/index.js";
import { readJUnit } from "./support/junit.js";

const AWKWARD = `a <b> & "c" 'd' \u0001\u001f\uD800 🩺 é`;
const READ_BACK = `a <b> & "c" 'd' \uFFFD\uFFFD\uFFFD 🩺 é`;

const report: ContractReport = {
  tool: { name: "medblocks-contract", version: "0.1.0" },
  baseUrl: "http://127.0.0.1:4100/a&b",
  apiVersion: "2026-04-25",
  readOnly: false,
  sandbox: false,
  startedAt: "2026-04-25T14:30:00.123Z",
  durationMs: 1234,
  responses: 3,
  rows: [
    { operationId: "api.getPatient", operation: "GET /patients/{id}", status: 200, calls: 2, ms: 40, verdict: "drift" },
    { operationId: "api.getPatient", operation: "GET /patients/{id}", status: 404, calls: 1, ms: 5, verdict: "warning" },
    {
      operationId: "api.listPatients",
      operation: "GET /patients",
      status: null,
      calls: 1,
      ms: 10_000,
      verdict: "no answer",
      reason: "no answer within 10000 ms",
    },
    {
      operationId: "api.createPatient",
      operation: "POST /patients",
      status: null,
      calls: 0,
      ms: 0,
      verdict: "not run",
      reason: "--read-only: GET requests only",
    },
  ],
  drift: [
    {
      operationId: "api.getPatient",
      operation: "GET /patients/{id}",
      status: 200,
      statuses: [200],
      where: "/name",
      message: AWKWARD,
      occurrences: 1,
      text: `GET /patients/{id} 200 /name: ${AWKWARD}`,
    },
    {
      operationId: "api.getPatient",
      operation: "GET /patients/{id}",
      status: 200,
      statuses: [200],
      where: "/email",
      message: "must be string or null",
      occurrences: 2,
      text: "GET /patients/{id} 200 /email: must be string or null",
    },
  ],
  warnings: [
    { operationId: "api.getPatient", status: 404, text: "GET /patients/{id} 404: expected 200 (x), got 404" },
    { text: `could not delete ${AWKWARD}` },
  ],
  stopped: { code: "interrupted", message: "interrupted <now>" },
  exitCode: 1,
};

describe("toJUnit", () => {
  it("writes well-formed JUnit XML whose counts match its elements, and whose text reads back", () => {
    const [suite] = readJUnit(toJUnit(report));
    expect(suite!.name).toBe("medblocks-contract http://127.0.0.1:4100/a&b");
    expect([suite!.tests, suite!.failures, suite!.errors, suite!.skipped]).toEqual([5, 1, 2, 1]);
    const [drifted, warned, unanswered, notRun, stopped] = suite!.cases;
    expect(drifted).toMatchObject({ classname: "api.getPatient", name: "GET /patients/{id} → 200", time: 0.04 });
    expect(drifted!.failure).toEqual({
      type: "drift",
      message: "2 drift findings",
      text: `GET /patients/{id} 200 /name: ${READ_BACK}\nGET /patients/{id} 200 /email: must be string or null`,
    });
    expect(warned!.out).toBe("GET /patients/{id} 404: expected 200 (x), got 404");
    expect(unanswered!.error).toEqual({ type: "no answer", message: "no answer within 10000 ms" });
    expect(notRun!.skipped).toEqual({ message: "--read-only: GET requests only" });
    expect(stopped!.error).toEqual({ type: "interrupted", message: "interrupted <now>" });
    expect(suite!.out).toBe(`could not delete ${READ_BACK}`);
  });

  it("escapes quotes in attributes: a lone finding's message, a reason, the stop's message and the base URL read back whole", () => {
    const quoted = `must be "a" or 'b' <c> & d`;
    const [suite] = readJUnit(
      toJUnit({
        ...report,
        baseUrl: `http://127.0.0.1:4100/"x"`,
        rows: [report.rows[0]!, { ...report.rows[2]!, reason: quoted }],
        drift: [{ ...report.drift[1]!, message: quoted, text: `GET /patients/{id} 200 /email: ${quoted}` }],
        warnings: [],
        stopped: { code: "interrupted", message: quoted },
      }),
    );
    expect(suite!.name).toBe(`medblocks-contract http://127.0.0.1:4100/"x"`);
    const [drifted, unanswered, stopped] = suite!.cases;
    expect(drifted!.failure).toMatchObject({ message: `GET /patients/{id} 200 /email: ${quoted}` });
    expect(unanswered!.error).toEqual({ type: "no answer", message: quoted });
    expect(stopped!.error).toEqual({ type: "interrupted", message: quoted });
  });
});
