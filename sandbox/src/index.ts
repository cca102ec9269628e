/**
 * medblocks-sandbox: a local, stateful emulator of the Medblocks API.
 * `createSandbox()` for tests in this process; `startServer()` (or the
 * `medblocks-sandbox` command) for a server.
 */
export { createSandbox, DEFAULT_BASE_URL, type Fault, type LaunchOptions, type Sandbox, type SandboxControls, type SandboxOptions } from "./sandbox.js";
export { startServer, DEFAULT_HOST, DEFAULT_PORT, type SandboxServer, type ServerOptions } from "./server.js";
export { OUTCOMES, OUTCOME_NAMES, type Outcome, type OutcomeName } from "./domain/outcomes.js";
export { ApiError as SandboxError } from "./errors.js";
export { PATIENT_ID_SYSTEM } from "./records/generate.js";
export { CATALOG } from "./catalog.js";
export type { RequestLogEntry } from "./pipeline.js";
export type { WorkspaceExport } from "./state/store.js";
export { SANDBOX_VERSION } from "./version.js";
