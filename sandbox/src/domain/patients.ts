/**
 * Patients: created by `POST /patients` or by a session's upsert, keyed by
 * your own `patient_id`.
 */
import { ApiError, notFound } from "../errors.js";
import { iso } from "./clock.js";
import { spec } from "../spec.js";
import type { PatientRow } from "../state/rows.js";
import type { Workspace } from "../state/workspace.js";

/** The prefixes Medblocks keeps for its own ids, as the spec's `PatientCreateInput.patient_id` lists them. */
export const RESERVED_PREFIXES: readonly string[] = (() => {
  const prose: string = spec.components.schemas.PatientCreateInput.properties.patient_id.description;
  const prefixes = [...prose.matchAll(/`([a-z]+_)`/g)].map((match) => match[1]!);
  if (prefixes.length === 0) throw new Error("spec: PatientCreateInput.patient_id no longer lists the reserved prefixes");
  return prefixes;
})();

/** Refuses a new patient id that starts with a reserved prefix. */
export function checkNewPatientId(patientId: string): void {
  const prefix = RESERVED_PREFIXES.find((reserved) => patientId.startsWith(reserved));
  if (prefix) {
    throw new ApiError(
      400,
      "invalid_data",
      `\`patient_id\` must not start with \`${prefix}\`: the prefixes ${RESERVED_PREFIXES.map((p) => `\`${p}\``).join(", ")} are ` +
        `reserved for Medblocks' own ids.`,
      "patient_id",
    );
  }
}

export function requirePatient(workspace: Workspace, patientId: string): PatientRow {
  const patient = workspace.patients.get(patientId);
  if (!patient) throw notFound("patient");
  return patient;
}

export function insertPatient(
  workspace: Workspace,
  fields: { id: string; email: string | null; name: string | null; metadata: Record<string, unknown> },
  now: number,
): PatientRow {
  checkNewPatientId(fields.id);
  return workspace.patients.insert({ seq: workspace.nextSeq(), ...fields, created_at: iso(now) });
}

/** A session's upsert: creates the patient if new; a given email or name replaces the stored one. */
export function upsertPatient(
  workspace: Workspace,
  patientId: string,
  email: string | undefined,
  name: string | undefined,
  now: number,
): PatientRow {
  const existing = workspace.patients.get(patientId);
  if (!existing) return insertPatient(workspace, { id: patientId, email: email ?? null, name: name ?? null, metadata: {} }, now);
  return workspace.patients.update(existing, { ...(email !== undefined && { email }), ...(name !== undefined && { name }) });
}
