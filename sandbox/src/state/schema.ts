/**
 * The JSON Schema of exported state: what `importState` and `--state FILE`
 * accept. Wire fields refer to the spec's own schemas (ids, timestamps,
 * enums), so a hand-edited or corrupt file is refused with the field and the
 * rule instead of breaking a later request.
 */
import { MAX_CLOCK_OFFSET_MS } from "../domain/clock.js";
import { spec } from "../spec.js";
import { MAX_DEPTH_KEYWORD } from "../../../lib/spec/ajv.js";
import { ATTEMPT_HISTORY, DELIVERY_FAULT_KINDS } from "./rows.js";

const ref = (name: string) => ({ $ref: `spec#/components/schemas/${name}` });
const nullable = (schema: object) => ({ anyOf: [schema, { type: "null" }] });
const string = { type: "string" };
const seq = { type: "integer", minimum: 1 };

const closed = (properties: Record<string, object>) => ({
  type: "object",
  required: Object.keys(properties),
  additionalProperties: false,
  properties,
});

const patient = closed({
  seq,
  id: ref("PatientId"),
  email: nullable(string),
  name: nullable(string),
  metadata: ref("Metadata"),
  created_at: ref("Timestamp"),
});

const attempt = closed({
  link_id: nullable(ref("ConnectionId")),
  connection_id: ref("FhirSourceId"),
  failure_code: nullable(string),
  failure_at: nullable(ref("Timestamp")),
  created_at: ref("Timestamp"),
});

const session = closed({
  seq,
  id: ref("PatientSessionId"),
  token: { type: "string", pattern: "^[0-9a-f]{32}$" },
  patient_id: ref("PatientId"),
  connection_id: nullable(ref("FhirSourceId")),
  recommended_connection_ids: nullable({ type: "array", items: ref("FhirSourceId") }),
  return_url: { $ref: "spec#/components/schemas/PatientSessionInitInput/properties/return_url" },
  return_button_label: nullable(string),
  metadata: ref("Metadata"),
  created_at: ref("Timestamp"),
  expires_at: ref("Timestamp"),
  completed_at: nullable(ref("Timestamp")),
  attempts: { type: "array", items: attempt },
});

const link = closed({
  seq,
  id: ref("ConnectionId"),
  patient_id: ref("PatientId"),
  connection_id: ref("FhirSourceId"),
  patient_session_id: nullable(ref("PatientSessionId")),
  status: ref("ConnectionStatus"),
  scopes: { type: "array", items: string },
  failure_code: nullable(string),
  failure_at: nullable(ref("Timestamp")),
  created_at: ref("Timestamp"),
  updated_at: ref("Timestamp"),
  synced_at: nullable(ref("Timestamp")),
});

const endpoint = closed({
  seq,
  id: ref("WebhookEndpointId"),
  url: { type: "string", format: "uri" },
  events: { type: "array", items: ref("WebhookEventSelector") },
  status: ref("WebhookEndpointStatus"),
  description: nullable(string),
  metadata: ref("Metadata"),
  api_version: string,
  secret: ref("WebhookSecret"),
  created_at: ref("Timestamp"),
  updated_at: ref("Timestamp"),
});

const deliveryAttempt = closed({
  started_at: ref("Timestamp"),
  duration_ms: { type: "number", minimum: 0 },
  result: { enum: ["delivered", "failed", "timeout", "unreachable", "not_sent"] },
  status_code: nullable({ type: "integer" }),
  error: nullable(string),
  signature: nullable(string),
  response_body: nullable(string),
  fault: nullable({ enum: DELIVERY_FAULT_KINDS }),
  redelivery: { type: "boolean" },
  next_attempt_at: nullable(ref("Timestamp")),
});

