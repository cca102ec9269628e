/**
 * `medblocks-sandbox trigger <event-type>`: makes an event happen as the
 * service would, so its payload is real and consistent — a new patient
 * (`trigger_…`) starts a hosted session shaped like the spec's example and
 * visits the example's first EHR with the outcome that announces the type.
 * Like `stripe trigger`, what the scenario does on the way is announced too
 * (a refresh failure follows a first pull of records).
 */
import { findSource } from "./catalog.js";
import { operationObject } from "../spec.js";
import type { EventRow, WebhookEventType } from "../state/rows.js";
import type { Workspace } from "../state/workspace.js";
import { upsertPatient } from "./patients.js";
import { attempt, type OutcomeName } from "./outcomes.js";
import { finishSession, openSession } from "./sessions.js";

/** Per event type: the visit's outcome, and whether the patient then returns (completing the session). */
const SCENARIOS: Record<WebhookEventType, { outcome: OutcomeName; finish: boolean }> = {
  "patient_session.completed": { outcome: "approve", finish: true },
  "records.sync.completed": { outcome: "approve", finish: false },
  "records.sync.failed": { outcome: "records_sync_failed", finish: false },
  "connection.token_refresh_failed": { outcome: "token_refresh_failed", finish: false },
};

export const TRIGGER_TYPES = Object.keys(SCENARIOS) as WebhookEventType[];

export interface Triggered {
  patient_id: string;
  patient_session_id: string;
  /** Every event the scenario recorded, in order (one per subscribed endpoint and type). */
  events: EventRow[];
}

/** Plays the scenario for `type` in the workspace. */
export function trigger(workspace: Workspace, type: WebhookEventType, now: number, baseUrl: string): Triggered {
  const scenario = SCENARIOS[type];
  const example = operationObject("api.initPatientSession").requestBody.content["application/json"].examples.hosted.value;
  const source = findSource(example.recommended_connection_ids[0])!;
  const patient = upsertPatient(workspace, workspace.newId("trigger_"), undefined, example.patient_name, now);
  const session = openSession(
    workspace,
    {
      patient_id: patient.id,
      connection_id: null,
      recommended_connection_ids: example.recommended_connection_ids,
      return_url: example.return_url,
      return_button_label: example.return_button_label,
      metadata: example.metadata,
      expires_in: example.expires_in,
    },
    now,
  );
  const before = workspace.events.size;
  attempt(workspace, session, source, scenario.outcome, now);
  if (scenario.finish) finishSession(workspace, session, now, baseUrl);
  return { patient_id: patient.id, patient_session_id: session.id, events: workspace.events.all().slice(before) };
}
