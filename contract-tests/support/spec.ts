/**
 * The documented responses of every operation (status, named examples,
 * declared headers), for the suites that go through all of them.
 */
import { deref, operationsOf, type Json } from "../../lib/spec/openapi.js";
import { spec } from "../../test/support/spec-examples.js";

export interface SpecExample {
  name: string;
  value: unknown;
}

export interface SpecResponse {
  status: number;
  headers: string[];
  examples: SpecExample[];
}

export interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  responses: SpecResponse[];
}

/** Every operation under `paths`, with its documented responses. */
export const operations: SpecOperation[] = operationsOf(spec).map(({ operationId, method, path, operation }) => ({
  operationId,
  method,
  path,
  responses: Object.entries<Json>(operation.responses).map(([status, reference]) => {
    const response = deref(spec, reference);
    const media = response.content?.["application/json"] ?? {};
    return {
      status: Number(status),
      headers: Object.keys(response.headers ?? {}),
      examples: Object.entries<Json>(media.examples ?? {}).map(([name, example]) => ({ name, value: deref(spec, example).value })),
    };
  }),
}));

/** Values of a string enum schema in components. */
export function enumOf(schemaName: string): string[] {
  return deref(spec, spec.components.schemas[schemaName]).enum;
}
