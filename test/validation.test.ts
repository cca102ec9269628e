/**
 * Input rules come from the spec (generated/schemas.ts) and are enforced
 * before anything is sent: each refusal names the field and the rule, and
 * the fake fetch proves no request left.
 */
import { describe, expect, it } from "vitest";
import { isMedblocksError, type MedblocksError, type PatientSessionInitParams } from "../src/index.js";
import { fakeClient, INIT, json, SESSION } from "./support/fake-fetch.js";

const VALID = INIT;

async function refusal(run: (mb: ReturnType<typeof fakeClient>["mb"]) => Promise<unknown>) {
  const { mb, requests } = fakeClient(() => json(SESSION));
  const error = await run(mb).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(isMedblocksError(error), String(error)).toBe(true);
  expect(requests).toHaveLength(0);
  return error as MedblocksError;
}

describe("mb.patientSession.init input", () => {
  it.each<[string, Record<string, unknown>, string, string, RegExp]>([
    ["missing patient_id", { return_url: VALID.return_url }, "patient_id", "bad_request", /`patient_id` is required/],
    ["missing return_url", { patient_id: "u" }, "return_url", "bad_request", /`return_url` is required/],
    ["an empty patient_id", { ...VALID, patient_id: "" }, "patient_id", "invalid_data", /`patient_id` must not be empty/],
    [
      "a 201-character patient_id",
      { ...VALID, patient_id: "x".repeat(201) },
      "patient_id",
      "invalid_data",
      /`patient_id` must be at most 200 characters \(got 201\)/,
    ],
    ["an unknown field", { ...VALID, patient_dob: "1990-01-01" }, "patient_dob", "bad_request", /`patient_dob` is not a known field/],
    [
      "both connection fields",
      { ...VALID, connection_id: "fhirsrc_a", recommended_connection_ids: ["fhirsrc_b"] },
      "connection_id",
      "invalid_data",
      /`connection_id` cannot be combined with `recommended_connection_ids`/,
    ],
    ["a relative return_url", { ...VALID, return_url: "/connected" }, "return_url", "invalid_data", /absolute http\(s\) URL/],
    ["a non-http return_url", { ...VALID, return_url: "javascript:alert(1)" }, "return_url", "invalid_data", /absolute http\(s\) URL/],
    [
      "a return_url with non-ASCII characters",
      { ...VALID, return_url: "https://app.example.com/…/→" },
      "return_url",
      "invalid_data",
      /`return_url` must be printable ASCII \(`!` to `~`\); percent-encode any other character$/,
    ],
    [
      "a return_url with a control character",
      { ...VALID, return_url: "https://app.example.com/a\u0001b" },
      "return_url",
      "invalid_data",
      /`return_url` must be printable ASCII/,
    ],
    [
      "a return_url with a C1 control",
      { ...VALID, return_url: "https://app.example.com/a\u009bb" },
      "return_url",
      "invalid_data",
      /`return_url` must be printable ASCII/,
    ],
    [
      "a 61-character label",
      { ...VALID, return_button_label: "x".repeat(61) },
      "return_button_label",
      "invalid_data",
      /at most 60 characters \(got 61\)/,
    ],
    ["an empty label", { ...VALID, return_button_label: "" }, "return_button_label", "invalid_data", /must not be empty/],
    ["expires_in 59", { ...VALID, expires_in: 59 }, "expires_in", "invalid_data", /`expires_in` must be between 60 and 86400/],
    ["expires_in 86401", { ...VALID, expires_in: 86401 }, "expires_in", "invalid_data", /between 60 and 86400/],
    ["a fractional expires_in", { ...VALID, expires_in: 600.5 }, "expires_in", "bad_request", /must be an integer/],
    ["a string expires_in", { ...VALID, expires_in: "600" }, "expires_in", "bad_request", /must be an integer/],
    ["a malformed email", { ...VALID, patient_email: "jane" }, "patient_email", "invalid_data", /email address/],
    [
      "an empty recommended id",
      { ...VALID, recommended_connection_ids: [""] },
      "recommended_connection_ids[0]",
      "invalid_data",
      /must not be empty/,
    ],
    ["metadata that is not an object", { ...VALID, metadata: ["a"] }, "metadata", "bad_request", /must be an object/],
  ])("refuses %s", async (_name, params, param, code, message) => {
    const error = await refusal((mb) => mb.patientSession.init(params as PatientSessionInitParams));
    expect(error.param).toBe(param);
    expect(error.code).toBe(code);
    expect(error.type).toBe("invalid_request_error");
    expect(error.statusCode).toBeNull();
    expect(error.message).toMatch(/^mb\.patientSession\.init: /);
    expect(error.message).toMatch(message);
  });

  it("refuses a body that is not an object", async () => {
    const error = await refusal((mb) => mb.patientSession.init(null as unknown as PatientSessionInitParams));
    expect(error.message).toMatch(/the request body must be an object/);
  });

  it("never echoes the value it refused", async () => {
    const error = await refusal((mb) => mb.patientSession.init({ ...VALID, patient_email: "jane.doe.private" }));
    expect(error.message).not.toContain("jane.doe.private");
  });

  it("sends a valid body unchanged, leaving undefined fields out", async () => {
    const { mb, requests } = fakeClient(() => json(SESSION));
    await mb.patientSession.init({ ...VALID, expires_in: 60, return_button_label: "x".repeat(60), patient_name: undefined });
    expect(JSON.parse(requests[0]!.body!)).toEqual({ ...VALID, expires_in: 60, return_button_label: "x".repeat(60) });
  });
});

