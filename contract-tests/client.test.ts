/**
 * Every operation of the spec, called through the client method it names
 * with the spec's own example input, against every documented response
 * (selected with Prism's `Prefer`): the request the client sends draws no
 * violation, a 200 comes back as the spec's example, and each error status
 * becomes a MedblocksError carrying the envelope's fields, of the type the
 * spec gives the status.
 */
import { describe, expect, it } from "vitest";
import { ERROR_TYPES } from "../generated/schemas.js";
import { isMedblocksError, type MedblocksError } from "../src/index.js";
import { exampleCall, type OperationId } from "../test/support/spec-examples.js";
import { mockClient } from "./support/client.js";
import { enumOf, operations } from "./support/spec.js";

const ERROR_CODES = enumOf("ErrorCode");

describe.each(operations)("$operationId", (operation) => {
  const cases = operation.responses.flatMap((response) => response.examples.map((example) => ({ status: response.status, example })));

  it("documents an example for every response, and X-Request-Id on each", () => {
    expect(operation.responses.length).toBeGreaterThan(0);
    for (const response of operation.responses) {
      expect(response.examples.length, String(response.status)).toBeGreaterThan(0);
      expect(response.headers, String(response.status)).toContain("X-Request-Id");
    }
  });

  it.each(cases)("maps $status ($example.name)", async ({ status, example }) => {
    const { mb, violations, responses } = mockClient();
    const outcome = await Promise.resolve(
      exampleCall(mb, operation.operationId as OperationId, { headers: { Prefer: `code=${status}, example=${example.name}` } }),
    ).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    expect(violations).toEqual([]);
    expect(responses.at(-1)?.headers.get("x-request-id")).toMatch(/\S/);
    if (status === 200) {
      expect(outcome).toEqual({ value: example.value });
      return;
    }
    expect("error" in outcome && isMedblocksError(outcome.error)).toBe(true);
    const error = (outcome as { error: MedblocksError }).error;
    const envelope = (example.value as { error: Record<string, unknown> }).error;
    expect(error).toMatchObject({
      statusCode: status,
      type: ERROR_TYPES[String(status) as keyof typeof ERROR_TYPES],
      code: envelope.code,
      param: envelope.param,
      docUrl: envelope.doc_url,
      requestId: envelope.request_id,
      raw: example.value,
    });
    expect(envelope.type).toBe(error.type);
    expect(ERROR_CODES).toContain(error.code);
    expect(error.message).toContain(`${status} ${envelope.code as string}: ${envelope.message as string}`);
    expect(error.retryAfter).toBe(status === 429 ? Number(responses.at(-1)?.headers.get("retry-after")) : null);
    if (status === 429) expect(error.retryAfter).toBeGreaterThanOrEqual(1);
  });
});
