/**
 * What is wrong with one response, judged by the spec alone, with the one
 * response check of lib/spec/ (the sandbox's too): the status, the declared
 * headers, the JSON body and the envelope's promises. Here each problem
 * becomes a finding: where, what, and what makes two of them the same drift.
 */
import { createSpecAjv, once } from "../../lib/spec/ajv.js";
import { responseCheck, type ResponseProblem } from "../../lib/spec/responses.js";
import { bodyIssues, type Issue } from "./issues.js";
import type { OperationId } from "./spec.js";

// Every error, not the first: a finding each, so one run names all the drift.
const check = responseCheck(once(() => createSpecAjv({ allErrors: true })));

/** A response as received: its status, headers, and body text (undefined when it could not be read). */
export interface Received {
  status: number;
  headers: Headers;
  text: string;
}

const issue = (where: string, message: string, rule = message): Issue => ({ where, message, key: `${where} ${rule}` });
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

function issuesOf(problem: ResponseProblem, received: Received, body: { json: unknown } | undefined): Issue[] {
  const { status, headers, text } = received;
  switch (problem.kind) {
    case "status":
      return [
        issue("status", `is not documented for this operation (documented: ${problem.documented.join(", ")})`, `${status} undocumented`),
      ];
    case "header missing":
      return [issue(`header ${problem.header}`, "is missing: the spec declares it on this response", "missing")];
    case "header invalid":
      return [issue(`header ${problem.header}`, problem.error?.message ?? "breaks its schema", "invalid")];
    case "no json": {
      const contentType = headers.get("content-type") ?? "";
      const what = text.trim() === "" ? "is empty" : `is not JSON (Content-Type: ${shortened(contentType) || "none"})`;
      return [issue("(body)", `${what}; the spec documents a JSON body`, "not json")];
    }
    case "media type":
      return [issue("header Content-Type", `must be application/json (got ${shortened(problem.contentType) || "none"})`, "media type")];
    case "body":
      return bodyIssues(problem.errors, body!.json, problem.schema);
    case "error type":
      return [issue("/error/type", `must be "${problem.expected}" for status ${status}`, `type for ${status}`)];
    case "request id":
      return [issue("/error/request_id", "must equal the X-Request-Id header", "request id")];
  }
}

/** Everything wrong with `received` as an answer of `operationId`: an empty list when the spec allows it. */
export function responseIssues(operationId: OperationId, received: Received): Issue[] {
  const body = parseBody(received.text);
  return check(operationId, { status: received.status, headers: received.headers, body }).flatMap((problem) =>
    issuesOf(problem, received, body),
  );
}
