/**
 * Checks a response of the sandbox against what the spec declares for its
 * operation and status, with the one response check of lib/spec/: used by
 * the tests on every response and by `--strict` at run time. Problems come
 * back as short sentences for the sandbox's log and the tests' failures.
 */
import { specRuleWords } from "../../../lib/spec/ajv.js";
import { responseCheck, type ResponseProblem } from "../../../lib/spec/responses.js";
import type { OperationId } from "../spec.js";
import { ajv } from "./ajv.js";

const check = responseCheck(ajv);

function sentences(operationId: OperationId, status: number, problem: ResponseProblem): string[] {
  switch (problem.kind) {
    case "status":
      return [`${operationId} declares no ${status} response`];
    case "header missing":
      return [`header ${problem.header} is required`];
    case "header invalid":
      return [`header ${problem.header} ${problem.error?.message ?? "breaks its schema"}`];
    case "no json":
      return ["body is missing: the spec documents a JSON body"];
    case "media type":
      return [`header Content-Type must be application/json (got ${problem.contentType || "none"})`];
    case "body":
      return problem.errors.map((error) => `body${error.instancePath} ${specRuleWords(error) ?? error.message}`);
    case "error type":
      return [`body/error/type must be "${problem.expected}" for status ${status}`];
    case "request id":
      return ["body/error/request_id must equal the X-Request-Id header"];
  }
}

/**
 * What is wrong with a response of `operationId`: an empty list when it is
 * one the spec allows. `body` is the parsed JSON (undefined for none).
 */
export function responseViolations(operationId: OperationId, status: number, headers: Headers, body: unknown): string[] {
  const problems = check(operationId, { status, headers, body: body === undefined ? undefined : { json: body } });
  return problems.flatMap((problem) => sentences(operationId, status, problem));
}
