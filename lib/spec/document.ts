/**
 * The spec the sandbox and the contract check carry: the bundled document
 * (generated/openapi.json, which each package's build bundles into its
 * dist/) with the walker of openapi.ts bound to it, and the operations
 * table. Never imported by the client: it reads the generated tables only.
 */
import openapi from "../../generated/openapi.json" with { type: "json" };
import { operations } from "../../generated/schemas.js";
import { deref as derefIn, escapeSegment, located, resolve as resolveIn, type Json } from "./openapi.js";

export type { Json };
export type OperationId = keyof typeof operations;

/** The bundled OpenAPI document. */
export const spec: Json = openapi;

/** Every operationId, in the table's order. */
export const operationIds = Object.keys(operations) as OperationId[];

/** The value at a local JSON pointer of the spec (`#/components/schemas/Patient`); throws, naming it, when there is none. */
// biome-ignore lint/suspicious/noExplicitAny: a spec node is read by path, its shape known only to the caller.
export const resolve = (pointer: string): any => resolveIn(spec, pointer);

/** `node` with its `$ref`s into the spec followed until a concrete object is reached. */
export const deref = <T = Json>(node: Json): T => derefIn(spec, node) as T;

/** The JSON pointer of the operation's entry in the spec: `#/paths/~1patients~1{id}/get`. */
export function operationPointer(operationId: OperationId): string {
  const { method, path } = operations[operationId];
  return `#/paths/${escapeSegment(path)}/${method.toLowerCase()}`;
}

/** The operation's entry in the spec. */
export const operationObject = (operationId: OperationId): Json => resolve(operationPointer(operationId));

/** The statuses the operation documents, ascending. */
export const documentedStatuses = (operationId: OperationId): number[] =>
  Object.keys(operationObject(operationId).responses)
    .map(Number)
    .sort((a, b) => a - b);

/**
 * The response the operation documents for `status`, after its `$ref`s,
 * with its JSON pointer (so a validator can be pointed at its parts), or
 * undefined when the status is not documented.
 */
export const documentedResponse = (operationId: OperationId, status: number): { pointer: string; node: Json } | undefined =>
  located(spec, `${operationPointer(operationId)}/responses/${status}`);
