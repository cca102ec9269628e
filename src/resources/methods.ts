/**
 * The client's methods, made from the operation table: every operation of
 * the spec is the method its `x-medblocks-sdk` names, taking its path values
 * in order, then its body or query (`params`), then request options. A
 * resource file adds only what an operation does beyond the wire.
 */
import type { Resources, Signatures } from "../../generated/sdk.js";
import { operations } from "../../generated/schemas.js";
import type { APIPromise } from "../api-promise.js";
import type { RequestOptions } from "../options.js";
import { ListPromise, type AnyPage } from "../pagination.js";
import type { Transport } from "../transport.js";
import type { PatientSessionInitParams } from "../types.js";
import type { Undefinable } from "../undefinable.js";
import type { OperationId } from "../validation.js";

/**
 * Arguments with a name of their own in src/types.ts (the same type, checked
 * in test/types.test-d.ts): type errors then name it instead of spelling out
 * every field of every member of a union.
 */
interface NamedArguments {
  "api.initPatientSession": [params: PatientSessionInitParams];
}

/** Inputs take an explicit `undefined` for a field left out. */
type Arguments<K extends OperationId, Args extends readonly unknown[] = Signatures[K]["args"]> = K extends keyof NamedArguments
  ? NamedArguments[K]
  : { [I in keyof Args]: Undefinable<Args[I]> };

/** The method that calls operation `K`. */
export type Method<K extends OperationId> = (
  ...args: [...Arguments<K>, options?: RequestOptions]
) => Signatures[K] extends { item: infer Item } ? ListOf<Item, Signatures[K]["result"]> : APIPromise<Signatures[K]["result"]>;

/** The ListPromise of a list operation: its items, and its page. */
type ListOf<Item, Page> = Page extends AnyPage<Item> ? ListPromise<Item, Page> : never;

/** A resource's methods, each documented with its operation's summary and description. */
export type ResourceMethods<R extends keyof Resources> = {
  [M in keyof Resources[R]]: Resources[R][M] extends OperationId ? Method<Resources[R][M]> : never;
};

type Entry = (typeof operations)[OperationId];
type Send = (operationId: OperationId, label: string, parts: object, options: RequestOptions | undefined) => APIPromise<AnyPage<unknown>>;

/**
 * How operation `entry` is called: its path parameters in the path's order,
 * then its body, or its query, or neither (the spec has no operation with
 * both: generation refuses one). `label` names the method in messages.
 */
export function callShape(entry: Entry): { pathParams: string[]; input: "body" | "query" | "none"; label: string } {
  const params: Record<string, { in: string }> = entry.params;
  return {
    pathParams: Array.from(entry.path.matchAll(/\{([^}]+)\}/g), (match) => match[1]!),
    input: "body" in entry ? "body" : Object.values(params).some((param) => param.in === "query") ? "query" : "none",
    label: ["mb", entry.resource, entry.name].filter(Boolean).join("."),
  };
}

function method(send: Send, operationId: OperationId, entry: Entry): (...args: unknown[]) => unknown {
  const { pathParams, input, label } = callShape(entry);
  const paginated = "paginated" in entry;
  return (...args) => {
    let path: Record<string, unknown> | undefined;
    for (let index = 0; index < pathParams.length; index++) (path ??= {})[pathParams[index]!] = args[index];
    const given = input === "none" ? undefined : args[pathParams.length];
    const options = args[input === "none" ? pathParams.length : pathParams.length + 1] as RequestOptions | undefined;
    if (paginated) return ListPromise.from((given ?? {}) as object, (query) => send(operationId, label, { path, query }, options));
    return send(operationId, label, input === "body" ? { path, body: given } : { path, query: given }, options);
  };
}

/** The methods of `resource` ("" for the client itself), calling through `transport`. */
export function methodsOf<R extends keyof Resources>(transport: Transport, resource: R): ResourceMethods<R> {
  // One call signature for every operation: the table, not the compiler, pairs each id with its parts here.
  const send = transport.request as Send;
  const methods: Record<string, unknown> = {};
  for (const operationId in operations) {
    const entry = operations[operationId as OperationId];
    if (entry.resource === resource) methods[entry.name] = method(send, operationId as OperationId, entry);
  }
  return methods as ResourceMethods<R>;
}

/**
 * Gives `target` every method of `methods` it does not define itself: a
 * resource class's own methods (those with behaviour beyond the wire) win.
 */
export function adopt(target: object, methods: object): void {
  for (const [name, value] of Object.entries(methods))
    if (!(name in target)) Object.defineProperty(target, name, { value, writable: true, configurable: true });
}