/** An object nested `depth` levels deep, itself included: `{ a: { a: … { a: 1 } } }`. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { a: 1 };
  for (let level = 1; level < depth; level++) value = { a: value };
  return value;
}

describe("metadata depth (the spec's x-medblocks-max-depth)", () => {
  it.each([21, 5_000])("refuses metadata nested %i levels deep, naming `metadata` and the limit, before sending", async (depth) => {
    const error = await refusal((mb) => mb.patientSession.init({ ...VALID, metadata: nested(depth) }));
    expect(error).toMatchObject({ param: "metadata", code: "invalid_data" });
    expect(error.message).toMatch(/`metadata` must nest objects and arrays at most 20 levels deep/);
    const patient = await refusal((mb) => mb.patients.create({ patient_id: "u", metadata: { list: [nested(depth)] } }));
    expect(patient.param).toBe("metadata");
  });

  it("sends metadata nested 20 levels deep", async () => {
    const { mb, requests } = fakeClient(() => json(SESSION));
    await mb.patientSession.init({ ...VALID, metadata: nested(20) });
    expect(JSON.parse(requests[0]!.body!).metadata).toEqual(nested(20));
  });
});

describe("dates", () => {
  it.each(["2024-02-29", "2000-02-29", "2026-04-25T14:30:00Z", "2026-04-25T14:30:00.123+05:30", "2026-12-31T23:59:59-00:00"])(
    "accepts the real instant %s",
    async (since) => {
      const { mb, requests } = fakeClient(() =>
        json({ resource_type: "list", patient_id: "u", data: [], has_more: false, next_cursor: null, previous_cursor: null }),
      );
      await mb.patients.records("u", { since });
      expect(requests[0]!.url.searchParams.get("since")).toBe(since);
    },
  );

  it.each(["2100-02-29", "1900-02-29", "2026-04-31"])("refuses %s, a day the calendar does not have", async (since) => {
    const error = await refusal((mb) => mb.patients.records("u", { since }));
    expect(error.param).toBe("since");
  });
});

describe("parameters", () => {
  it.each([
    ["an empty session id", (mb: any) => mb.patientSession.retrieve(""), "id", /must not be empty|starting with `ps_`/],
    ["a session id without ps_", (mb: any) => mb.patientSession.retrieve("sess_1"), "id", /starting with `ps_`/],
    ["an empty patient id", (mb: any) => mb.patients.retrieve(""), "id", /must not be empty/],
    ["a 201-character patient id", (mb: any) => mb.patients.delete("x".repeat(201)), "id", /must be at most 200 characters/],
    [
      "a 201-character patient filter",
      (mb: any) => mb.patients.list({ patient_id: "x".repeat(201) }),
      "patient_id",
      /must be at most 200 characters/,
    ],
    ["a dot-dot patient id", (mb: any) => mb.patients.retrieve(".."), "id", /cannot be `.` or `..`/],
    ["a dot patient id", (mb: any) => mb.patients.retrieve("."), "id", /cannot be `.` or `..`/],
    ["limit 101", (mb: any) => mb.connections.list({ limit: 101 }), "limit", /between 1 and 100/],
    ["limit 0", (mb: any) => mb.connections.list({ limit: 0 }), "limit", /between 1 and 100/],
    [
      "an unknown list parameter",
      (mb: any) => mb.connections.list({ search: "x" }),
      "search",
      /not a known parameter \(known: limit, starting_after, q, type\)/,
    ],
    [
      "an unknown status",
      (mb: any) => mb.patients.listPatientSessions("u", { status: "done" }),
      "status",
      /one of "open", "complete", "expired"/,
    ],
    ["a since that is no real day", (mb: any) => mb.patients.records("u", { since: "2026-02-31" }), "since", /real date/],
    [
      "a since at day 31 of February",
      (mb: any) => mb.patients.records("u", { since: "2026-02-31T10:00:00Z" }),
      "since",
      /real ISO 8601 date-time/,
    ],
    ["a since at hour 24", (mb: any) => mb.patients.records("u", { since: "2026-04-25T24:00:00Z" }), "since", /real ISO 8601 date-time/],
    [
      "a since with an offset of 24 hours",
      (mb: any) => mb.patients.records("u", { since: "2026-04-25T10:00:00+24:00" }),
      "since",
      /real ISO 8601/,
    ],
    [
      "a malformed version",
      (mb: any) => mb.connections.retrieve("fhirsrc_a", { version: "2026-4-25" }),
      "version",
      /must be a real date, YYYY-MM-DD/,
    ],
    [
      "a version that is no date",
      (mb: any) => mb.connections.retrieve("fhirsrc_a", { version: "2026-02-30" }),
      "version",
      /must be a real date/,
    ],
  ])("refuses %s", async (_name, run, param, message) => {
    const error = await refusal(run as (mb: unknown) => Promise<unknown>);
    expect(error.param).toBe(param);
    expect(error.message).toMatch(message);
  });
});
