/**
 * The client's surface is the spec's: every operation is the method its
 * `x-medblocks-sdk` names, that method sends that operation, and the client
 * has no method the spec does not name, beyond the few with behaviour of
 * their own.
 */
import { describe, expect, it } from "vitest";
import { operationsOf } from "../lib/spec/openapi.js";
import { Medblocks } from "../src/index.js";
import { fakeClient, json } from "./support/fake-fetch.js";
import { exampleCall, responseExample, spec, type OperationId } from "./support/spec-examples.js";

/** Methods with behaviour beyond one operation, by resource ("" is the client). */
const BEYOND_THE_WIRE: Record<string, string[]> = {
  patientSession: ["verifyReturn"],
  webhooks: ["constructEvent", "generateTestHeaderString"],
};

const fromSpec = operationsOf(spec).map(({ operationId, method, path, operation }) => ({
  operationId: operationId as OperationId,
  method,
  path,
  resource: (operation["x-medblocks-sdk"].resource ?? "") as string,
  name: operation["x-medblocks-sdk"].method as string,
}));

/** Every function an object offers, own or inherited, but Object's. */
function methodNames(target: object): string[] {
  const names = new Set<string>();
  for (let current = target; current && current !== Object.prototype; current = Object.getPrototypeOf(current)) {
    for (const name of Object.getOwnPropertyNames(current)) {
      if (name !== "constructor" && typeof (target as Record<string, unknown>)[name] === "function") names.add(name);
    }
  }
  return [...names].sort();
}

describe("the client's surface", () => {
  it.each(fromSpec)(
    "$operationId is mb.$resource.$name, and sends $method $path",
    async ({ operationId, method, path, resource, name }) => {
      const { mb, requests } = fakeClient(() => json(responseExample(operationId)));
      const target = (resource === "" ? mb : (mb as unknown as Record<string, object>)[resource]) as Record<string, unknown> | undefined;
      expect(typeof target?.[name], `mb${resource ? `.${resource}` : ""}.${name}`).toBe("function");
      await exampleCall(mb, operationId);
      expect(requests).toHaveLength(1);
      expect(requests[0]!.method).toBe(method);
      expect(requests[0]!.url.pathname).toMatch(new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`));
    },
  );

  it("has a resource for every resource the spec names, and no other", () => {
    const mb = new Medblocks("mb_sk_sbx_surface");
    const resources = Object.keys(mb)
      .filter((key) => typeof (mb as unknown as Record<string, unknown>)[key] === "object")
      .sort();
    expect(resources).toEqual([...new Set(fromSpec.map((operation) => operation.resource).filter(Boolean))].sort());
  });

  it("has no method the spec does not name, beyond those with behaviour of their own", () => {
    const mb = new Medblocks("mb_sk_sbx_surface");
    for (const resource of new Set(fromSpec.map((operation) => operation.resource))) {
      const target = resource === "" ? mb : (mb as unknown as Record<string, object>)[resource]!;
      const expected = [
        ...fromSpec.filter((operation) => operation.resource === resource).map((operation) => operation.name),
        ...(BEYOND_THE_WIRE[resource] ?? []),
      ];
      expect(methodNames(target), resource || "the client").toEqual(expected.sort());
    }
  });
});
