/**
 * Public types: every one an alias of, or derived from, a generated type.
 * A wrong shape is fixed in spec/ and regenerated, never here.
 */
import type { components, operations } from "../generated/api.js";

type Schemas = components["schemas"];
type Query<Op extends keyof operations> = NonNullable<operations[Op]["parameters"]["query"]>;

export type PatientSession = Schemas["PatientSession"];
export type PatientSessionStatus = Schemas["PatientSessionStatus"];
/** Input of `mb.patientSession.init`; `connection_id` and `recommended_connection_ids` exclude each other. */
export type PatientSessionInitParams = Schemas["PatientSessionInitInput"];
export type SessionConnection = Schemas["SessionConnection"];
export type ConnectionStatus = Schemas["ConnectionStatus"];
export type Patient = Schemas["Patient"];
export type PatientDetail = Schemas["PatientDetail"];
/** A patient's link to one EHR (`conn_` id), as listed on `PatientDetail.connections`. */
export type PatientConnection = Schemas["PatientConnection"];
/** A catalog EHR (`fhirsrc_` id), named `Connection` as in the official SDK. */
export type Connection = Schemas["FhirSource"];
export type FhirSource = Connection;
export type Health = Schemas["Health"];
export type ErrorEnvelope = Schemas["ErrorEnvelope"];
export type MedblocksErrorType = Schemas["ErrorType"];
export type MedblocksErrorCode = Schemas["ErrorCode"];

export type PatientCreateParams = Schemas["PatientCreateInput"];
/** Full replace: fields left out are cleared; `patient_id` must repeat the path's id. */
export type PatientUpdateParams = Schemas["PatientReplaceInput"];
export type PatientDeleted = Schemas["PatientDeleted"];
export type ConnectionDisconnected = Schemas["ConnectionDisconnected"];
export type PatientRecords = Schemas["PatientRecords"];
export type PatientRecord = Schemas["PatientRecord"];
export type LaunchContext = Schemas["LaunchContext"];
export type WebhookEndpoint = Schemas["WebhookEndpoint"];
/** Returned only by `create` and `rotateSecret`: the one time the `whsec_` secret is shown. */
export type WebhookEndpointWithSecret = Schemas["WebhookEndpointWithSecret"];
export type WebhookEndpointCreateParams = Schemas["WebhookEndpointCreateInput"];
export type WebhookEndpointUpdateParams = Schemas["WebhookEndpointUpdateInput"];
export type WebhookEndpointDeleted = Schemas["WebhookEndpointDeleted"];
export type WebhookEventType = Schemas["WebhookEventType"];
/** A delivery record of the management API (`resource_type: "event"`), as the official SDK names it. */
export type WebhookEventRecord = Schemas["WebhookEvent"];
/** A delivered webhook body, discriminated by `type`: `data.object` narrows with it. */
export type WebhookEvent =
  | Schemas["PatientSessionCompletedEvent"]
  | Schemas["ConnectionTokenRefreshFailedEvent"]
  | Schemas["RecordsSyncCompletedEvent"]
  | Schemas["RecordsSyncFailedEvent"];

export type PatientSessionListParams = Query<"api.listPatientSessionsForPatient">;
export type ConnectionListParams = Query<"api.listFhirSources">;
export type PatientListParams = Query<"api.listPatients">;
export type PatientRecordsParams = Query<"api.getPatientRecords">;
export type WebhookEndpointListParams = Query<"api.listWebhooks">;
/** `delivered` is the string `"true"`/`"false"` on the wire; a boolean is accepted too. */
export type WebhookEventListParams = Omit<Query<"api.listWebhookEvents">, "delivered"> & {
  delivered?: boolean | NonNullable<Query<"api.listWebhookEvents">["delivered"]>;
};

/** One page of a list: the generated list envelope with its items typed. */
export type Page<T> = Readonly<Omit<Schemas["FhirSourceList"], "data">> & { readonly data: T[] };

/** Fields another return case has, typed absent here so code can read them on the union. */
type Absent<K extends string> = { [P in K]?: undefined };
/** The browser came back from the hosted page (the patient clicked "return"). */
export type ReturnUrlHosted = { mode: "hosted" } & Schemas["ReturnHostedQuery"] & Absent<"connection_id" | "error" | "error_description">;
/** A direct-mode session ended with the patient authorizing the EHR. */
export type ReturnUrlDirectSuccess = { mode: "direct"; success: true } & Omit<Schemas["ReturnDirectSuccessQuery"], "success"> &
  Absent<"error" | "error_description">;
/** A direct-mode session ended without access; `error_description` is null when none was sent. */
export type ReturnUrlDirectError = { mode: "direct"; success: false; error_description: string | null } & Omit<
  Schemas["ReturnDirectErrorQuery"],
  "success" | "error_description"
> &
  Absent<"connection_id">;
/** What `parseReturnUrl` returns for a Medblocks return. */
export type ReturnUrlResult = ReturnUrlHosted | ReturnUrlDirectSuccess | ReturnUrlDirectError;
