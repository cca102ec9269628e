/**
 * Every client method against the mock, for every documented response:
 * the request it sends draws no violation, a 200 comes back as the spec's
 * example, and each error status becomes a MedblocksError carrying the
 * envelope's fields.
 */
import { describe, expect, it } from "vitest";
import { isMedblocksError, MedblocksError } from "../src/index.js";
import { clientCalls } from "./support/calls.js";
import { mockClient } from "./support/client.js";
import { operations } from "./support/spec.js";

describe.each(operations.filter((operation) => clientCalls[operation.operationId]))("$operationId", (operation) => {
  const call = clientCalls[operation.operationId]!;
  const cases = operation.responses.flatMap((response) => response.examples.map((example) => ({ status: response.status, example })));

  it.each(cases)("maps $status ($example.name)", async ({ status, example }) => {
    const { mb, violations } = mockClient();
    const outcome = await Promise.resolve(call(mb, { headers: { Prefer: `code=${status}, example=${example.name}` } })).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    expect(violations).toEqual([]);
    if (status === 200) {
      expect(outcome).toEqual({ value: example.value });
      return;
    }
    expect("error" in outcome && isMedblocksError(outcome.error)).toBe(true);
    const error = (outcome as { error: MedblocksError }).error;
    const envelope = (example.value as { error: Record<string, unknown> }).error;
    expect(error).toMatchObject({
      statusCode: status,
      type: envelope.type,
      code: envelope.code,
      param: envelope.param,
      docUrl: envelope.doc_url,
      requestId: envelope.request_id,
      raw: example.value,
    });
    expect(error.message).toContain(`${status} ${envelope.code as string}: ${envelope.message as string}`);
    expect(error.retryAfter).toBe(status === 429 ? 30 : null);
  });
});
