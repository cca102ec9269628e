/**
 * Public types: every one an alias of, or derived from, a generated type.
 * A wrong shape is fixed in spec/ and regenerated, never here. Response
 * objects are interfaces extending the generated shape (adding nothing), so
 * that editors and type errors show their name instead of every field;
 * inputs take an explicit `undefined` for a field left out.
 */
import type { components, operations } from "../generated/api.js";
import type { Undefinable } from "./undefinable.js";

type Schemas = components["schemas"];
/** A generated schema by name, in the form an interface may extend. */
type Schema<Name extends keyof Schemas> = Schemas[Name];
type Query<Op extends keyof operations> = Undefinable<NonNullable<operations[Op]["parameters"]["query"]>>;

export interface PatientSession extends Schema<"PatientSession"> {}
export type PatientSessionStatus = Schemas["PatientSessionStatus"];
/** Input of `mb.patientSession.init`; `connection_id` and `recommended_connection_ids` exclude each other. */
export type PatientSessionInitParams = Undefinable<Schemas["PatientSessionInitInput"]>;
export interface SessionConnection extends Schema<"SessionConnection"> {}
export type ConnectionStatus = Schemas["ConnectionStatus"];
export interface Patient extends Schema<"Patient"> {}
export interface PatientDetail extends Schema<"PatientDetail"> {}
/** A patient's link to one EHR (`conn_` id), as listed on `PatientDetail.connections`. */
export interface PatientConnection extends Schema<"PatientConnection"> {}
/** A catalog EHR (`fhirsrc_` id), named `Connection` as in the official SDK. */
export interface Connection extends Schema<"FhirSource"> {}
export type FhirSource = Connection;
export interface Health extends Schema<"Health"> {}
export interface ErrorEnvelope extends Schema<"ErrorEnvelope"> {}
export type MedblocksErrorType = Schemas["ErrorType"];
export type MedblocksErrorCode = Schemas["ErrorCode"];

export type PatientCreateParams = Undefinable<Schemas["PatientCreateInput"]>;
/** Full replace: fields left out are cleared; `patient_id` must repeat the path's id. */
export type PatientUpdateParams = Undefinable<Schemas["PatientReplaceInput"]>;
export interface PatientDeleted extends Schema<"PatientDeleted"> {}
export interface ConnectionDisconnected extends Schema<"ConnectionDisconnected"> {}
export interface PatientRecords extends Schema<"PatientRecords"> {}
export interface PatientRecord extends Schema<"PatientRecord"> {}
export interface LaunchContext extends Schema<"LaunchContext"> {}
export interface WebhookEndpoint extends Schema<"WebhookEndpoint"> {}
/** Returned only by `create` and `rotateSecret`: the one time the `whsec_` secret is shown. */
export interface WebhookEndpointWithSecret extends Schema<"WebhookEndpointWithSecret"> {}
export type WebhookEndpointCreateParams = Undefinable<Schemas["WebhookEndpointCreateInput"]>;
export type WebhookEndpointUpdateParams = Undefinable<Schemas["WebhookEndpointUpdateInput"]>;
export interface WebhookEndpointDeleted extends Schema<"WebhookEndpointDeleted"> {}
export type WebhookEventType = Schemas["WebhookEventType"];
/** A delivery record of the management API (`resource_type: "event"`), as the official SDK names it. */
export interface WebhookEventRecord extends Schema<"WebhookEvent"> {}

export interface PatientSessionCompletedEvent extends Schema<"PatientSessionCompletedEvent"> {}
export interface ConnectionTokenRefreshFailedEvent extends Schema<"ConnectionTokenRefreshFailedEvent"> {}
export interface RecordsSyncCompletedEvent extends Schema<"RecordsSyncCompletedEvent"> {}
export interface RecordsSyncFailedEvent extends Schema<"RecordsSyncFailedEvent"> {}
/** A delivered webhook body of a type the spec describes. */
export type KnownWebhookEvent = PatientSessionCompletedEvent | ConnectionTokenRefreshFailedEvent | RecordsSyncCompletedEvent | RecordsSyncFailedEvent;
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
export interface UnknownWebhookEvent extends Omit<Schema<"PatientSessionCompletedEvent">, "type" | "data"> {
  type: UnknownWebhookEventType;
  data: { object: { [key: string]: unknown } };
}
/** A delivered webhook body, discriminated by `type`: `data.object` narrows with it. */
export type WebhookEvent = KnownWebhookEvent | UnknownWebhookEvent;

export type PatientSessionListParams = Query<"api.listPatientSessionsForPatient">;
export type ConnectionListParams = Query<"api.listFhirSources">;
export type PatientListParams = Query<"api.listPatients">;
export type PatientRecordsParams = Query<"api.getPatientRecords">;
export type WebhookEndpointListParams = Query<"api.listWebhooks">;
/** `delivered` is the string `"true"`/`"false"` on the wire; a boolean is accepted too. */
export type WebhookEventListParams = Omit<Query<"api.listWebhookEvents">, "delivered"> & {
  delivered?: boolean | NonNullable<Query<"api.listWebhookEvents">["delivered"]> | undefined;
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
