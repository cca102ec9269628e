/**
 * Every fact the sandbox takes from the spec, read from generated/ through
 * lib/spec/: the bundled document (responses, defaults, examples, the error
 * catalog) and the operations table (method, path and request rules per
 * operationId). Bundled into dist/ by the build, so the packed package
 * carries the spec.
 */
import { API_VERSION, ERROR_TYPES, ID_PREFIXES, KEY_PREFIXES, operations } from "../../generated/schemas.js";
import type { components } from "../../generated/api.js";
import { deref, documentedStatuses, operationIds, operationObject, spec, type Json, type OperationId } from "../../lib/spec/document.js";

export { API_VERSION, ID_PREFIXES, KEY_PREFIXES, operations };
export { deref, documentedStatuses, operationIds, operationObject, spec, type Json, type OperationId };

export type Schemas = components["schemas"];
export type ErrorCode = Schemas["ErrorCode"];
export type ErrorType = Schemas["ErrorType"];

/** Whether the operation needs an API key: it declares a 401 (`/health` declares none and is answered without one). */
export function isAuthenticated(operationId: OperationId): boolean {
  return "401" in operationObject(operationId).responses;
}

const defaults = new Map<string, unknown>();
const remembered = (key: string, find: () => unknown): unknown => {
  if (!defaults.has(key)) defaults.set(key, find());
  return defaults.get(key);
};

/** A query parameter's `default` in the spec (`limit` 10, `count` 100). */
export const parameterDefault = (operationId: OperationId, name: string): unknown =>
  remembered(`${operationId} ?${name}`, () => {
    const parameters: Json[] = (operationObject(operationId).parameters ?? []).map(deref);
    return parameters.find((parameter) => parameter.name === name)?.schema?.default;
  });

/** A body field's `default` in the spec (`expires_in` 1800). */
export const bodyDefault = (operationId: OperationId, field: string): unknown =>
  remembered(`${operationId} .${field}`, () => {
    const body = operationObject(operationId).requestBody;
    const schema = body && deref(deref(body).content["application/json"].schema);
    return schema?.properties?.[field]?.default;
  });

export interface ErrorStatus {
  type: ErrorType;
  /** The codes the spec's examples show for the status; the first is the default. */
  codes: ErrorCode[];
}

/**
 * The error catalog as far as the spec states it: each error status's
 * `type` (generated from the spec's error responses) and example codes, from
 * the named examples of every declared error response.
 */
function errorCatalog(): Map<number, ErrorStatus> {
  const statuses = new Map<number, ErrorStatus>();
  for (const operationId of operationIds) {
    for (const [status, response] of Object.entries<Json>(operationObject(operationId).responses)) {
      const examples = deref(response).content?.["application/json"]?.examples ?? {};
      for (const example of Object.values<Json>(examples)) {
        const error = deref(example).value?.error;
        if (!error) continue;
        const entry: ErrorStatus = statuses.get(Number(status)) ?? { type: ERROR_TYPES[status as keyof typeof ERROR_TYPES], codes: [] };
        if (!entry.codes.includes(error.code)) entry.codes.push(error.code);
        statuses.set(Number(status), entry);
      }
    }
  }
  return statuses;
}

export const ERROR_STATUSES = errorCatalog();

/** The operation's first documented 200 example: the answer of an operation the sandbox has no handler for yet. */
export function documentedAnswer(operationId: OperationId): unknown {
  const examples = deref(deref(operationObject(operationId).responses["200"]).content["application/json"]).examples as Json;
  return deref(Object.values(examples)[0]!).value;
}
