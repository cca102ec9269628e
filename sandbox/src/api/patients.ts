/** Patients, their links, sessions and records. */
import { ApiError, notFound } from "../errors.js";
import { insertPatient, requirePatient } from "../domain/patients.js";
import { listPage } from "./paging.js";
import { linkObject, patientObject, sessionStatus, sessionObject } from "./objects.js";
import { iso } from "../domain/clock.js";
import type { Call } from "./call.js";

export const createPatient = ({ workspace, body, now }: Call) => {
  if (workspace.patients.get(body.patient_id)) {
    throw new ApiError(
      409,
      "external_id_already_exists",
      "A patient with this `patient_id` already exists in the workspace.",
      "patient_id",
    );
  }
  const patient = insertPatient(
    workspace,
    { id: body.patient_id, email: body.email ?? null, name: body.name ?? null, metadata: body.metadata ?? {} },
    now,
  );
  return patientObject(patient);
};

export const listPatients = ({ workspace, query }: Call) =>
  listPage(
    "api.listPatients",
    workspace.patients,
    query,
    patientObject,
    (patient) =>
      (query.patient_id === undefined || patient.id === query.patient_id) && (query.email === undefined || patient.email === query.email),
  );

export const getPatient = ({ workspace, path }: Call) => {
  const patient = requirePatient(workspace, path.id!);
  const links = workspace.links.newestFirst((link) => link.patient_id === patient.id);
  return { ...patientObject(patient), connections: links.map(linkObject) };
};

/** Full replace: a field left out is cleared (email and name to null, metadata to `{}`). */
export const updatePatient = ({ workspace, path, body }: Call) => {
  const patient = requirePatient(workspace, path.id!);
  if (body.patient_id !== patient.id) {
    throw new ApiError(400, "invalid_data", "`patient_id` must equal the `id` in the path: a patient's id cannot change.", "patient_id");
  }
  workspace.patients.update(patient, { email: body.email ?? null, name: body.name ?? null, metadata: body.metadata ?? {} });
  return patientObject(patient);
};

export const deletePatient = ({ workspace, path }: Call) => {
  const patient = requirePatient(workspace, path.id!);
  workspace.deletePatient(patient.id);
  return { id: patient.id, resource_type: "patient", deleted: true };
};

export const disconnectPatientConnection = ({ workspace, path, now }: Call) => {
  const patient = requirePatient(workspace, path.id!);
  const link = workspace.links.get(path.connection_id!);
  if (!link || link.patient_id !== patient.id) throw notFound("connection of this patient", "connection_id");
  workspace.links.update(link, { status: "disconnected", updated_at: iso(now) });
  return { id: link.id, resource_type: "connection", disconnected: true };
};

export const listPatientSessionsForPatient = ({ workspace, path, query, now, baseUrl }: Call) => {
  const patient = requirePatient(workspace, path.id!);
  return listPage(
    "api.listPatientSessionsForPatient",
    workspace.sessions,
    query,
    (session) => sessionObject(workspace, session, now, baseUrl),
    (session) => session.patient_id === patient.id && (query.status === undefined || sessionStatus(session, now) === query.status),
  );
};
