/**
 * Public types: every one generated from the spec (generated/models.ts names
 * each object schema, so editors and type errors show `PatientDetail`
 * instead of every field) or derived from a generated type here. A wrong
 * shape is fixed in spec/ and regenerated, never here. Inputs take an
 * explicit `undefined` for a field left out.
 */
import type { components, operations } from "../generated/api.js";
import type * as Models from "../generated/models.js";
import type { Undefinable } from "./undefinable.js";

// An interface for every object schema of the spec: PatientSession, PatientDetail, FhirSource, …
export type * from "../generated/models.js";

type Schemas = components["schemas"];
type Query<Op extends keyof operations> = Undefinable<NonNullable<operations[Op]["parameters"]["query"]>>;

/** A catalog EHR (`fhirsrc_` id), named `Connection` as in the official SDK. */
export type Connection = Models.FhirSource;
export type PatientSessionStatus = Schemas["PatientSessionStatus"];
export type ConnectionStatus = Schemas["ConnectionStatus"];
export type MedblocksErrorType = Schemas["ErrorType"];
export type MedblocksErrorCode = Schemas["ErrorCode"];
export type WebhookEventType = Schemas["WebhookEventType"];

/** The generated init body: the union of its two modes. */
type InitInput = Schemas["PatientSessionInitInput"];
/**
 * `mb.patientSession.init` in hosted mode: the patient picks an EHR on the hosted page (`recommended_connection_ids`
 * first); no `connection_id`.
 */
export interface PatientSessionInitHostedParams extends Undefinable<Extract<InitInput, { connection_id?: never }>> {}
/** `mb.patientSession.init` in direct mode: straight to the EHR `connection_id` names; no `recommended_connection_ids`. */
export interface PatientSessionInitDirectParams extends Undefinable<Extract<InitInput, { recommended_connection_ids?: never }>> {}
/**
 * Input of `mb.patientSession.init`, one named type per mode, so that a type
 * error names the mode instead of spelling out every field of both:
 * `connection_id` and `recommended_connection_ids` exclude each other.
 */
export type PatientSessionInitParams = PatientSessionInitHostedParams | PatientSessionInitDirectParams;
export type PatientCreateParams = Undefinable<Schemas["PatientCreateInput"]>;
/** Full replace: fields left out are cleared; `patient_id` must repeat the path's id. */
export type PatientUpdateParams = Undefinable<Schemas["PatientReplaceInput"]>;
export type WebhookEndpointCreateParams = Undefinable<Schemas["WebhookEndpointCreateInput"]>;
export type WebhookEndpointUpdateParams = Undefinable<Schemas["WebhookEndpointUpdateInput"]>;
export type PatientSessionListParams = Query<"api.listPatientSessionsForPatient">;
export type ConnectionListParams = Query<"api.listFhirSources">;
export type PatientListParams = Query<"api.listPatients">;
export type PatientRecordsParams = Query<"api.getPatientRecords">;
export type WebhookEndpointListParams = Query<"api.listWebhooks">;
/** `delivered` is the string `"true"`/`"false"` on the wire; a boolean is accepted too. */
export type WebhookEventListParams = Omit<Query<"api.listWebhookEvents">, "delivered"> & {
  delivered?: boolean | NonNullable<Query<"api.listWebhookEvents">["delivered"]> | undefined;
};

/** A delivered webhook body of a type the spec describes. */
export type KnownWebhookEvent =
  | Models.PatientSessionCompletedEvent
  | Models.ConnectionTokenRefreshFailedEvent
  | Models.RecordsSyncCompletedEvent
  | Models.RecordsSyncFailedEvent;
/**
 * The `type` of an event this version of the client does not know. At run
 * time it is the string that was sent; it is typed as this marker so that it
 * matches no `case` of a known type: TypeScript then narrows the known events
 * exactly and leaves `UnknownWebhookEvent` to a `default:` branch. Read it
 * with `String(event.type)`.
 */
export interface UnknownWebhookEventType {
  readonly "an event type this client does not know: read it with String(event.type)": true;
}
/** A delivered event of a type the API added after this client was built; `data.object` is whatever was sent. */
export interface UnknownWebhookEvent extends Omit<Models.PatientSessionCompletedEvent, "type" | "data"> {
  type: UnknownWebhookEventType;
  data: { object: { [key: string]: unknown } };
}
/** A delivered webhook body, discriminated by `type`: `data.object` narrows with it. */
export type WebhookEvent = KnownWebhookEvent | UnknownWebhookEvent;

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
