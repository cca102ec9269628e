/**
 * The client method behind every operationId, called with valid input. The
 * client contract test runs each against every documented response; the
 * coverage test fails when an operation has no entry.
 */
import type { ClientCall } from "./client.js";
import { INIT_BODY } from "./requests.js";

const PS = "ps_01J9YQ8M2X4VZ6P2K5RH7M3KQT";
const WH = "wh_01J9YT4R6X4VZ6P2K5RH7M3PST";

export const clientCalls: Record<string, ClientCall> = {
  "api.health": (mb, options) => mb.health(options),
  "api.initPatientSession": (mb, options) => mb.patientSession.init(INIT_BODY, options),
  "api.retrievePatientSession": (mb, options) => mb.patientSession.retrieve(PS, options),
  "api.getPatient": (mb, options) => mb.patients.retrieve("user_42", options),
  "api.listPatientSessionsForPatient": (mb, options) =>
    mb.patients.listPatientSessions("user_42", { status: "complete", limit: 100, starting_after: PS }, options),
  "api.listFhirSources": (mb, options) => mb.connections.list({ q: "sunrise", type: "epic", limit: 20 }, options),
  "api.getFhirSource": (mb, options) => mb.connections.retrieve("fhirsrc_01J9YR9N3X4VZ6P2K5RH7M3LMP", options),
  "api.createPatient": (mb, options) =>
    mb.patients.create({ patient_id: "user_42", email: "jane@example.com", name: "Jane Doe", metadata: { plan: "gold" } }, options),
  "api.listPatients": (mb, options) => mb.patients.list({ limit: 10, patient_id: "user_42", email: "jane@example.com" }, options),
  "api.updatePatient": (mb, options) =>
    mb.patients.update("user_42", { patient_id: "user_42", email: null, name: "Jane Q. Doe", metadata: { plan: "gold" } }, options),
  "api.deletePatient": (mb, options) => mb.patients.delete("user_42", options),
  "api.disconnectPatientConnection": (mb, options) =>
    mb.patients.disconnectConnection("user_42", "conn_01J9YS2P4X4VZ6P2K5RH7M3NQR", options),
  "api.getPatientRecords": (mb, options) =>
    mb.patients.records("user_42", { type: "Observation,Condition", since: "2026-04-01", count: 50, starting_after: "aB3xK9mQp2Lz" }, options),
  "api.retrieveLaunchContext": (mb, options) => mb.launchContexts.retrieve("5b0e6a52-3c1d-4f8e-9a27-6d4b1c8e2f90", options),
  "api.createWebhook": (mb, options) =>
    mb.webhooks.create(
      {
        url: "https://app.example.com/webhooks/medblocks",
        events: ["patient_session.completed", "records.sync.completed"],
        description: "Production receiver",
        metadata: { team: "integrations" },
      },
      options,
    ),
  "api.listWebhooks": (mb, options) => mb.webhooks.list({ status: "disabled", limit: 20 }, options),
  "api.getWebhook": (mb, options) => mb.webhooks.retrieve(WH, options),
  "api.updateWebhook": (mb, options) => mb.webhooks.update(WH, { status: "active", description: null }, options),
  "api.deleteWebhook": (mb, options) => mb.webhooks.delete(WH, options),
  "api.rotateWebhookSecret": (mb, options) => mb.webhooks.rotateSecret(WH, options),
  "api.listWebhookEvents": (mb, options) => mb.webhooks.listEvents(WH, { delivered: false, limit: 50 }, options),
  "api.redeliverWebhookEvent": (mb, options) => mb.events.redeliver("evt_01J9YX3F8X4VZ6P2K5RH7M3QWZ", options),
};
