/**
 * medblocks-contract: checks any server of the Medblocks patient-access API
 * against the OpenAPI spec the typed client was generated from. The
 * `medblocks-contract` command for CI; `runContract()` for a test that has
 * its own server (an in-process sandbox's `fetch`, say).
 */
export { runContract, ContractOptionError, type ContractOptions } from "./contract.js";
export type { ContractReport, Finding, Row, StopCode, Warning } from "./report.js";
export type { FetchLike } from "./http.js";
export { formatSummary } from "./summary.js";
export { toJUnit } from "./junit.js";
export { CONTRACT_VERSION } from "./version.js";
