/**
 * Checks a response against what the spec declares for its operation and
 * status: the status is declared, the JSON body fits the schema, declared
 * headers are present when required and fit their schemas. Used by the
 * tests on every response and by `--strict` at run time.
 */
import type { ValidateFunction } from "ajv";
import { deref, operations, spec, type Json, type OperationId } from "../spec.js";
import { ajv } from "./ajv.js";

interface ResponseRule {
  body: ValidateFunction | undefined;
  headers: { name: string; required: boolean; validate: ValidateFunction; integer: boolean }[];
}

const rules = new Map<string, ResponseRule | null>();
const escape = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");

function lookup(pointer: string): Json | undefined {
  return pointer
    .slice(2)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<Json | undefined>((value, key) => value?.[key], spec);
}

function compile(operationId: OperationId, status: number): ResponseRule | null {
  const { method, path } = operations[operationId];
  let pointer = `#/paths/${escape(path)}/${method.toLowerCase()}/responses/${status}`;
  let response = lookup(pointer);
  if (!response) return null;
  while (typeof response?.$ref === "string") {
    pointer = response.$ref;
    response = lookup(pointer);
  }
  const body = response!.content?.["application/json"] ? ajv.compile({ $ref: `spec${pointer}/content/application~1json/schema` }) : undefined;
  const headers = Object.entries<Json>(response!.headers ?? {}).map(([name, header]) => {
    const resolved = deref(header);
    return { name, required: resolved.required === true, validate: ajv.compile(resolved.schema), integer: resolved.schema?.type === "integer" };
  });
  return { body, headers };
}

/**
 * What is wrong with a response of `operationId`: an empty list when it is
 * one the spec allows. `body` is the parsed JSON (undefined for none).
 */
export function responseViolations(operationId: OperationId, status: number, headers: Headers, body: unknown): string[] {
  const key = `${operationId} ${status}`;
  let rule = rules.get(key);
  if (rule === undefined) rules.set(key, (rule = compile(operationId, status)));
  if (rule === null) return [`${operationId} declares no ${status} response`];
  const problems: string[] = [];
  if (rule.body && !rule.body(body)) {
    for (const error of rule.body.errors ?? []) problems.push(`body${error.instancePath} ${error.message}`);
  }
  for (const header of rule.headers) {
    const text = headers.get(header.name);
    if (text === null) {
      if (header.required) problems.push(`header ${header.name} is required`);
      continue;
    }
    const value = header.integer && /^-?\d+$/.test(text) ? Number(text) : text;
    if (!header.validate(value)) problems.push(`header ${header.name} ${header.validate.errors?.[0]?.message}`);
  }
  return problems;
}
