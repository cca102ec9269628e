/**
 * Checks a request against its operation's rules in generated/schemas.ts
 * before anything is sent, and throws a MedblocksError naming the field and
 * the rule — the same `type`, `code` and `param` the server would answer,
 * with `statusCode` null because nothing was sent.
 */
import { operations } from "../generated/schemas.js";
import { MedblocksError } from "./errors.js";
import { check, isObject, type Issue, type Schema } from "./rules.js";

export type OperationId = keyof typeof operations;

export interface RequestParts {
  path?: Record<string, unknown> | undefined;
  query?: object | undefined;
  header?: Record<string, unknown> | undefined;
  body?: unknown;
}

interface ParamRule {
  in: string;
  required: boolean;
  schema: Schema;
}

/** Missing or unknown fields and wrong types are malformed requests; the rest are invalid values. */
const MALFORMED = new Set(["required", "additionalProperties", "type"]);

export function validationError(label: string, found: Issue): MedblocksError {
  const subject = found.path ? `\`${found.path}\`` : "the request body";
  return new MedblocksError({
    type: "invalid_request_error",
    code: MALFORMED.has(found.rule) ? "bad_request" : "invalid_data",
    message: `${label}: ${subject} ${found.message}`,
    param: found.path || null,
  });
}

type Rules = { params: Record<string, ParamRule>; body?: { required: boolean; schema: Schema } };
const paramLists = new Map<OperationId, [string, ParamRule][]>();

function findIssue(operationId: OperationId, parts: RequestParts): Issue | undefined {
  const rules = operations[operationId] as Rules;
  if (parts.query != null && !isObject(parts.query)) return { path: "params", rule: "type", message: "must be an object" };
  let params = paramLists.get(operationId);
  if (!params) paramLists.set(operationId, (params = Object.entries(rules.params)));
  for (const [name, rule] of params) {
    const value = (parts[rule.in as "path" | "query" | "header"] as Record<string, unknown> | undefined)?.[name];
    if (value === undefined) {
      if (rule.required) return { path: name, rule: "required", message: "is required" };
      continue;
    }
    // "." and ".." are path segments no encoding can protect: URL parsers
    // resolve them (even as %2E%2E), which would change the request path.
    if (rule.in === "path" && (value === "." || value === "..")) {
      return { path: name, rule: "pattern", message: "cannot be `.` or `..`" };
    }
    const found = check(rule.schema, value, name);
    if (found) return found;
  }
  const query = parts.query as Record<string, unknown> | null | undefined;
  const unknown = query ? Object.keys(query).find((name) => query[name] !== undefined && rules.params[name]?.in !== "query") : undefined;
  if (unknown !== undefined) {
    const allowed = Object.keys(rules.params).filter((name) => rules.params[name]!.in === "query");
    return { path: unknown, rule: "additionalProperties", message: `is not a known parameter (known: ${allowed.join(", ")})` };
  }
  if (parts.body === undefined) {
    return rules.body?.required ? { path: "", rule: "required", message: "is required" } : undefined;
  }
  return rules.body ? check(rules.body.schema, parts.body, "") : undefined;
}

/** Throws the validation error for the first rule `parts` breaks. */
export function validateRequest(operationId: OperationId, label: string, parts: RequestParts): void {
  const found = findIssue(operationId, parts);
  if (found) throw validationError(label, found);
}
