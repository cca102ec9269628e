/**
 * Checks a request against its operation's rules in the operations table
 * (generated/schemas.ts): path parameters, the query (unknown or repeated
 * parameters included), the `Version` header and the JSON body. Query
 * values arrive as text and are read as the schema's type first.
 */
import type { ValidateFunction } from "ajv";
import { ApiError } from "../errors.js";
import { operations, type OperationId } from "../spec.js";
import { ajv } from "./ajv.js";
import { issueError } from "./issues.js";

interface ParamRule {
  in: string;
  required: boolean;
  schema: Record<string, unknown>;
}

interface Compiled {
  path: [string, ValidateFunction][];
  query: Map<string, { validate: ValidateFunction; integer: boolean }>;
  version: ValidateFunction | undefined;
  body: { required: boolean; validate: ValidateFunction } | undefined;
}

const compiled = new Map<OperationId, Compiled>();

function compile(operationId: OperationId): Compiled {
  const rules = operations[operationId] as { params: Record<string, ParamRule>; body?: { required: boolean; schema: object } };
  const result: Compiled = { path: [], query: new Map(), version: undefined, body: undefined };
  for (const [name, rule] of Object.entries(rules.params)) {
    const validate = ajv().compile(rule.schema);
    if (rule.in === "path") result.path.push([name, validate]);
    else if (rule.in === "query") result.query.set(name, { validate, integer: rule.schema.type === "integer" });
    else if (rule.in === "header" && name === "Version") result.version = validate;
    else throw new Error(`${operationId}: parameter ${name} in ${rule.in} is not supported by the sandbox`);
  }
  if (rules.body) result.body = { required: rules.body.required, validate: ajv().compile(rules.body.schema) };
  return result;
}

function rulesOf(operationId: OperationId): Compiled {
  let rules = compiled.get(operationId);
  if (!rules) compiled.set(operationId, (rules = compile(operationId)));
  return rules;
}

/** Whether the operation takes a `Version` header. */
export const takesVersion = (operationId: OperationId): boolean => rulesOf(operationId).version !== undefined;

/** Checks the `Version` header's form (a date); whether the version is supported is the caller's question. */
export function checkVersion(operationId: OperationId, version: string): void {
  const validate = rulesOf(operationId).version!;
  if (!validate(version)) throw issueError(validate.errors!, version, "Version", "`Version`");
}

/** Checks the path parameters (already decoded). */
export function checkPath(operationId: OperationId, path: Record<string, string>): void {
  for (const [name, validate] of rulesOf(operationId).path) {
    if (!validate(path[name])) throw issueError(validate.errors!, path[name], name, `\`${name}\``);
  }
}

/** The query as the schema's types; unknown, repeated and malformed parameters are refused. */
export function parseQuery(operationId: OperationId, search: URLSearchParams): Record<string, string | number> {
  const rules = rulesOf(operationId).query;
  const query: Record<string, string | number> = {};
  for (const [name, text] of search) {
    const rule = rules.get(name);
    if (!rule) {
      const known = [...rules.keys()];
      throw new ApiError(
        400,
        "bad_request",
        `\`${name}\` is not a known parameter (known: ${known.length ? known.join(", ") : "none"}).`,
        name,
      );
    }
    if (Object.hasOwn(query, name)) throw new ApiError(400, "bad_request", `\`${name}\` must be given once.`, name);
    const value = rule.integer && /^-?\d{1,15}$/.test(text) ? Number(text) : text;
    if (!rule.validate(value)) throw issueError(rule.validate.errors!, value, name, `\`${name}\``);
    query[name] = value;
  }
  return query;
}

/** Largest body the sandbox reads; larger ones are answered 413 `payload_too_large`. */
export const MAX_BODY_BYTES = 1_000_000;

/**
 * The JSON body, checked; undefined when the operation takes none (a body
 * sent anyway is ignored) or when an optional body was left out.
 */
export function parseBody(operationId: OperationId, text: string): unknown {
  const rule = rulesOf(operationId).body;
  if (!rule) return undefined;
  if (text.trim() === "") {
    if (rule.required) throw new ApiError(400, "bad_request", "The request body is required: a JSON object.");
    return undefined;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, "bad_request", "The request body is not valid JSON.");
  }
  if (!rule.validate(body)) throw issueError(rule.validate.errors!, body, "", "The request body");
  return body;
}

/** Whether the operation reads a body at all. */
export const takesBody = (operationId: OperationId): boolean => rulesOf(operationId).body !== undefined;
