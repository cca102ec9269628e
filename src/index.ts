/**
 * medblocks-client: a typed client for the Medblocks patient-access API.
 */
export { Medblocks, Medblocks as default } from "./client.js";
export {
  MedblocksError,
  MedblocksConnectionError,
  isMedblocksError,
  type ConnectionFailure,
  type MedblocksClientErrorCode,
} from "./errors.js";
export { ListPromise } from "./pagination.js";
export {
  parseReturnUrl,
  buildReturnUrl,
  MedblocksReturnUrlError,
  type ReturnUrlFailure,
  type ReturnUrlInput,
  type ReturnUrlParams,
} from "./return-url.js";
export type { ExpectedReturn, PatientSessionResource, ReturnOutcome, VerifiedReturn } from "./resources/patient-session.js";
export type { PatientConnectionRef, PatientsResource } from "./resources/patients.js";
export type { WebhooksResource } from "./resources/webhooks.js";
export type { Method, ResourceMethods } from "./resources/methods.js";
export {
  MedblocksSignatureError,
  DEFAULT_TOLERANCE_SECONDS,
  type SignatureFailure,
  type ConstructEventOptions,
  type RawBody,
} from "./webhook-signature.js";
export type { MedblocksOptions, RequestOptions } from "./options.js";
export type { MedblocksLogEntry, MedblocksLogger } from "./logger.js";
export { APIPromise, type WithResponse } from "./api-promise.js";
export type { AnyPage, AutoPagingOptions } from "./pagination.js";
export type * from "./types.js";
