/**
 * Reading a bundled OpenAPI document: following `$ref`s and listing the
 * API's operations. The one walker the generator and the tests share.
 */

export type Json = Record<string, any>;

/** The HTTP methods an OpenAPI path item may hold operations under. */
export const METHODS = ["get", "put", "post", "delete", "patch"] as const;

/**
 * `node` with its local `$ref`s followed (`#/components/...`), until a
 * concrete object is reached. Keywords beside a `$ref` (allowed in OpenAPI
 * 3.1) win over the target's.
 */
export function deref(root: Json, node: Json): Json {
  let current = node;
  while (current && typeof current === "object" && typeof current.$ref === "string") {
    const { $ref, ...siblings } = current;
    if (!($ref as string).startsWith("#/")) throw new Error(`non-local $ref in the bundle: ${$ref}`);
    const target = ($ref as string)
      .slice(2)
      .split("/")
      .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<Json>((value, key) => value?.[key], root);
    if (target === undefined) throw new Error(`unresolved $ref: ${$ref}`);
    current = Object.keys(siblings).length === 0 ? target : { ...target, ...siblings };
  }
  return current;
}

/** One operation of the API, as the document holds it. */
export interface OperationEntry {
  operationId: string;
  /** Upper case, e.g. `GET`. */
  method: string;
  /** The path template, e.g. `/patients/{id}`. */
  path: string;
  /** The operation object. */
  operation: Json;
  /** Its parameters, the path item's first, each dereferenced. */
  parameters: Json[];
}

/** Every operation under `paths`, in document order (callbacks and webhooks are not requests to the API). */
export function operationsOf(root: Json): OperationEntry[] {
  return Object.entries<Json>(root.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const operation = item[method];
      return {
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path,
        operation,
        parameters: [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((parameter: Json) => deref(root, parameter)),
      };
    }),
  );
}
