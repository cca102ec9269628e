/**
 * medblocks-sandbox: a local, stateful emulator of the Medblocks API, with
 * the hosted page at each session's `url` and signed webhook delivery.
 * `createSandbox()` for tests in this process; `startServer()` (or the
 * `medblocks-sandbox` command) for a server.
 */
export {
  createSandbox,
  type CompleteOptions,
  DEFAULT_BASE_URL,
  type DeliveryFault,
  type Fault,
  type LaunchOptions,
  type OperationFault,
  type Sandbox,
  type SandboxControls,
  type SandboxOptions,
} from "./sandbox.js";
export { startServer, DEFAULT_HOST, DEFAULT_PORT, type SandboxServer, type ServerOptions } from "./http/server.js";
export { OUTCOMES, OUTCOME_NAMES, type Outcome, type OutcomeName } from "./domain/outcomes.js";
export { ApiError as SandboxError } from "./errors.js";
export { PATIENT_ID_SYSTEM } from "./fhir/generate.js";
export { CATALOG } from "./domain/catalog.js";
export type { RequestLogEntry } from "./http/reply.js";
export type { TriggerResult } from "./control/operations.js";
export type { Forwarding } from "./webhooks/forward.js";
export { RETRY_DELAYS_MS, MAX_ATTEMPTS } from "./webhooks/schedule.js";
export type { DeliveryLogEntry } from "./webhooks/deliveries.js";
export type { DeliveryFetch } from "./webhooks/send.js";
export type { WorkspaceExport } from "./state/store.js";
export { SANDBOX_VERSION } from "./version.js";