const eventFields = closed({
  seq,
  id: ref("WebhookEventId"),
  webhook_endpoint_id: ref("WebhookEndpointId"),
  type: ref("WebhookEventType"),
  // An event's payload (`data.object`) is the API object the sandbox made, whose metadata is the deepest part.
  data: { type: "object", required: ["object"], [MAX_DEPTH_KEYWORD]: 2 + spec.components.schemas.Metadata[MAX_DEPTH_KEYWORD] },
  api_version: string,
  attempts: { type: "integer", minimum: 0 },
  next_attempt_at: nullable(ref("Timestamp")),
  delivered_at: nullable(ref("Timestamp")),
  last_status_code: nullable({ type: "integer" }),
  last_response_body: nullable(string),
  last_redelivered_at: nullable(ref("Timestamp")),
  created_at: ref("Timestamp"),
  delivery_attempts: { type: "array", maxItems: ATTEMPT_HISTORY, items: deliveryAttempt },
});
/** `delivery_attempts` came later: state written before it still loads. */
const event = { ...eventFields, required: eventFields.required.filter((name) => name !== "delivery_attempts") };

const launchContext = closed({
  seq,
  id: ref("LaunchContextId"),
  status: { enum: ["ready", "pending"] },
  patient: nullable(string),
  encounter: nullable(string),
  fhir_user: nullable(string),
  scope: nullable(string),
  fhir_source: nullable(ref("FhirSourceId")),
  fhir_base_url: { type: "string", format: "uri" },
  created_at: ref("Timestamp"),
});

const fault = closed({
  operation: string,
  remaining: { type: "integer", minimum: 1 },
  status: nullable({ type: "integer" }),
  code: nullable(ref("ErrorCode")),
  retry_after: nullable({ type: "integer", minimum: 1 }),
  delay_ms: { type: "integer", minimum: 0 },
  drop: { type: "boolean" },
});

const deliveryFault = closed({
  delivery: { enum: DELIVERY_FAULT_KINDS },
  remaining: { type: "integer", minimum: 1 },
});

const uint32 = { type: "integer", minimum: 0, maximum: 4294967295 };

/** A workspace's data; `delivery_faults` came later, so state written before it still loads. */
const workspaceFields = closed({
  clock_offset_ms: { type: "integer", minimum: 0, maximum: MAX_CLOCK_OFFSET_MS },
  rng: { type: "array", items: uint32, minItems: 4, maxItems: 4 },
  seq: { type: "integer", minimum: 0 },
  patients: { type: "array", items: patient },
  sessions: { type: "array", items: session },
  links: { type: "array", items: link },
  webhooks: { type: "array", items: endpoint },
  events: { type: "array", items: event },
  launch_contexts: { type: "array", items: launchContext },
  faults: { type: "array", items: fault },
  delivery_faults: { type: "array", items: deliveryFault },
});
export const workspaceSchema = { ...workspaceFields, required: workspaceFields.required.filter((name) => name !== "delivery_faults") };

export const WORKSPACE_FORMAT = "medblocks-sandbox-workspace";
export const STATE_FORMAT = "medblocks-sandbox-state";
export const FORMAT_VERSION = 1;

/** What `exportState()` returns and `importState()` takes: one workspace. */
export const workspaceExportSchema = closed({
  format: { const: WORKSPACE_FORMAT },
  version: { const: FORMAT_VERSION },
  workspace: workspaceSchema,
});

/** A whole sandbox, as `--state FILE` holds it: every workspace, by a fingerprint of its key (never the key). */
const stateFields = closed({
  format: { const: STATE_FORMAT },
  version: { const: FORMAT_VERSION },
  seed: { type: "string", minLength: 1 },
  /** The id of the journal that continues the file (file.ts); state written before journals has none. */
  journal: { type: "string", pattern: "^[0-9a-f]{32}$" },
  workspaces: { type: "object", propertyNames: { pattern: "^[0-9a-f]{32}$" }, additionalProperties: workspaceSchema },
});
export const stateSchema = { ...stateFields, required: stateFields.required.filter((name) => name !== "journal") };
