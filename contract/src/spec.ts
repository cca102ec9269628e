/**
 * Every fact the contract check takes from the spec, read from generated/
 * (the document through lib/spec/): the operations table (method, path,
 * parameters and body rules per operationId), the API version, its base URL
 * and the key prefixes. Bundled into dist/ by the build, so the packed
 * package carries the spec it checks against; responses are judged by
 * lib/spec/responses.ts (validate.ts).
 */
import { API_VERSION, KEY_PREFIXES, operations, SERVER_URL } from "../../generated/schemas.js";
import { operationIds, spec, type Json, type OperationId } from "../../lib/spec/document.js";

export { API_VERSION, KEY_PREFIXES, SERVER_URL, operationIds, operations, spec, type Json, type OperationId };

/** A parameter's rule as the operations table holds it. */
export interface ParamRule {
  in: "path" | "query" | "header";
  required: boolean;
  schema: Json;
}

/** `GET /patients/{id}`: how an operation is named in findings and tables. */
export const operationLabel = (operationId: OperationId): string => `${operations[operationId].method} ${operations[operationId].path}`;

/** The operation's parameters by name. */
export const paramsOf = (operationId: OperationId): Record<string, ParamRule> =>
  operations[operationId].params as Record<string, ParamRule>;

/** The operation's body rule, if it takes a body. */
export const bodyOf = (operationId: OperationId): { required: boolean; schema: Json } | undefined =>
  (operations[operationId] as { body?: { required: boolean; schema: Json } }).body;

/** Whether the operation is a list that pages (`paginated` in the table). */
export const isPaginated = (operationId: OperationId): boolean => (operations[operationId] as { paginated?: boolean }).paginated === true;
