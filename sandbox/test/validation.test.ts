/**
 * Requests are checked against the spec and refused with the service's
 * envelope: the same `code` and `param` the client gives when it refuses the
 * same input before the network (src/validation.ts), so an error reads the
 * same whichever side caught it. Then what only the server can see: keys,
 * `Version`, bodies that are not JSON, unknown routes, CORS.
 */
import { describe, expect, it } from "vitest";
import { isMedblocksError } from "../../src/index.js";
import { validateRequest, type RequestParts } from "../../src/validation.js";
import { API_VERSION, operations, type OperationId } from "../src/spec.js";
import { expectNoViolations, harness, sessionBody } from "./support/harness.js";

const h = harness();
expectNoViolations(h);

const INIT = sessionBody({ recommended_connection_ids: ["fhirsrc_02Zh2bnvRoWQJYgOAkI0Twcc"] });
const WEBHOOK = { url: "https://app.example.com/hooks", events: ["*"] };
const WH = "wh_01J9YT4R6X4VZ6P2K5RH7M3PST";
const manyKeys = Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`k${index}`, index]));

/** Inputs the spec refuses, one broken rule each, by operation. */
const CASES: [name: string, operationId: OperationId, parts: RequestParts][] = [
  ["init without return_url", "api.initPatientSession", { body: { patient_id: "u" } }],
  ["init without patient_id", "api.initPatientSession", { body: { return_url: "https://app.example.com/x" } }],
  ["init with an unknown field", "api.initPatientSession", { body: { ...INIT, patient_dob: "1990-01-01" } }],
  [
    "init with connection_id and recommended_connection_ids",
    "api.initPatientSession",
    { body: { ...INIT, connection_id: "fhirsrc_01J9YR9N3X4VZ6P2K5RH7M3LMP" } },
  ],
  ["init with an empty patient_id", "api.initPatientSession", { body: { ...INIT, patient_id: "" } }],
  ["init with a relative return_url", "api.initPatientSession", { body: { ...INIT, return_url: "/connected" } }],
  ["init with a javascript: return_url", "api.initPatientSession", { body: { ...INIT, return_url: "javascript:alert(1)" } }],
  [
    "init with a return_url holding a non-ASCII character",
    "api.initPatientSession",
    { body: { ...INIT, return_url: "https://app.example.com/…/→" } },
  ],
  [
    "init with a return_url holding a control character",
    "api.initPatientSession",
    { body: { ...INIT, return_url: "https://app.example.com/a\u0001b" } },
  ],
  [
    "init with a return_url holding a C1 control",
    "api.initPatientSession",
    { body: { ...INIT, return_url: "https://app.example.com/a\u0085b" } },
  ],
  ["init with a return_url holding DEL", "api.initPatientSession", { body: { ...INIT, return_url: "https://app.example.com/a\u007fb" } }],
  [
    "init with a return_url on an internationalized host",
    "api.initPatientSession",
    { body: { ...INIT, return_url: "https://bücher.example/back" } },
  ],
  ["init with a 61-character label", "api.initPatientSession", { body: { ...INIT, return_button_label: "x".repeat(61) } }],
  ["init with an empty label", "api.initPatientSession", { body: { ...INIT, return_button_label: "" } }],
  ["init with expires_in 59", "api.initPatientSession", { body: { ...INIT, expires_in: 59 } }],
  ["init with expires_in 86401", "api.initPatientSession", { body: { ...INIT, expires_in: 86_401 } }],
  ["init with a fractional expires_in", "api.initPatientSession", { body: { ...INIT, expires_in: 90.5 } }],
  ["init with expires_in as text", "api.initPatientSession", { body: { ...INIT, expires_in: "600" } }],
  ["init with a malformed email", "api.initPatientSession", { body: { ...INIT, patient_email: "not-an-email" } }],
  ["init with an empty recommended id", "api.initPatientSession", { body: { ...INIT, recommended_connection_ids: ["fhirsrc_a", ""] } }],
  ["init with metadata that is an array", "api.initPatientSession", { body: { ...INIT, metadata: [] } }],
  ["init with a malformed Version", "api.initPatientSession", { body: INIT, header: { Version: "2026-4-25" } }],
  ["create with a 201-character patient_id", "api.createPatient", { body: { patient_id: "x".repeat(201) } }],
  ["init with a 201-character patient_id", "api.initPatientSession", { body: { ...INIT, patient_id: "x".repeat(201) } }],
  ["a patient path id of 201 characters", "api.getPatient", { path: { id: "x".repeat(201) } }],
  ["a patients filter of 201 characters", "api.listPatients", { query: { patient_id: "x".repeat(201) } }],
  ["create with a 201-character name", "api.createPatient", { body: { patient_id: "u", name: "x".repeat(201) } }],
  ["create with a numeric patient_id", "api.createPatient", { body: { patient_id: 42 } }],
  ["replace with a numeric email", "api.updatePatient", { path: { id: "u" }, body: { patient_id: "u", email: 5 } }],
  ["patients with limit 0", "api.listPatients", { query: { limit: 0 } }],
  ["patients with limit 101", "api.listPatients", { query: { limit: 101 } }],
  ["patients with an unknown parameter", "api.listPatients", { query: { page: 2 } }],
  ["sessions with status done", "api.listPatientSessionsForPatient", { path: { id: "u" }, query: { status: "done" } }],
  ["records with count 0", "api.getPatientRecords", { path: { id: "u" }, query: { count: 0 } }],
  ["records with count 101", "api.getPatientRecords", { path: { id: "u" }, query: { count: 101 } }],
  ["records with a short cursor", "api.getPatientRecords", { path: { id: "u" }, query: { starting_after: "short" } }],
  ["records since yesterday", "api.getPatientRecords", { path: { id: "u" }, query: { since: "yesterday" } }],
  ["a session id without ps_", "api.retrievePatientSession", { path: { id: "sess_123" } }],
  ["a disconnect by fhirsrc_ id", "api.disconnectPatientConnection", { path: { id: "u", connection_id: "fhirsrc_1" } }],
  ["a launch context id that is not a UUID", "api.retrieveLaunchContext", { path: { id: "launch-1" } }],
  ["a webhook with no events", "api.createWebhook", { body: { ...WEBHOOK, events: [] } }],
  ["a webhook with six events", "api.createWebhook", { body: { ...WEBHOOK, events: ["*", "*", "*", "*", "*", "*"] } }],
  ["a webhook with an unknown event", "api.createWebhook", { body: { ...WEBHOOK, events: ["patient.created"] } }],
  ["a webhook on ftp", "api.createWebhook", { body: { ...WEBHOOK, url: "ftp://files.example.com/x" } }],
  ["a webhook with a 501-character description", "api.createWebhook", { body: { ...WEBHOOK, description: "x".repeat(501) } }],
  ["a webhook with 51 metadata keys", "api.createWebhook", { body: { ...WEBHOOK, metadata: manyKeys } }],
  ["a webhook PATCH to status paused", "api.updateWebhook", { path: { id: WH }, body: { status: "paused" } }],
  ["a webhook id without wh_", "api.getWebhook", { path: { id: "hook_1" } }],
  ["events with delivered=yes", "api.listWebhookEvents", { path: { id: WH }, query: { delivered: "yes" } }],
  ["a redelivery of an id without evt_", "api.redeliverWebhookEvent", { path: { id: "event_1" } }],
];

