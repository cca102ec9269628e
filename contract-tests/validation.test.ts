/**
 * Prism checks every request against the spec: valid requests draw no
 * `sl-violations` header, and requests that break the contract are flagged.
 * Assertions are on the violations, not on the 400 body (which is just the
 * spec's first 400 example).
 */
import { describe, it } from "vitest";
import { expectAccepted, expectFlagged, type MockRequest } from "./support/mock.js";
import { API_VERSION as VERSION } from "../generated/schemas.js";
import { recordedRequest } from "./support/requests.js";

const init = await recordedRequest("api.initPatientSession");
const initBody = init.body as Record<string, unknown>;
const listSessions = await recordedRequest("api.listPatientSessionsForPatient");

function withBody(body: Record<string, unknown>): MockRequest {
  return { ...init, body };
}

function without(key: string): Record<string, unknown> {
  const { [key]: _removed, ...rest } = initBody;
  return rest;
}

describe("requests that follow the contract", () => {
  it.each([
    ["hosted mode with every optional field", withBody(initBody)],
    ["the two required fields only", withBody({ patient_id: "u", return_url: "https://app.example.com/back?tab=1" })],
    ["direct mode", withBody({ ...without("recommended_connection_ids"), connection_id: "fhirsrc_01J9YR9N3X4VZ6P2K5RH7M3LMP" })],
    ["the bounds of return_button_label and expires_in", withBody({ ...initBody, return_button_label: "x".repeat(60), expires_in: 86400 })],
    ["lower bounds", withBody({ ...initBody, return_button_label: "x", expires_in: 60 })],
    ["no Version header", { ...init, headers: {} }],
    ["limit=1", { ...listSessions, query: { limit: "1" } }],
  ])("%s draws no violation", async (_name, request) => {
    await expectAccepted(request);
  });
});

describe("requests that break the contract are flagged", () => {
  const cases: [string, MockRequest, string][] = [
    ["missing return_url", withBody(without("return_url")), "required"],
    ["missing patient_id", withBody(without("patient_id")), "required"],
    ["an unknown field", withBody({ ...initBody, patient_dob: "1990-01-01" }), "additionalProperties"],
    [
      "both connection_id and recommended_connection_ids",
      withBody({ ...initBody, connection_id: "fhirsrc_01J9YR9N3X4VZ6P2K5RH7M3LMP" }),
      "oneOf",
    ],
    ["an empty patient_id", withBody({ ...initBody, patient_id: "" }), "minLength"],
    ["a relative return_url", withBody({ ...initBody, return_url: "/connected" }), "format"],
    ["a 61-character return_button_label", withBody({ ...initBody, return_button_label: "x".repeat(61) }), "maxLength"],
    ["an empty return_button_label", withBody({ ...initBody, return_button_label: "" }), "minLength"],
    ["expires_in below 60", withBody({ ...initBody, expires_in: 59 }), "minimum"],
    ["expires_in above 86400", withBody({ ...initBody, expires_in: 86401 }), "maximum"],
    ["a non-integer expires_in", withBody({ ...initBody, expires_in: 90.5 }), "type"],
    ["a malformed patient_email", withBody({ ...initBody, patient_email: "not-an-email" }), "format"],
    ["limit=101", { ...listSessions, query: { limit: "101" } }, "maximum"],
    ["limit=0", { ...listSessions, query: { limit: "0" } }, "minimum"],
    ["an unknown session status filter", { ...listSessions, query: { status: "done" } }, "enum"],
    ["a malformed Version header", { ...init, headers: { Version: "2026-4-25" } }, "pattern"],
    [
      "a session id without the ps_ prefix",
      { method: "GET", path: "/patient-sessions/sess_123", headers: { Version: VERSION } },
      "pattern",
    ],
  ];

  it.each(cases)("%s", async (_name, request, code) => {
    await expectFlagged(request, code);
  });

  it("no bearer token", async () => {
    await expectFlagged({ ...init, auth: false }, 401);
  });
});
