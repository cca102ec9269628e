/**
 * Prism's request validation for the patient, records, launch-context,
 * webhook and event operations: valid requests draw no `sl-violations`
 * header, and requests that break the contract are flagged. Assertions are on
 * the violations, not on the 400 body (which is just the spec's first 400
 * example).
 */
import { describe, it } from "vitest";
import { expectAccepted, expectFlagged, type MockRequest } from "./support/mock.js";
import { API_VERSION as VERSION } from "../generated/schemas.js";
import { recordedRequest } from "./support/requests.js";

const createPatient = await recordedRequest("api.createPatient");
const updatePatient = await recordedRequest("api.updatePatient");
const records = await recordedRequest("api.getPatientRecords");
const launchContext = await recordedRequest("api.retrieveLaunchContext");
const createWebhook = await recordedRequest("api.createWebhook");
const updateWebhook = await recordedRequest("api.updateWebhook");
const listWebhooks = await recordedRequest("api.listWebhooks");
const listEvents = await recordedRequest("api.listWebhookEvents");
const disconnect = await recordedRequest("api.disconnectPatientConnection");
const webhookBody = createWebhook.body as Record<string, unknown>;

function withBody(request: MockRequest, body: unknown): MockRequest {
  const { body: _previous, ...rest } = request;
  return body === undefined ? rest : { ...rest, body };
}

function withQuery(request: MockRequest, query: Record<string, string>): MockRequest {
  return { ...request, query };
}

const EVENT_TYPES = ["patient_session.completed", "connection.token_refresh_failed", "records.sync.completed", "records.sync.failed"];

describe("requests that follow the contract", () => {
  it.each([
    ["a patient created with only patient_id", withBody(createPatient, { patient_id: "user_43" })],
    ["a 200-character patient_id", withBody(createPatient, { patient_id: "x".repeat(200) })],
    ["a replace that clears email and name with null", withBody(updatePatient, { patient_id: "user_42", email: null, name: null })],
    ["a replace with only patient_id", withBody(updatePatient, { patient_id: "user_42" })],
    ["records since a date", withQuery(records, { since: "2026-04-01" })],
    ["records since a date-time", withQuery(records, { since: "2026-04-01T08:30:00.000Z" })],
    ["records with count=1 and ending_before", withQuery(records, { count: "1", ending_before: "aB3xK9mQp2Lz" })],
    ["records with count=100", withQuery(records, { count: "100" })],
    ["records with no query at all", withQuery(records, {})],
    ["a webhook subscribed to every event with *", withBody(createWebhook, { url: "https://app.example.com/hooks", events: ["*"] })],
    ["a webhook subscribed to all four types by name", withBody(createWebhook, { ...webhookBody, events: EVENT_TYPES })],
    ["a local-development webhook URL", withBody(createWebhook, { url: "http://localhost:3000/hooks", events: ["*"] })],
    ["a 500-character webhook description", withBody(createWebhook, { ...webhookBody, description: "x".repeat(500) })],
    ["a webhook PATCH with no body at all", withBody(updateWebhook, undefined)],
    ["a webhook PATCH with an empty object", withBody(updateWebhook, {})],
    ["a webhook PATCH that removes the description", withBody(updateWebhook, { description: null })],
    ["a webhook PATCH that disables the endpoint", withBody(updateWebhook, { status: "disabled" })],
    ["listing only active webhooks", withQuery(listWebhooks, { status: "active" })],
    ["listing only delivered events", withQuery(listEvents, { delivered: "true" })],
  ])("%s draws no violation", async (_name, request) => {
    await expectAccepted(request);
  });
});

describe("requests that break the contract are flagged", () => {
  const cases: [string, MockRequest, string][] = [
    ["a patient created without patient_id", withBody(createPatient, { email: "jane@example.com" }), "required"],
    ["a 201-character patient_id", withBody(createPatient, { patient_id: "x".repeat(201) }), "maxLength"],
    ["an empty patient_id", withBody(createPatient, { patient_id: "" }), "minLength"],
    ["a malformed patient email", withBody(createPatient, { patient_id: "user_42", email: "not-an-email" }), "format"],
    ["a 201-character patient name", withBody(createPatient, { patient_id: "user_42", name: "x".repeat(201) }), "maxLength"],
    ["a replace without patient_id", withBody(updatePatient, { email: "jane@example.com" }), "required"],
    ["a webhook with no events", withBody(createWebhook, { ...webhookBody, events: [] }), "minItems"],
    ["a webhook with six events", withBody(createWebhook, { ...webhookBody, events: [...EVENT_TYPES, "*", "*"] }), "maxItems"],
    ["a webhook with an unknown event type", withBody(createWebhook, { ...webhookBody, events: ["patient.created"] }), "anyOf"],
    ["a webhook without url", withBody(createWebhook, { events: ["*"] }), "required"],
    ["a webhook url that is not a URI", withBody(createWebhook, { ...webhookBody, url: "not a url" }), "format"],
    ["a 501-character webhook description", withBody(createWebhook, { ...webhookBody, description: "x".repeat(501) }), "maxLength"],
    [
      "webhook metadata with 51 keys",
      withBody(createWebhook, { ...webhookBody, metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) }),
      "maxProperties",
    ],
    ["a webhook PATCH to status paused", withBody(updateWebhook, { status: "paused" }), "enum"],
    ["a webhook PATCH with no events", withBody(updateWebhook, { events: [] }), "minItems"],
    ["an unknown webhook status filter", withQuery(listWebhooks, { status: "paused" }), "enum"],
    ["delivered=yes", withQuery(listEvents, { delivered: "yes" }), "enum"],
    ["records count=101", withQuery(records, { count: "101" }), "maximum"],
    ["records count=0", withQuery(records, { count: "0" }), "minimum"],
    ["records since a non-date", withQuery(records, { since: "yesterday" }), "anyOf"],
    ["a records cursor shorter than 12 characters", withQuery(records, { starting_after: "aB3xK9" }), "minLength"],
    ["a records cursor longer than 12 characters", withQuery(records, { ending_before: "aB3xK9mQp2Lz0" }), "maxLength"],
    ["a launch-context id that is not a UUID", { ...launchContext, path: "/launch-contexts/launch_123" }, "format"],
    [
      "a redeliver id without the evt_ prefix",
      { method: "POST", path: "/events/01J9YX3F8X4VZ6P2K5RH7M3QWZ/redeliver", headers: { Version: VERSION } },
      "pattern",
    ],
    ["a webhook id without the wh_ prefix", { method: "GET", path: "/webhooks/whk_123", headers: { Version: VERSION } }, "pattern"],
    [
      "disconnecting with a fhirsrc_ id instead of the conn_ id",
      { ...disconnect, path: "/patients/user_42/connections/fhirsrc_02Zh2bnvRoWQJYgOAkI0Twcc" },
      "pattern",
    ],
  ];

  it.each(cases)("%s", async (_name, request, code) => {
    await expectFlagged(request, code);
  });

  it("no bearer token", async () => {
    await expectFlagged({ ...createWebhook, auth: false }, 401);
  });
});