function clientError(operationId: OperationId, parts: RequestParts) {
  try {
    validateRequest(operationId as never, "test", parts);
  } catch (error) {
    if (isMedblocksError(error)) return { code: error.code, param: error.param };
    throw error;
  }
  throw new Error(`the client accepts the input of "${operationId}": not a case for this test`);
}

describe("a pattern the spec says in words (x-medblocks-pattern-rule)", () => {
  it("is refused in those words, the same on both sides, never as the bare regex", async () => {
    const parts = { body: { ...INIT, return_url: "https://app.example.com/…/→" } };
    let clientMessage = "";
    try {
      validateRequest("api.initPatientSession", "test", parts);
    } catch (error) {
      clientMessage = (error as Error).message.replace(/^test: /, "");
    }
    expect(clientMessage).toBe("`return_url` must be printable ASCII (`!` to `~`); percent-encode any other character");
    const response = await h.raw("POST", "/patient-sessions", { body: parts.body });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain(clientMessage);
    expect(response.body.error.message).not.toContain("[!-~]");
  });
});

describe("an input the spec refuses gets the code and param the client gives it", () => {
  it.each(CASES)("%s", async (_name, operationId, parts) => {
    const expected = clientError(operationId, parts);
    const { method, path } = operations[operationId];
    const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(parts.path?.[name])));
    const query = Object.fromEntries(Object.entries(parts.query ?? {}).map(([name, value]) => [name, String(value)]));
    const response = await h.raw(method, url, { query, body: parts.body, headers: parts.header as Record<string, string> });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ type: "invalid_request_error", ...expected });
    expect(response.body.error.message).toMatch(expected.param ? `\`${expected.param}\`` : /request body/);
  });

  it("covers every keyword kind: malformed (bad_request) and invalid values (invalid_data)", () => {
    const codes = new Set(CASES.map(([, operationId, parts]) => clientError(operationId, parts).code));
    expect([...codes].sort()).toEqual(["bad_request", "invalid_data"]);
  });
});

