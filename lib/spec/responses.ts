/**
 * The one check of a response against the spec, for the sandbox (its tests
 * and `--strict`) and the contract check: the status is one the operation
 * documents; every header the response declares is there (the spec's
 * convention: every response carries `X-Request-Id`, a 429 `Retry-After`)
 * and fits its schema; a documented JSON body is JSON, sent as
 * `application/json`, and fits its schema; an error envelope's `type` is
 * the one its status carries (`x-medblocks-error-type`) and its
 * `request_id` repeats `X-Request-Id`. What is wrong comes back as data;
 * each caller words it for its readers.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import { ERROR_TYPES } from "../../generated/schemas.js";
import type { Ajv2020 } from "./ajv.js";
import { deref, documentedResponse, documentedStatuses, type Json, type OperationId } from "./document.js";

/** A response as received: the body parsed as JSON (`{ json }`), or undefined when there is none or it is not JSON. */
export interface ReceivedResponse {
  status: number;
  headers: Headers;
  body: { json: unknown } | undefined;
}

/** One thing wrong with a response, in the order the check finds them. */
export type ResponseProblem =
  | { kind: "status"; documented: number[] }
  | { kind: "header missing"; header: string }
  | { kind: "header invalid"; header: string; error: ErrorObject | undefined }
  /** The spec documents a JSON body, and there is none, or it is not JSON. */
  | { kind: "no json" }
  | { kind: "media type"; contentType: string }
  /** Ajv's errors about the body, which was checked against `schema`. */
  | { kind: "body"; errors: ErrorObject[]; schema: Json }
  | { kind: "error type"; expected: string }
  | { kind: "request id" };

/** What the spec documents for one status of one operation. */
interface ResponseRule {
  body: { validate: ValidateFunction; schema: Json } | undefined;
  headers: { name: string; validate: ValidateFunction; integer: boolean }[];
}

/** The spec documents `application/json` only (its error envelope says: not RFC 9457's problem+json). */
export const isJsonType = (contentType: string): boolean => /^application\/json\s*(?:;|$)/i.test(contentType);

function compile(ajv: Ajv2020, operationId: OperationId, status: number): ResponseRule | null {
  const response = documentedResponse(operationId, status);
  if (response === undefined) return null;
  const { pointer, node } = response;
  const media = node.content?.["application/json"];
  const body = media
    ? { validate: ajv.compile({ $ref: `spec${pointer}/content/application~1json/schema` }), schema: media.schema ?? {} }
    : undefined;
  const headers = Object.entries<Json>(node.headers ?? {}).map(([name, header]) => {
    const schema = deref(deref(header).schema);
    return { name, validate: ajv.compile(schema), integer: schema.type === "integer" };
  });
  return { body, headers };
}

/**
 * The check, compiling with `ajv()` what each operation and status needs on
 * its first response (and keeping it).
 */
export function responseCheck(ajv: () => Ajv2020): (operationId: OperationId, response: ReceivedResponse) => ResponseProblem[] {
  const rules = new Map<string, ResponseRule | null>();
  const ruleFor = (operationId: OperationId, status: number): ResponseRule | null => {
    const key = `${operationId} ${status}`;
    let rule = rules.get(key);
    if (rule === undefined) rules.set(key, (rule = compile(ajv(), operationId, status)));
    return rule;
  };
  return (operationId, { status, headers, body }) => {
    const rule = ruleFor(operationId, status);
    if (rule === null) return [{ kind: "status", documented: documentedStatuses(operationId) }];
    const problems: ResponseProblem[] = [];
    for (const header of rule.headers) {
      const text = headers.get(header.name);
      if (text === null) {
        problems.push({ kind: "header missing", header: header.name });
        continue;
      }
      const value = header.integer && /^-?\d+$/.test(text.trim()) ? Number(text) : text;
      if (!header.validate(value)) problems.push({ kind: "header invalid", header: header.name, error: header.validate.errors?.[0] });
    }
    if (!rule.body) return problems;
    if (body === undefined) return [...problems, { kind: "no json" }];
    const contentType = headers.get("content-type") ?? "";
    if (!isJsonType(contentType)) problems.push({ kind: "media type", contentType });
    if (!rule.body.validate(body.json))
      return [...problems, { kind: "body", errors: [...(rule.body.validate.errors ?? [])], schema: rule.body.schema }];
    if (status >= 400) problems.push(...envelopeProblems(status, body.json, headers.get("x-request-id")));
    return problems;
  };
}

/** The envelope's promises the schema cannot state: `type` follows the status, `request_id` the header. */
function envelopeProblems(status: number, body: unknown, requestId: string | null): ResponseProblem[] {
  const error = (body as { error?: { type?: unknown; request_id?: unknown } } | null)?.error;
  if (!error) return [];
  const problems: ResponseProblem[] = [];
  const expected = ERROR_TYPES[String(status) as keyof typeof ERROR_TYPES] as string | undefined;
  if (expected !== undefined && error.type !== expected) problems.push({ kind: "error type", expected });
  if (requestId !== null && error.request_id !== requestId) problems.push({ kind: "request id" });
  return problems;
}
