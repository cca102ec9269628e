import { rejected, type APIPromise } from "../api-promise.js";
import { MedblocksError } from "../errors.js";
import { ListPromise } from "../pagination.js";
import type { RequestOptions } from "../options.js";
import type { Transport } from "../transport.js";
import type {
  ConnectionDisconnected,
  Patient,
  PatientConnection,
  PatientCreateParams,
  PatientDeleted,
  PatientDetail,
  PatientListParams,
  PatientRecord,
  PatientRecords,
  PatientRecordsParams,
  PatientSession,
  PatientSessionListParams,
  PatientUpdateParams,
} from "../types.js";

/**
 * A patient's link to one EHR: its `conn_` id, or the link itself from
 * `mb.patients.retrieve(…).connections`. Not the `fhirsrc_` id of the EHR.
 */
export type PatientConnectionRef = `conn_${string}` | Pick<PatientConnection, "id" | "resource_type">;

/** `mb.patients`: patients of your organization, by your own `patient_id`. */
export class PatientsResource {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Creates a patient with your own `patient_id`; 409 `external_id_already_exists` if it is taken. */
  create(params: PatientCreateParams, options?: RequestOptions): APIPromise<Patient> {
    return this.#transport.request("api.createPatient", "mb.patients.create", { body: params }, options);
  }

  /** The patient with every EHR link they have (`connections`, newest first). */
  retrieve(patientId: string, options?: RequestOptions): APIPromise<PatientDetail> {
    const path = { id: patientId };
    return this.#transport.request("api.getPatient", "mb.patients.retrieve", { path }, options);
  }

  /**
   * Replaces the patient: fields left out are cleared (`email` and `name` to
   * null, `metadata` to `{}`). `params.patient_id` must equal `patientId`.
   */
  update(patientId: string, params: PatientUpdateParams, options?: RequestOptions): APIPromise<Patient> {
    const path = { id: patientId };
    const label = "mb.patients.update";
    if (params && typeof params === "object" && params.patient_id !== undefined && params.patient_id !== patientId) {
      return rejected(
        new MedblocksError({
          type: "invalid_request_error",
          code: "invalid_data",
          message: `${label}: \`patient_id\` in the body must equal the patient id in the path (the first argument); a patient's id cannot change`,
          param: "patient_id",
        }),
      );
    }
    return this.#transport.request("api.updatePatient", label, { path, body: params }, options);
  }

  /** Deletes the patient and all their links; there is no undo. */
  delete(patientId: string, options?: RequestOptions): APIPromise<PatientDeleted> {
    const path = { id: patientId };
    return this.#transport.request("api.deletePatient", "mb.patients.delete", { path }, options);
  }

  /** Patients, optionally by exact `patient_id` or `email`; await for a page or iterate for all. */
  list(params: PatientListParams = {}, options?: RequestOptions): ListPromise<Patient> {
    return ListPromise.from(params, (query) =>
      this.#transport.request("api.listPatients", "mb.patients.list", { query }, options),
    );
  }

  /** The patient's sessions, optionally in one `status`; await for a page or iterate for all. */
  listPatientSessions(
    patientId: string,
    params: PatientSessionListParams = {},
    options?: RequestOptions,
  ): ListPromise<PatientSession> {
    const path = { id: patientId };
    return ListPromise.from(params, (query) =>
      this.#transport.request(
        "api.listPatientSessionsForPatient",
        "mb.patients.listPatientSessions",
        { path, query },
        options),
    );
  }

  /**
   * The patient's stored FHIR resources, latest version of each. Await for a
   * page (`next_cursor`, `previous_cursor`; cursors last 7 days), iterate for
   * every record, or `autoPagingIterator({ direction: "backward" })` from an
   * `ending_before` cursor.
   */
  records(patientId: string, params: PatientRecordsParams = {}, options?: RequestOptions): ListPromise<PatientRecord, PatientRecords> {
    const path = { id: patientId };
    return ListPromise.from(params, (query) =>
      this.#transport.request("api.getPatientRecords", "mb.patients.records", { path, query }, options),
    );
  }

  /**
   * Revokes one of the patient's EHR links. Takes the link's `conn_` id (or
   * the link object) from `mb.patients.retrieve(patientId).connections` —
   * not the EHR's `fhirsrc_` id, even though the wire calls this path
   * parameter `connection_id` and `connection_id` fields elsewhere hold
   * `fhirsrc_` ids. Access returns only when the patient authorizes again.
   */
  disconnectConnection(patientId: string, connection: PatientConnectionRef, options?: RequestOptions): APIPromise<ConnectionDisconnected> {
    const label = "mb.patients.disconnectConnection";
    const id = typeof connection === "object" && connection !== null ? connection.id : connection;
    if (typeof id === "string" && id.startsWith("fhirsrc_")) {
      return rejected(
        new MedblocksError({
          type: "invalid_request_error",
          code: "invalid_data",
          message: `${label}: \`connection_id\` is a fhirsrc_ id, which names the EHR in the catalog; pass the patient's link (its conn_ id) from mb.patients.retrieve(patientId).connections`,
          param: "connection_id",
        }),
      );
    }
    const path = { id: patientId, connection_id: id };
    return this.#transport.request("api.disconnectPatientConnection", label, { path }, options);
  }
}