describe("API keys", () => {
  it("answers missing_api_key without a key", async () => {
    const response = await h.raw("GET", "/patients", { key: null });
    expect(response.status).toBe(401);
    expect(response.body.error).toMatchObject({ type: "authentication_error", code: "missing_api_key", param: null });
  });

  it("refuses a live key, saying the sandbox takes sandbox keys only, without repeating the key", async () => {
    const live = "mb_sk_live_0123456789abcdef";
    const response = await h.raw("GET", "/patients", { key: live });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("invalid_api_key");
    expect(response.body.error.message).toMatch(/sandbox keys only/);
    expect(JSON.stringify(response.body)).not.toContain(live);
  });

  it.each([
    ["not a key at all", "hunter2"],
    ["a key of another service", "sk_test_123"],
    ["a sandbox prefix with characters no key has", "mb_sk_sbx_inv@lid!"],
  ])("answers invalid_api_key for %s", async (_name, key) => {
    const response = await h.raw("GET", "/patients", { key });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("invalid_api_key");
    expect(JSON.stringify(response.body)).not.toContain(key);
  });

  it("answers invalid_api_key for an Authorization header that is not Bearer", async () => {
    const response = await h.raw("GET", "/patients", { key: null, headers: { authorization: `Basic ${h.sb.apiKey}` } });
    expect(response.body.error.code).toBe("invalid_api_key");
  });

  it("answers /health without a key", async () => {
    const response = await h.raw("GET", "/health", { key: null });
    expect(response.status).toBe(200);
    expect(response.body.ok).toBe(true);
  });
});

describe("the Version header", () => {
  it("accepts the spec's version and no header at all", async () => {
    expect((await h.raw("GET", "/patients", { headers: { Version: API_VERSION } })).status).toBe(200);
    expect((await h.raw("GET", "/patients")).status).toBe(200);
  });

  it("answers unsupported_api_version for a well-formed date it does not speak", async () => {
    const response = await h.raw("GET", "/patients", { headers: { Version: "2025-01-01" } });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: "unsupported_api_version", param: "Version" });
  });

  it("names the known fields when one is not, and the whole rule an id breaks", async () => {
    const unknown = await h.raw("POST", "/patient-sessions", { body: { ...INIT, patient_dob: "1990-01-01" } });
    expect(unknown.body.error.message).toMatch(/`patient_dob` is not a known field \(known: patient_id, patient_email, patient_name, /);
    const id = await h.raw("GET", "/webhooks/wh_abc.def");
    expect(id.body.error).toMatchObject({ param: "id", message: expect.stringContaining("must be a `wh_` id (^wh_[A-Za-z0-9_-]+$)") });
  });

  it("answers invalid_data for a Version that is not a date", async () => {
    const response = await h.raw("GET", "/patients", { headers: { Version: "latest" } });
    expect(response.body.error).toMatchObject({ code: "invalid_data", param: "Version" });
  });
});

describe("what only the server sees", () => {
  it("refuses a body that is not JSON, and a missing required body", async () => {
    const broken = await h.raw("POST", "/patients", { text: "{" });
    expect(broken.body.error).toMatchObject({ code: "bad_request", param: null });
    const missing = await h.raw("POST", "/patients");
    expect(missing.body.error).toMatchObject({ code: "bad_request", param: null });
    expect(missing.body.error.message).toMatch(/body is required/);
  });

  it("refuses a query parameter given twice", async () => {
    const response = await h.raw("GET", "/patients?limit=1&limit=2");
    expect(response.body.error).toMatchObject({ code: "bad_request", param: "limit" });
  });

  it("answers 413 payload_too_large past 1 MB", async () => {
    const response = await h.raw("POST", "/patients", {
      body: { patient_id: "big", name: "x", metadata: { blob: "x".repeat(1_100_000) } },
    });
    expect(response.status).toBe(413);
    expect(response.body.error).toMatchObject({ type: "invalid_request_error", code: "payload_too_large" });
  });

  it("answers 404 in the envelope for a route no operation has, without echoing the path", async () => {
    for (const [method, path] of [
      ["GET", "/patients/user_secret_7/nothing"],
      ["PUT", "/patient-sessions"],
      ["GET", "/"],
    ] as const) {
      const response = await h.raw(method, path);
      expect(response.status).toBe(404);
      expect(response.body.error).toMatchObject({ type: "not_found_error", code: "resource_not_found" });
      expect(JSON.stringify(response.body)).not.toContain("user_secret_7");
    }
  });

  it("sends no CORS headers, even to a preflight", async () => {
    const response = await h.fetch(`${h.sb.baseUrl}/patients`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(response.status).toBe(404);
    expect([...response.headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([]);
  });
});
