/** Patient sessions. */
import { upsertPatient } from "../domain/patients.js";
import { openSession, requireSession, sourceParam } from "../domain/sessions.js";
import { bodyDefault } from "../spec.js";
import { sessionObject } from "./objects.js";
import type { Call } from "./call.js";

/** Starts a session, creating or updating its patient. Hosted mode without `connection_id`, direct mode with it. */
export const initPatientSession = ({ workspace, body, now, baseUrl }: Call) => {
  // EHRs may be named by `fhir_base_url` too; the session keeps their fhirsrc_ ids. Checked before anything changes.
  const direct = body.connection_id === undefined ? null : sourceParam(body.connection_id, "connection_id").id;
  const recommended = body.recommended_connection_ids?.map(
    (id: string, index: number) => sourceParam(id, `recommended_connection_ids[${index}]`).id,
  );
  upsertPatient(workspace, body.patient_id, body.patient_email, body.patient_name, now);
  const session = openSession(
    workspace,
    {
      patient_id: body.patient_id,
      connection_id: direct,
      recommended_connection_ids: direct === null ? (recommended ?? []) : null,
      return_url: body.return_url,
      return_button_label: body.return_button_label ?? null,
      metadata: body.metadata ?? {},
      expires_in: (body.expires_in as number | undefined) ?? (bodyDefault("api.initPatientSession", "expires_in") as number),
    },
    now,
  );
  return sessionObject(workspace, session, now, baseUrl);
};

export const retrievePatientSession = ({ workspace, path, now, baseUrl }: Call) =>
  sessionObject(workspace, requireSession(workspace, path.id!), now, baseUrl);
