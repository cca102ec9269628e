/**
 * The objects the API returns, made from the state's rows: the spec's
 * shapes, every property present, nullable ones as null.
 */
import type { Schemas } from "../spec.js";
import type { SessionConnectionRow, EndpointRow, EventRow, LaunchContextRow, LinkRow, PatientRow, SessionRow } from "../state/rows.js";
import type { Workspace } from "../state/workspace.js";

export type PatientSession = Schemas["PatientSession"];
export type SessionConnection = Schemas["SessionConnection"];

export const patientObject = (row: PatientRow): Schemas["Patient"] => ({
  id: row.id,
  resource_type: "patient",
  email: row.email,
  name: row.name,
  metadata: row.metadata,
  created_at: row.created_at,
});

export const linkObject = (link: LinkRow): Schemas["PatientConnection"] => ({
  id: link.id,
  resource_type: "connection",
  patient_session_id: link.patient_session_id,
  connection_id: link.connection_id,
  status: link.status,
  scopes: link.scopes,
  failure_code: link.failure_code,
  failure_at: link.failure_at,
  created_at: link.created_at,
  updated_at: link.updated_at,
});

/** A link as one session connection (the `connection.token_refresh_failed` payload). */
export const linkAsSessionConnection = (link: LinkRow): SessionConnection => ({
  id: link.id,
  connection_id: link.connection_id,
  status: link.status,
  failure_code: link.failure_code,
  failure_at: link.failure_at,
  created_at: link.created_at,
});

/** A session's attempt: failed if it failed, else whatever its link is now (active, disconnected, …). */
export function sessionConnectionObject(workspace: Workspace, attempt: SessionConnectionRow): SessionConnection {
  const link = attempt.link_id === null ? undefined : workspace.links.get(attempt.link_id);
  // A failed attempt stays failed; a successful one shows its link as it is now, with the link's
  // failure when a later attempt failed it, so `failed` always comes with its code and time.
  const failed = attempt.failure_code !== null;
  const status = failed ? "failed" : (link?.status ?? "disconnected");
  const linkFailed = !failed && status === "failed";
  return {
    id: attempt.link_id,
    connection_id: attempt.connection_id,
    status,
    failure_code: linkFailed ? link!.failure_code : attempt.failure_code,
    failure_at: linkFailed ? link!.failure_at : attempt.failure_at,
    created_at: attempt.created_at,
  };
}

/** `open`, `complete`, or — once the clock reaches `expires_at` without completion — `expired`. */
export function sessionStatus(session: SessionRow, now: number): Schemas["PatientSessionStatus"] {
  if (session.completed_at !== null) return "complete";
  return now >= Date.parse(session.expires_at) ? "expired" : "open";
}

/** The session's `url`: its hosted page under the sandbox's public base URL. */
export const sessionUrl = (session: SessionRow, baseUrl: string): string => `${baseUrl}/c/${session.token}`;

export function sessionObject(workspace: Workspace, session: SessionRow, now: number, baseUrl: string): PatientSession {
  return {
    id: session.id,
    resource_type: "patient_session",
    status: sessionStatus(session, now),
    url: sessionUrl(session, baseUrl),
    patient_id: session.patient_id,
    connection_id: session.connection_id,
    recommended_connection_ids: session.recommended_connection_ids,
    return_url: session.return_url,
    return_button_label: session.return_button_label,
    connections: session.attempts.map((attempt) => sessionConnectionObject(workspace, attempt)),
    expires_at: session.expires_at,
    metadata: session.metadata,
    created_at: session.created_at,
  };
}

export const endpointObject = (endpoint: EndpointRow): Schemas["WebhookEndpoint"] => ({
  id: endpoint.id,
  resource_type: "webhook_endpoint",
  url: endpoint.url,
  events: endpoint.events,
  status: endpoint.status,
  description: endpoint.description,
  metadata: endpoint.metadata,
  api_version: endpoint.api_version,
  created_at: endpoint.created_at,
  updated_at: endpoint.updated_at,
});

export const eventObject = (event: EventRow): Schemas["WebhookEventRecord"] => ({
  id: event.id,
  resource_type: "event",
  webhook_endpoint_id: event.webhook_endpoint_id,
  type: event.type,
  data: event.data,
  api_version: event.api_version,
  attempts: event.attempts,
  next_attempt_at: event.next_attempt_at,
  delivered_at: event.delivered_at,
  last_status_code: event.last_status_code,
  last_response_body: event.last_response_body,
  last_redelivered_at: event.last_redelivered_at,
  created_at: event.created_at,
});

/** The body posted to the endpoint: the delivery envelope of the spec's `webhooks` section, without the bookkeeping. */
export const eventDelivery = (event: EventRow) => ({
  id: event.id,
  object: "event" as const,
  type: event.type,
  api_version: event.api_version,
  created_at: event.created_at,
  data: event.data,
});

export const launchContextObject = (context: LaunchContextRow): Schemas["LaunchContext"] => ({
  id: context.id,
  resource_type: "launch_context",
  status: context.status,
  patient: context.patient,
  encounter: context.encounter,
  fhir_user: context.fhir_user,
  scope: context.scope,
  fhir_source: context.fhir_source,
  fhir_base_url: context.fhir_base_url,
  created_at: context.created_at,
});
