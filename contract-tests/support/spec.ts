/**
 * Read-only view of the bundled spec (generated/openapi.json) for tests that
 * enumerate operations, responses and examples.
 */
import { readFileSync } from "node:fs";

type Json = Record<string, any>;

export const spec: Json = JSON.parse(readFileSync(new URL("../../generated/openapi.json", import.meta.url), "utf8"));

/** Follows local `$ref`s (`#/components/...`) until a concrete object is reached. */
export function deref<T = Json>(node: Json): T {
  let current = node;
  while (current && typeof current.$ref === "string") {
    const ref: string = current.$ref;
    if (!ref.startsWith("#/")) throw new Error(`non-local $ref in bundle: ${ref}`);
    current = ref
      .slice(2)
      .split("/")
      .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<Json>((value, key) => value?.[key], spec);
  }
  return current as T;
}

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

const METHODS = ["get", "put", "post", "delete", "patch"] as const;

/** Every operation under `paths` (callbacks and webhooks are not requests to the API). */
export const operations: SpecOperation[] = Object.entries<Json>(spec.paths).flatMap(([path, item]) =>
  METHODS.filter((method) => item[method]).map((method) => {
    const operation = item[method];
    return {
      operationId: operation.operationId,
      method: method.toUpperCase(),
      path,
      responses: Object.entries<Json>(operation.responses).map(([status, ref]) => {
        const response = deref(ref);
        const media = response.content?.["application/json"] ?? {};
        return {
          status: Number(status),
          headers: Object.keys(response.headers ?? {}),
          examples: Object.entries<Json>(media.examples ?? {}).map(([name, example]) => ({
            name,
            value: deref(example).value,
          })),
        };
      }),
    };
  }),
);

/** Values of a string enum schema in components. */
export function enumOf(schemaName: string): string[] {
  return deref(spec.components.schemas[schemaName]).enum;
}
