/**
 * One valid request per operationId of the spec. The operation tests replay
 * each against every documented response; the coverage test fails when an
 * operation of the spec has no entry here.
 */
import type { PatientSessionInitParams } from "../../src/index.js";
import type { MockRequest } from "./mock.js";

export const VERSION = "2026-04-25";

/** A hosted-mode session with every optional field, used by the raw and the client contract tests. */
export const INIT_BODY = {
  patient_id: "user_42",
  patient_email: "jane@example.com",
  patient_name: "Jane Doe",
  recommended_connection_ids: ["fhirsrc_02Zh2bnvRoWQJYgOAkI0Twcc"],
  return_url: "https://app.example.com/connected",
  return_button_label: "Acme Health",
  expires_in: 1800,
  metadata: { signup_source: "checkout" },
} satisfies PatientSessionInitParams;

export const validRequests: Record<string, MockRequest> = {
  "api.health": { method: "GET", path: "/health" },
  "api.initPatientSession": {
    method: "POST",
    path: "/patient-sessions",
    headers: { Version: VERSION },
    body: INIT_BODY,
  },
  "api.retrievePatientSession": {
    method: "GET",
    path: "/patient-sessions/ps_01J9YQ8M2X4VZ6P2K5RH7M3KQT",
    headers: { Version: VERSION },
  },
  "api.getPatient": { method: "GET", path: "/patients/user_42", headers: { Version: VERSION } },
  "api.listPatientSessionsForPatient": {
    method: "GET",
    path: "/patients/user_42/patient-sessions",
    query: { limit: "100", status: "complete", starting_after: "ps_01J9YQ8M2X4VZ6P2K5RH7M3KQT" },
    headers: { Version: VERSION },
  },
  "api.listFhirSources": {
    method: "GET",
    path: "/connections",
    query: { q: "sunrise", type: "epic", limit: "20" },
    headers: { Version: VERSION },
  },
  "api.getFhirSource": {
    method: "GET",
    path: "/connections/fhirsrc_01J9YR9N3X4VZ6P2K5RH7M3LMP",
    headers: { Version: VERSION },
  },
  "api.createPatient": {
    method: "POST",
    path: "/patients",
    headers: { Version: VERSION },
    body: { patient_id: "user_42", email: "jane@example.com", name: "Jane Doe", metadata: { plan: "gold" } },
  },
  "api.listPatients": {
    method: "GET",
    path: "/patients",
    query: { limit: "10", starting_after: "user_41", patient_id: "user_42", email: "jane@example.com" },
    headers: { Version: VERSION },
  },
  "api.updatePatient": {
    method: "PUT",
    path: "/patients/user_42",
    headers: { Version: VERSION },
    body: { patient_id: "user_42", email: "jane@example.com", name: "Jane Q. Doe", metadata: { plan: "gold" } },
  },
  "api.deletePatient": { method: "DELETE", path: "/patients/user_42", headers: { Version: VERSION } },
  "api.disconnectPatientConnection": {
    method: "DELETE",
    path: "/patients/user_42/connections/conn_01J9YS2P4X4VZ6P2K5RH7M3NQR",
    headers: { Version: VERSION },
  },
  "api.getPatientRecords": {
    method: "GET",
    path: "/patients/user_42/records",
    query: { type: "Observation,Condition", since: "2026-04-01T00:00:00.000Z", count: "50", starting_after: "aB3xK9mQp2Lz" },
    headers: { Version: VERSION },
  },
  "api.retrieveLaunchContext": {
    method: "GET",
    path: "/launch-contexts/5b0e6a52-3c1d-4f8e-9a27-6d4b1c8e2f90",
    headers: { Version: VERSION },
  },
  "api.createWebhook": {
    method: "POST",
    path: "/webhooks",
    headers: { Version: VERSION },
    body: {
      url: "https://app.example.com/webhooks/medblocks",
      events: ["patient_session.completed", "records.sync.completed"],
      description: "Production receiver",
      metadata: { team: "integrations" },
    },
  },
  "api.listWebhooks": {
    method: "GET",
    path: "/webhooks",
    query: { limit: "20", status: "disabled" },
    headers: { Version: VERSION },
  },
  "api.getWebhook": { method: "GET", path: "/webhooks/wh_01J9YT4R6X4VZ6P2K5RH7M3PST", headers: { Version: VERSION } },
  "api.updateWebhook": {
    method: "PATCH",
    path: "/webhooks/wh_01J9YT8K2X4VZ6P2K5RH7M3PSV",
    headers: { Version: VERSION },
    body: { status: "active" },
  },
  "api.deleteWebhook": { method: "DELETE", path: "/webhooks/wh_01J9YT4R6X4VZ6P2K5RH7M3PST", headers: { Version: VERSION } },
  "api.rotateWebhookSecret": {
    method: "POST",
    path: "/webhooks/wh_01J9YT4R6X4VZ6P2K5RH7M3PST/rotate-secret",
    headers: { Version: VERSION },
  },
  "api.listWebhookEvents": {
    method: "GET",
    path: "/webhooks/wh_01J9YT4R6X4VZ6P2K5RH7M3PST/events",
    query: { limit: "50", delivered: "false", starting_after: "evt_01J9YV7C2X4VZ6P2K5RH7M3QWX" },
    headers: { Version: VERSION },
  },
  "api.redeliverWebhookEvent": {
    method: "POST",
    path: "/events/evt_01J9YX3F8X4VZ6P2K5RH7M3QWZ/redeliver",
    headers: { Version: VERSION },
  },
};
