/**
 * The only data the check sends of its own: fixed test values, marked as
 * the check's, and ids that cannot exist. A run id keeps two runs (or a run
 * and one that died before its clean-up) from meeting on the same server.
 */
import { paramsOf, type OperationId } from "./spec.js";

/** A key no server takes: not in the form of an API key at all. */
export const INVALID_KEY = "medblocks-contract-invalid-key";

/** A `Version` in the right form that no server supports (the API's versions are dates after 2026). */
export const UNSUPPORTED_VERSION = "1999-01-01";

/** A `Version` that is not a date. */
export const MALFORMED_VERSION = "not-a-date";

export interface TestValues {
  runId: string;
  patientId: string;
  email: string;
  name: string;
  metadata: Record<string, string>;
  returnUrl: string;
  webhookUrl: string;
  /**
   * The endpoint that sees the sandbox's events: loopback port 9 (discard),
   * which `fetch` refuses to connect to at all (a "bad port"), so a sandbox
   * that delivers fails at once and nothing leaves the machine. Only ever
   * registered with the sandbox.
   */
  sandboxWebhookUrl: string;
  description: string;
}

/** 8 lowercase hex characters from the platform's CSPRNG. */
export function newRunId(): string {
  return [...crypto.getRandomValues(new Uint8Array(4))].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

export function testValues(runId: string): TestValues {
  return {
    runId,
    patientId: `medblocks-contract-${runId}`,
    email: "medblocks-contract@example.com",
    name: "Medblocks Contract Check",
    metadata: { created_by: "medblocks-contract" },
    returnUrl: "https://example.com/medblocks-contract/return",
    webhookUrl: "https://example.com/medblocks-contract/webhook",
    sandboxWebhookUrl: "http://127.0.0.1:9/medblocks-contract/webhook",
    description: "Created by medblocks-contract; deleted when the check ends.",
  };
}

/**
 * A value for path parameter `name` of the operation that names nothing on
 * any server, in the form the parameter's schema asks for: its id prefix
 * (`^ps_…` → `ps_…`), a UUID for `format: uuid`, else a plain string.
 */
export function unknownId(operationId: OperationId, name: string, runId: string): string {
  const schema = paramsOf(operationId)[name]?.schema ?? {};
  if (schema.format === "uuid") return `00000000-0000-4000-8000-0000${runId}`;
  const prefix = typeof schema.pattern === "string" ? /^\^([a-z]+_)\[/.exec(schema.pattern)?.[1] : undefined;
  return prefix ? `${prefix}medblocks_contract_unknown_${runId}` : `medblocks-contract-unknown-${runId}`;
}
