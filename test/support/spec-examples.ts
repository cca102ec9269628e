/**
 * Valid input for every operation, from the spec's own examples: its path
 * values, its request body, its documented responses. Shared by the unit and
 * the contract tests, so no test retypes what the spec already shows, and a
 * new operation is called with no test edit at all.
 */
import { readFileSync } from "node:fs";
import { operations } from "../../generated/schemas.js";
import { deref, type Json } from "../../lib/spec/openapi.js";
import type { Medblocks, RequestOptions } from "../../src/index.js";
import { callShape } from "../../src/resources/methods.js";

export type OperationId = keyof typeof operations;
export const operationIds = Object.keys(operations) as OperationId[];

/** The bundled spec. */
export const spec: Json = JSON.parse(readFileSync(new URL("../../generated/openapi.json", import.meta.url), "utf8"));

const operationObject = (id: OperationId): Json => spec.paths[operations[id].path][operations[id].method.toLowerCase()];

/** The value each path parameter shows in the spec (the parameter's example, else its schema's), in path order. */
export function pathValues(id: OperationId): string[] {
  const parameters: Json[] = (operationObject(id).parameters ?? []).map((parameter: Json) => deref(spec, parameter));
  return callShape(operations[id]).pathParams.map((name) => {
    const parameter = parameters.find((candidate) => candidate.name === name && candidate.in === "path");
    const value = parameter?.example ?? (parameter && deref(spec, parameter.schema).example);
    if (typeof value !== "string") throw new Error(`${id}: path parameter ${name} has no example in the spec`);
    return value;
  });
}

/** The request body example `name` of the operation (its first when no name is given). */
export function requestExample<T = unknown>(id: OperationId, name?: string): T {
  const body = operationObject(id).requestBody;
  if (!body) throw new Error(`${id} takes no body`);
  const examples = deref(spec, body).content["application/json"].examples as Json;
  const example = name === undefined ? Object.values(examples)[0] : examples[name];
  if (!example) throw new Error(`${id}: no request example ${name ?? ""}`);
  return deref(spec, example).value as T;
}

/** The response example `name` of the operation for `status` (its first when no name is given). */
export function responseExample<T = unknown>(id: OperationId, status = 200, name?: string): T {
  const response = deref(spec, operationObject(id).responses[String(status)]);
  const examples = response.content["application/json"].examples as Json;
  const example = name === undefined ? Object.values(examples)[0] : examples[name];
  if (!example) throw new Error(`${id} ${status}: no response example ${name ?? ""}`);
  return deref(spec, example).value as T;
}

/**
 * Calls operation `id` through the client method the spec names for it, with
 * the spec's example path values and body (a list is asked for its first page).
 */
export function exampleCall(mb: Medblocks, id: OperationId, options: RequestOptions = {}): PromiseLike<unknown> {
  const { resource, name } = operations[id];
  const { input } = callShape(operations[id]);
  const target = (resource === "" ? mb : (mb as unknown as Record<string, object>)[resource]) as Record<
    string,
    (...args: unknown[]) => PromiseLike<unknown>
  >;
  const args: unknown[] = [...pathValues(id)];
  if (input === "body") args.push(requestExample(id));
  else if (input === "query") args.push({});
  return target[name]!(...args, options);
}
