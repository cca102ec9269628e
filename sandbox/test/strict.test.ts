/**
 * The response check that the tests run on every answer and `--strict` runs
 * at run time: it must refuse what the spec does not allow, or the tests
 * that rely on it prove nothing.
 */
import { describe, expect, it } from "vitest";
import { createCore, type Core } from "../src/core.js";
import { respond } from "../src/http/pipeline.js";
import { Store } from "../src/state/store.js";
import { responseViolations } from "../src/validation/responses.js";

const PATIENT = { id: "p1", resource_type: "patient", email: null, name: null, metadata: {}, created_at: "2026-04-25T14:30:00.000Z" };
const JSON_TYPE = { "content-type": "application/json" };
const ENVELOPE = {
  error: {
    type: "rate_limit_error",
    code: "throttled",
    message: "Slow down.",
    param: null,
    doc_url: "https://medblocks.com/docs/reference/errors",
    request_id: "r1",
  },
};

describe("responseViolations", () => {
  it("accepts what the spec allows", () => {
    expect(responseViolations("api.createPatient", 200, new Headers({ ...JSON_TYPE, "x-request-id": "r1" }), PATIENT)).toEqual([]);
    expect(
      responseViolations("api.listPatients", 429, new Headers({ ...JSON_TYPE, "x-request-id": "r1", "retry-after": "3" }), ENVELOPE),
    ).toEqual([]);
  });

  it.each([
    ["a missing property", "api.createPatient", 200, { "x-request-id": "r1" }, { ...PATIENT, email: undefined }, /email/],
    ["a wrong const", "api.createPatient", 200, { "x-request-id": "r1" }, { ...PATIENT, resource_type: "person" }, /resource_type/],
    ["a status the operation does not declare", "api.getPatient", 502, { "x-request-id": "r1" }, ENVELOPE, /declares no 502/],
    ["a 429 without Retry-After", "api.listPatients", 429, { "x-request-id": "r1" }, ENVELOPE, /Retry-After/],
    ["a Retry-After of 0", "api.listPatients", 429, { "x-request-id": "r1", "retry-after": "0" }, ENVELOPE, /Retry-After/],
    [
      "an error code outside the catalog",
      "api.listPatients",
      400,
      { "x-request-id": "r1" },
      { error: { ...ENVELOPE.error, code: "oops" } },
      /code/,
    ],
    ["a missing X-Request-Id (every response declares it)", "api.createPatient", 200, {}, PATIENT, /header X-Request-Id is required/],
    [
      "a body sent as another media type",
      "api.createPatient",
      200,
      { "x-request-id": "r1", "content-type": "text/plain" },
      PATIENT,
      /Content-Type must be application\/json/,
    ],
    [
      "an error type other than its status's",
      "api.listPatients",
      429,
      { "x-request-id": "r1", "retry-after": "3" },
      { error: { ...ENVELOPE.error, type: "api_error" } },
      /error\/type must be "rate_limit_error"/,
    ],
    [
      "a request id other than the header's",
      "api.listPatients",
      429,
      { "x-request-id": "r2", "retry-after": "3" },
      ENVELOPE,
      /request_id must equal/,
    ],
  ])("refuses %s", (_name, operationId, status, headers, body, problem) => {
    const problems = responseViolations(
      operationId as never,
      status,
      new Headers({ ...JSON_TYPE, ...headers }),
      JSON.parse(JSON.stringify(body)),
    );
    expect(problems.join("\n")).toMatch(problem);
  });
});

describe("strict mode", () => {
  const core = (strict: boolean, reports: string[]): Core =>
    createCore({ store: new Store(), time: Date.now, baseUrl: "http://sandbox.localhost", strict, report: (line) => reports.push(line) });
  const request = () => new Request("http://sandbox.localhost/patients/p1");

  it("answers 500 internal_error instead of a response that breaks the spec, and reports why", async () => {
    const reports: string[] = [];
    const response = await respond(core(true, reports), request(), "/patients/{id}", "api.getPatient", () => ({ id: "p1" }));
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("internal_error");
    expect(reports.join("\n")).toMatch(/api.getPatient breaks the spec: body must have required property/);
  });

  it("lets the same answer through when off, and a valid one through when on", async () => {
    const reports: string[] = [];
    expect((await respond(core(false, reports), request(), "/patients/{id}", "api.getPatient", () => ({ id: "p1" }))).status).toBe(200);
    const valid = await respond(core(true, reports), request(), "/patients/{id}", "api.getPatient", () => ({
      ...PATIENT,
      connections: [],
    }));
    expect(valid.status).toBe(200);
    expect(reports).toEqual([]);
  });
});
