import { ID_PREFIXES } from "../../generated/schemas.js";
import { rejected, type APIPromise } from "../api-promise.js";
import { optionError, type RequestOptions } from "../options.js";
import type { Transport } from "../transport.js";
import type { ConnectionDisconnected, Patient, PatientConnection, PatientUpdateParams } from "../types.js";
import { adopt, methodsOf, type ResourceMethods } from "./methods.js";

/**
 * A patient's link to one EHR: its `conn_` id, or the link itself from
 * `mb.patients.retrieve(…).connections`. Not the `fhirsrc_` id of the EHR.
 */
export type PatientConnectionRef = `${(typeof ID_PREFIXES)["ConnectionId"]}${string}` | Pick<PatientConnection, "id" | "resource_type">;

export interface PatientsResource extends Omit<ResourceMethods<"patients">, "update" | "disconnectConnection"> {}

/** `mb.patients`: patients of your organization, by your own `patient_id`. */
export class PatientsResource {
  readonly #methods: ResourceMethods<"patients">;

  constructor(transport: Transport) {
    this.#methods = methodsOf(transport, "patients");
    adopt(this, this.#methods);
  }

  /**
   * Replaces the patient: fields left out are cleared (`email` and `name` to
   * null, `metadata` to `{}`). `params.patient_id` must equal `id`: a
   * patient's id cannot change, so a different one is refused before the
   * network.
   */
  update(id: string, params: PatientUpdateParams, options?: RequestOptions): APIPromise<Patient> {
    if (params && typeof params === "object" && params.patient_id !== undefined && params.patient_id !== id) {
      return rejected(
        optionError("mb.patients.update", "patient_id", "the id in the path (the first argument): a patient's id cannot change"),
      );
    }
    return this.#methods.update(id, params, options);
  }

  /**
   * Revokes one of the patient's EHR links. Takes the link's `conn_` id (or
   * the link object) from `mb.patients.retrieve(id).connections` — not the
   * EHR's `fhirsrc_` id, even though the wire calls this path parameter
   * `connection_id` and `connection_id` fields elsewhere hold `fhirsrc_` ids.
   * Access returns only when the patient authorizes again.
   */
  disconnectConnection(id: string, connection: PatientConnectionRef, options?: RequestOptions): APIPromise<ConnectionDisconnected> {
    const link = typeof connection === "object" && connection !== null ? connection.id : connection;
    if (typeof link === "string" && link.startsWith(ID_PREFIXES.FhirSourceId)) {
      return rejected(
        optionError(
          "mb.patients.disconnectConnection",
          "connection_id",
          `the patient's link (its ${ID_PREFIXES.ConnectionId} id) from mb.patients.retrieve(id).connections, not ` +
            `the ${ID_PREFIXES.FhirSourceId} id of the EHR in the catalog`,
        ),
      );
    }
    return this.#methods.disconnectConnection(id, link, options);
  }
}
