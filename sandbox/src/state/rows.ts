/**
 * What a workspace holds, as plain data: one row per stored thing, each with
 * its API object's fields (snake_case, as the API sends them) plus `seq`, the
 * workspace-wide creation order that lists and cursors are built on. Anything
 * derived (a session's `expired` status, a link's FHIR records, URLs) is
 * computed when read; api/objects.ts turns rows into the objects the API
 * returns. ("Row", not "record": a record, here, is a patient's FHIR record.)
 */
import type { ErrorCode, OperationId, Schemas } from "../spec.js";

export type Metadata = Record<string, unknown>;
export type ConnectionStatus = Schemas["ConnectionStatus"];
export type WebhookEventType = Schemas["WebhookEventType"];

export interface PatientRow {
  seq: number;
  id: string;
  email: string | null;
  name: string | null;
  metadata: Metadata;
  created_at: string;
}

/** One attempt to link an EHR during a session. */
export interface SessionConnectionRow {
  /** The link's `conn_` id; null when the attempt failed before a link existed. */
  link_id: string | null;
  connection_id: string;
  /** Set when this attempt failed (then its status is `failed`, whatever became of the link). */
  failure_code: string | null;
  failure_at: string | null;
  created_at: string;
}

export interface SessionRow {
  seq: number;
  id: string;
  /** The hosted page's token: `url` is `<base URL>/c/<token>`. */
  token: string;
  patient_id: string;
  connection_id: string | null;
  recommended_connection_ids: string[] | null;
  return_url: string;
  return_button_label: string | null;
  metadata: Metadata;
  created_at: string;
  expires_at: string;
  /** Set when the session completed; an open session past `expires_at` reads as `expired`. */
  completed_at: string | null;
  attempts: SessionConnectionRow[];
}

/** A patient's link to one EHR: at most one per (patient, EHR), kept across sessions. */
export interface LinkRow {
  seq: number;
  id: string;
  patient_id: string;
  connection_id: string;
  patient_session_id: string | null;
  status: ConnectionStatus;
  scopes: string[];
  failure_code: string | null;
  failure_at: string | null;
  created_at: string;
  updated_at: string;
  /** When the first pull of records finished; records are served from then on, until disconnected. */
  synced_at: string | null;
}

export interface EndpointRow {
  seq: number;
  id: string;
  url: string;
  events: string[];
  status: Schemas["WebhookEndpointStatus"];
  description: string | null;
  metadata: Metadata;
  api_version: string;
  /** Returned by create and rotate only. */
  secret: string;
  created_at: string;
  updated_at: string;
}

/**
 * How one delivery attempt ended: `delivered` (a 2xx), `failed` (another
 * status), `timeout`, `unreachable` (no connection), or `not_sent` (a
 * destination the sandbox may not post to).
 */
export type DeliveryResult = "delivered" | "failed" | "timeout" | "unreachable" | "not_sent";

/**
 * One delivery attempt of an event, kept on the event (the latest
 * ATTEMPT_HISTORY) for the dashboard. The request body is not kept: it is
 * the event's delivery envelope, the same bytes on every attempt.
 */
export interface DeliveryAttemptRow {
  /** When the attempt started, on the workspace's clock. */
  started_at: string;
  duration_ms: number;
  result: DeliveryResult;
  /** The receiver's status, when it answered. */
  status_code: number | null;
  /** Why there is no status: no answer in time, the connection's error, or why the sandbox did not send. */
  error: string | null;
  /** The `Medblocks-Signature` header sent; null when nothing was sent. */
  signature: string | null;
  /** The start of the receiver's body (at most 4 KB). */
  response_body: string | null;
  /** The delivery fault the attempt carried. */
  fault: DeliveryFaultKind | null;
  /** Asked for (a redelivery), not planned by the schedule. */
  redelivery: boolean;
  /** When the attempt after this one was due when this one ended; null when none was planned. */
  next_attempt_at: string | null;
}

/** How many attempts an event keeps: the schedule's nine and a few redeliveries; older ones are dropped. */
export const ATTEMPT_HISTORY = 20;

export interface EventRow {
  seq: number;
  id: string;
  webhook_endpoint_id: string;
  type: WebhookEventType;
  data: { object: unknown };
  api_version: string;
  attempts: number;
  next_attempt_at: string | null;
  delivered_at: string | null;
  last_status_code: number | null;
  last_response_body: string | null;
  last_redelivered_at: string | null;
  created_at: string;
  /** Its latest attempts, oldest first; absent in state written before it was kept. */
  delivery_attempts?: DeliveryAttemptRow[];
}

export interface LaunchContextRow {
  seq: number;
  id: string;
  status: "ready" | "pending";
  patient: string | null;
  encounter: string | null;
  fhir_user: string | null;
  scope: string | null;
  fhir_source: string | null;
  fhir_base_url: string;
  created_at: string;
}

/** The next `remaining` calls of `operation` fail as described. */
export interface FaultRow {
  operation: OperationId;
  remaining: number;
  /** Answer this status (with `code`, and `Retry-After` when set) instead of handling the call. */
  status: number | null;
  code: ErrorCode | null;
  retry_after: number | null;
  /** Wait this long first. */
  delay_ms: number;
  /** Drop the connection instead of answering. */
  drop: boolean;
}

/**
 * What a delivery fault does to one webhook delivery: sent twice, held back
 * behind the next one, signed with a timestamp too old to accept, or signed
 * with the wrong secret.
 */
export const DELIVERY_FAULT_KINDS = ["duplicate", "out_of_order", "stale_timestamp", "bad_signature"] as const;
export type DeliveryFaultKind = (typeof DELIVERY_FAULT_KINDS)[number];

/** The next `remaining` webhook deliveries of the workspace go wrong as `kind` says. */
export interface DeliveryFaultRow {
  delivery: DeliveryFaultKind;
  remaining: number;
}
