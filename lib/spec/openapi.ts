/**
 * Reading a bundled OpenAPI document: JSON pointers, following `$ref`s and
 * listing the API's operations. The one walker the generator, the sandbox,
 * the contract check and the tests share; it takes the document as an
 * argument (the generator reads a bundle it has just written), and
 * lib/spec/document.ts binds it to the bundle the packages carry.
 */

// biome-ignore lint/suspicious/noExplicitAny: spec nodes are read by path, their shape known only to the caller.
export type Json = Record<string, any>;

/** The HTTP methods an OpenAPI path item may hold operations under. */
export const METHODS = ["get", "put", "post", "delete", "patch"] as const;

/** A key as a segment of a JSON pointer (RFC 6901): `~` → `~0`, `/` → `~1`. */
export const escapeSegment = (key: string): string => key.replace(/~/g, "~0").replace(/\//g, "~1");

/** A segment of a JSON pointer as the key it names. */
export const unescapeSegment = (segment: string): string => segment.replace(/~1/g, "/").replace(/~0/g, "~");

/**
 * The value at a local JSON pointer of `root` (`#/components/schemas/Patient`).
 * Throws, naming the pointer, when it is not local or names nothing: a
 * pointer into the spec that finds nothing is a bug, never an answer.
 */
// biome-ignore lint/suspicious/noExplicitAny: as Json: the node found, its shape known only to the caller.
export function resolve(root: Json, pointer: string): any {
  if (pointer !== "#" && !pointer.startsWith("#/")) throw new Error(`not a local JSON pointer (#/…): ${pointer}`);
  let value: unknown = root;
  for (const segment of pointer === "#" ? [] : pointer.slice(2).split("/")) {
    value = value !== null && typeof value === "object" ? (value as Json)[unescapeSegment(segment)] : undefined;
    if (value === undefined) throw new Error(`nothing at ${pointer} in the spec (no ${JSON.stringify(unescapeSegment(segment))})`);
  }
  return value;
}

/**
 * `node` with its local `$ref`s followed (`#/components/...`), until a
 * concrete object is reached. Keywords beside a `$ref` (allowed in OpenAPI
 * 3.1) win over the target's.
 */
export function deref(root: Json, node: Json): Json {
  let current = node;
  const seen = new Set<string>();
  while (current && typeof current === "object" && typeof current.$ref === "string") {
    const { $ref, ...siblings } = current;
    if (seen.has($ref)) throw new Error(`a $ref cycle at ${$ref}`);
    seen.add($ref);
    const target = resolve(root, $ref as string);
    current = Object.keys(siblings).length === 0 ? target : { ...target, ...siblings };
  }
  return current;
}

/**
 * Where a chain of `$ref`s starting at `pointer` ends: the pointer of the
 * concrete object and the object, so that a validator can be pointed at a
 * part of it (`spec#<pointer>/content/…`). Undefined when `pointer` names
 * nothing (an undocumented status, say).
 */
export function located(root: Json, pointer: string): { pointer: string; node: Json } | undefined {
  let node: Json;
  try {
    node = resolve(root, pointer);
  } catch {
    return undefined;
  }
  const seen = new Set<string>();
  while (node && typeof node === "object" && typeof node.$ref === "string") {
    if (seen.has(pointer)) throw new Error(`a $ref cycle at ${pointer}`);
    seen.add(pointer);
    pointer = node.$ref;
    node = resolve(root, pointer);
  }
  return { pointer, node };
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
