/**
 * Every fact the contract check takes from the spec, read from generated/:
 * the bundled document (responses, their schemas and headers) and the
 * operations table (method, path, parameters and body rules per
 * operationId), the error type per status and the API version. Bundled into
 * dist/ by the build, so the packed package carries the spec it checks
 * against.
 */
import openapi from "../../generated/openapi.json" with { type: "json" };
import { API_VERSION, ERROR_TYPES, operations } from "../../generated/schemas.js";
import { deref, type Json } from "../../scripts/lib/openapi.js";

export { API_VERSION, ERROR_TYPES, operations };
export type { Json };

export type OperationId = keyof typeof operations;

/** A parameter's rule as the operations table holds it. */
export interface ParamRule {
  in: "path" | "query" | "header";
  required: boolean;
  schema: Json;
}

/** The bundled OpenAPI document. */
export const spec: Json = openapi;

/** Every operationId, in the table's order. */
export const operationIds = Object.keys(operations) as OperationId[];

/** `GET /patients/{id}`: how an operation is named in findings and tables. */
export const operationLabel = (operationId: OperationId): string => `${operations[operationId].method} ${operations[operationId].path}`;

/** The operation's parameters by name. */
export const paramsOf = (operationId: OperationId): Record<string, ParamRule> => operations[operationId].params as Record<string, ParamRule>;

/** The operation's body rule, if it takes a body. */
export const bodyOf = (operationId: OperationId): { required: boolean; schema: Json } | undefined =>
  (operations[operationId] as { body?: { required: boolean; schema: Json } }).body;

/** Whether the operation is a list that pages (`paginated` in the table). */
export const isPaginated = (operationId: OperationId): boolean => (operations[operationId] as { paginated?: boolean }).paginated === true;

/** The statuses the operation documents, ascending. */
export function documentedStatuses(operationId: OperationId): number[] {
  const { method, path } = operations[operationId];
  return Object.keys(spec.paths[path][method.toLowerCase()].responses)
    .map(Number)
    .sort((a, b) => a - b);
}

const escapePointer = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * The JSON pointer (`#/…`) of the response the operation documents for
 * `status`, after its `$ref`s (so Ajv can be pointed at its schema), or
 * undefined when the status is not documented.
 */
export function responsePointer(operationId: OperationId, status: number): string | undefined {
  const { method, path } = operations[operationId];
  const operation = spec.paths[path][method.toLowerCase()];
  let node: Json | undefined = operation.responses[String(status)];
  if (!node) return undefined;
  let pointer = `#/paths/${escapePointer(path)}/${method.toLowerCase()}/responses/${status}`;
  while (typeof node?.$ref === "string") {
    pointer = node.$ref;
    node = deref(spec, { $ref: pointer });
  }
  return pointer;
}

/** The response object at a pointer from `responsePointer`. */
export const responseAt = (pointer: string): Json => deref(spec, { $ref: pointer });

export { deref };
