/**
 * Every documented response of every operation, selected with Prism's
 * `Prefer` header: the valid request draws no violation, the status and body
 * are the spec's own, and error bodies are the envelope with a type that fits
 * the status.
 */
import { describe, expect, it } from "vitest";
import { ERROR_TYPE_BY_STATUS } from "../src/errors.js";
import { send } from "./support/mock.js";
import { validRequests } from "./support/requests.js";
import { enumOf, operations } from "./support/spec.js";

const ERROR_CODES = enumOf("ErrorCode");

describe.each(operations.filter((operation) => validRequests[operation.operationId]))(
  "$operationId ($method $path)",
  (operation) => {
    const request = validRequests[operation.operationId]!;
    const cases = operation.responses.flatMap((response) =>
      response.examples.map((example) => ({ ...response, example })),
    );

    it("documents a named example for every response", () => {
      expect(operation.responses.length).toBeGreaterThan(0);
      for (const response of operation.responses) expect(response.examples.length, String(response.status)).toBeGreaterThan(0);
    });

    it.each(cases)("answers $status with example $example.name", async ({ status, example, headers }) => {
      const response = await send({
        ...request,
        headers: { ...request.headers, Prefer: `code=${status}, example=${example.name}` },
      });

      expect(response.violations).toEqual([]);
      expect(response.status).toBe(status);
      expect(response.body).toEqual(example.value);
      expect(headers).toContain("X-Request-Id");
      expect(response.headers.get("x-request-id")).toMatch(/\S/);

      if (status >= 400) {
        expect(Object.keys(response.body)).toEqual(["error"]);
        expect(Object.keys(response.body.error).sort()).toEqual(
          ["code", "doc_url", "message", "param", "request_id", "type"],
        );
        expect(response.body.error.type).toBe(ERROR_TYPE_BY_STATUS[status]);
        expect(ERROR_CODES).toContain(response.body.error.code);
        expect(typeof response.body.error.message).toBe("string");
        expect(response.body.error.param === null || typeof response.body.error.param === "string").toBe(true);
      }
      if (status === 429) {
        const retryAfter = Number(response.headers.get("retry-after"));
        expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
      }
    });
  },
);
