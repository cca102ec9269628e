/**
 * What is wrong with one response, judged by the spec alone: the status is
 * one the operation documents; the body is JSON valid against that status's
 * schema; every header the response declares is there and fits its schema
 * (the spec's conventions: every response carries `X-Request-Id`, a 429
 * carries `Retry-After`); an error envelope's `type` is the one its status
 * carries (`x-medblocks-error-type`) and its `request_id` repeats the
 * `X-Request-Id` header.
 */
import type { ValidateFunction } from "ajv";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { bodyIssues, type Issue } from "./issues.js";
import { deref, documentedStatuses, ERROR_TYPES, responseAt, responsePointer, spec, type Json, type OperationId } from "./spec.js";

// `strict: false`: the spec's schemas carry OpenAPI annotations (`example`) that are not JSON Schema keywords.
// `verbose`: errors carry their schema, so a missing field's object can be compared with what the schema names.
const ajv = new Ajv2020.default({ strict: false, allErrors: true, verbose: true });
addFormats.default(ajv);
ajv.addSchema({ ...spec, $id: "spec" }, undefined, undefined, false);

interface HeaderRule {
  name: string;
  validate: ValidateFunction;
  integer: boolean;
}

interface ResponseRule {
  body: ValidateFunction | undefined;
  /** The body's schema, for naming what a drifting object holds. */
  schema: Json;
  headers: HeaderRule[];
}

const rules = new Map<string, ResponseRule | null>();

function compile(operationId: OperationId, status: number): ResponseRule | null {
  const pointer = responsePointer(operationId, status);
  if (pointer === undefined) return null;
  const response = responseAt(pointer);
  const schema: Json = response.content?.["application/json"]?.schema ?? {};
  const body = response.content?.["application/json"] ? ajv.compile({ $ref: `spec${pointer}/content/application~1json/schema` }) : undefined;
  const headers = Object.entries<Json>(response.headers ?? {}).map(([name, header]) => {
    const schema = deref(spec, deref(spec, header).schema);
    return { name, validate: ajv.compile(schema), integer: schema.type === "integer" };
  });
  return { body, schema, headers };
}

function ruleFor(operationId: OperationId, status: number): ResponseRule | null {
  const key = `${operationId} ${status}`;
  let rule = rules.get(key);
  if (rule === undefined) rules.set(key, (rule = compile(operationId, status)));
  return rule;
}

/** A response as received: its status, headers, and body text (undefined when it could not be read). */
export interface Received {
  status: number;
  headers: Headers;
  text: string;
}

const issue = (where: string, message: string, rule = message): Issue => ({ where, message, key: `${where} ${rule}` });
// The spec documents `application/json` only (its error envelope says: not RFC 9457's problem+json).
const isJsonType = (contentType: string) => /^application\/json\s*(?:;|$)/i.test(contentType);
const shortened = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);

/** The parsed body: `{ json }`, or `undefined` for an empty or non-JSON body. */
export function parseBody(text: string): { json: unknown } | undefined {
  if (text.trim() === "") return undefined;
  try {
    return { json: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** Everything wrong with `received` as an answer of `operationId`: an empty list when the spec allows it. */
export function responseIssues(operationId: OperationId, received: Received): Issue[] {
  const { status, headers, text } = received;
  const rule = ruleFor(operationId, status);
  if (rule === null) {
    return [issue("status", `is not documented for this operation (documented: ${documentedStatuses(operationId).join(", ")})`, `${status} undocumented`)];
  }
  const issues: Issue[] = [];
  for (const header of rule.headers) {
    const value = headers.get(header.name);
    if (value === null) {
      issues.push(issue(`header ${header.name}`, "is missing: the spec declares it on this response", "missing"));
      continue;
    }
    const parsed = header.integer && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    if (!header.validate(parsed)) issues.push(issue(`header ${header.name}`, header.validate.errors?.[0]?.message ?? "breaks its schema", "invalid"));
  }
  if (!rule.body) return issues;
  const contentType = headers.get("content-type") ?? "";
  const body = parseBody(text);
  if (body === undefined) {
    const what = text.trim() === "" ? "is empty" : `is not JSON (Content-Type: ${shortened(contentType) || "none"})`;
    issues.push(issue("(body)", `${what}; the spec documents a JSON body`, "not json"));
    return issues;
  }
  if (!isJsonType(contentType)) issues.push(issue("header Content-Type", `must be application/json (got ${shortened(contentType) || "none"})`, "media type"));
  if (!rule.body(body.json)) {
    issues.push(...bodyIssues(rule.body.errors ?? [], body.json, rule.schema));
    return issues;
  }
  if (status >= 400) issues.push(...envelopeIssues(status, body.json, headers.get("x-request-id")));
  return issues;
}

/** The envelope's promises the schema cannot state: `type` follows the status, `request_id` the header. */
function envelopeIssues(status: number, body: unknown, requestId: string | null): Issue[] {
  const error = (body as { error?: { type?: unknown; request_id?: unknown } }).error;
  if (!error) return [];
  const issues: Issue[] = [];
  const expected = ERROR_TYPES[String(status) as keyof typeof ERROR_TYPES] as string | undefined;
  if (expected !== undefined && error.type !== expected) issues.push(issue("/error/type", `must be "${expected}" for status ${status}`, `type for ${status}`));
  if (requestId !== null && error.request_id !== requestId) issues.push(issue("/error/request_id", "must equal the X-Request-Id header", "request id"));
  return issues;
}
