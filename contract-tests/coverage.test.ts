/**
 * Fails when an operation of the spec has no contract request, or a contract
 * request names an operation the spec does not have.
 */
import { expect, it } from "vitest";
import { clientCalls } from "./support/calls.js";
import { validRequests } from "./support/requests.js";
import { operations } from "./support/spec.js";

it("has a contract request for every operationId in the spec, and no other", () => {
  const inSpec = operations.map((operation) => operation.operationId).sort();
  expect(Object.keys(validRequests).sort()).toEqual(inSpec);
});

it("sends each contract request to its own operation's method and path", () => {
  for (const operation of operations) {
    const request = validRequests[operation.operationId];
    expect(request?.method, operation.operationId).toBe(operation.method);
    const pattern = new RegExp(`^${operation.path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    expect(request?.path, operation.operationId).toMatch(pattern);
  }
});

it("has a client method contract test for every operationId in the spec, and no other", () => {
  const inSpec = operations.map((operation) => operation.operationId).sort();
  expect(Object.keys(clientCalls).sort()).toEqual(inSpec);
});
