/**
 * One valid request per operationId of the spec. The operation tests replay
 * each against every documented response; the coverage test fails when an
 * operation of the spec has no entry here.
 */
import type { MockRequest } from "./mock.js";

export const VERSION = "2026-04-25";

export const validRequests: Record<string, MockRequest> = {
  "api.health": { method: "GET", path: "/health" },
  "api.initPatientSession": {
    method: "POST",
    path: "/patient-sessions",
    headers: { Version: VERSION },
    body: {
      patient_id: "user_42",
      patient_email: "jane@example.com",
      patient_name: "Jane Doe",
      recommended_connection_ids: ["fhirsrc_02Zh2bnvRoWQJYgOAkI0Twcc"],
      return_url: "https://app.example.com/connected",
      return_button_label: "Acme Health",
      expires_in: 1800,
      metadata: { signup_source: "checkout" },
    },
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
};
