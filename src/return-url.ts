/**
 * The browser's return to your `return_url`. Pure functions: no client, no
 * network. The parameters are unsigned, so a parsed return only says what
 * the browser claims; `mb.patientSession.verifyReturn` checks it with the
 * server.
 */
import { ReturnDirectErrorQuery, ReturnDirectSuccessQuery, ReturnHostedQuery } from "../generated/schemas.js";
import type { Schema } from "./rules.js";
import type { ReturnUrlDirectError, ReturnUrlDirectSuccess, ReturnUrlHosted, ReturnUrlResult } from "./types.js";

/**
 * Why a return was refused: a required parameter is `missing`; a parameter is
 * `repeated` or `empty`; a value is `too_long` for its rule; or it is
 * `invalid` (wrong id prefix or characters, `success` not `true`/`false`).
 */
export type ReturnUrlFailure = "missing" | "repeated" | "empty" | "too_long" | "invalid";

/** Thrown for a malformed Medblocks return; `param` names the query parameter. */
export class MedblocksReturnUrlError extends Error {
  override readonly name = "MedblocksReturnUrlError";
  constructor(
    readonly param: string,
    readonly reason: ReturnUrlFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Input of `buildReturnUrl`: a parse result, `error_description` optional. */
export type ReturnUrlParams =
  | ReturnUrlHosted
  | ReturnUrlDirectSuccess
  | (Omit<ReturnUrlDirectError, "error_description"> & { error_description?: string | null });

type ObjectSchema = Exclude<Schema, boolean>;
/**
 * The spec's schema for each value of `success`: absent (hosted), `true`,
 * `false`. No prototype, so `success=constructor` finds nothing.
 */
const SCHEMAS: Record<string, ObjectSchema | undefined> = Object.setPrototypeOf(
  { undefined: ReturnHostedQuery, true: ReturnDirectSuccessQuery, false: ReturnDirectErrorQuery },
  null,
);

function fail(label: string, param: string, reason: ReturnUrlFailure, message: string): never {
  throw new MedblocksReturnUrlError(param, reason, `${label}: \`${param}\` ${message}`);
}

/**
 * Checks one value against its rule in the spec's return schema. Those rules
 * are only non-empty strings with a `maxLength` and, for ids, a
 * `^prefix_[A-Za-z0-9_-]+$` pattern; scripts/generate.ts refuses any other.
 */
function checkValue(label: string, schema: ObjectSchema, name: string, value: string): void {
  const { maxLength = Infinity, pattern } = schema.properties![name] as ObjectSchema;
  if (!value) fail(label, name, "empty", "must not be empty");
  if ([...value].length > maxLength) fail(label, name, "too_long", `must be at most ${maxLength} characters`);
  if (pattern && !new RegExp(pattern).test(value)) fail(label, name, "invalid", `must be an id starting with \`${pattern.slice(1, -15)}\``);
}

/** What `parseReturnUrl` reads: a URL, a string, `URLSearchParams`, or a framework's query object (`req.query`, `searchParams`). */
export type ReturnUrlInput = string | URL | URLSearchParams | Record<string, string | string[] | undefined>;

function queryOf(input: ReturnUrlInput | undefined): URLSearchParams {
  // In a browser, with no argument: the page's own address, as the official SDK does.
  input ??= (globalThis as { location?: { search: string } }).location?.search;
  if (input instanceof URL) return input.searchParams;
  if (typeof input === "string") {
    const text = input.split("#")[0]!;
    const mark = text.indexOf("?");
    // A URL or a path without a query carries no return; anything else is a bare query string.
    return new URLSearchParams(mark >= 0 ? text.slice(mark) : /^(\w+:|\/)/.test(text) ? "" : text);
  }
  if (typeof input !== "object" || input === null) throw new TypeError("parseReturnUrl: expected a URL or a query");
  if (input instanceof URLSearchParams) return input;
  const query = new URLSearchParams();
  for (const name in input) for (const value of [input[name] ?? []].flat()) query.append(name, value);
  return query;
}

/**
 * Reads the Medblocks return parameters from the page's URL (a full URL, a
 * path with query, a query string, `URLSearchParams`, or a query object; in
 * a browser, with no argument, the current page). Returns null when
 * the page was not opened by a Medblocks return (no `patient_session_id`).
 * Your own query parameters are ignored and order does not matter.
 *
 * @throws {MedblocksReturnUrlError} when the return is malformed.
 */
export function parseReturnUrl(input?: ReturnUrlInput): ReturnUrlResult | null {
  const label = "parseReturnUrl";
  const query = queryOf(input);
  if (!query.has("patient_session_id")) return null;
  const read = (name: string): string | undefined => {
    const values = query.getAll(name);
    if (values.length > 1) fail(label, name, "repeated", "is repeated");
    return values[0];
  };
  const success = read("success");
  // No `success` looks up the key "undefined": the hosted page's schema.
  const schema = SCHEMAS[success as string] ?? fail(label, "success", success ? "invalid" : "empty", "must be `true` or `false`");
  const result: Record<string, unknown> = success ? { mode: "direct", success: success === "true" } : { mode: "hosted" };
  for (const name in schema.properties) {
    const value = read(name);
    if (value !== undefined) checkValue(label, schema, name, value);
    else if (schema.required!.includes(name)) fail(label, name, "missing", "is required");
    result[name] = value;
  }
  if (success === "false") result.error_description ??= null;
  return result as ReturnUrlResult;
}

/**
 * Appends return parameters to `returnUrl` the way Medblocks does, keeping
 * its own query. For tests and local development.
 *
 * @throws {MedblocksReturnUrlError} when a value breaks the spec's rules or
 *   `returnUrl` already has one of the parameters.
 */
export function buildReturnUrl(returnUrl: string | URL, params: ReturnUrlParams): string {
  const label = "buildReturnUrl";
  let url: URL;
  try {
    url = new URL(returnUrl);
  } catch {
    return fail(label, "returnUrl", "invalid", "must be an absolute URL");
  }
  const entries: [string, string | null | undefined][] = [
    ["patient_id", params.patient_id],
    ["patient_session_id", params.patient_session_id],
  ];
  const key = params.mode === "hosted" ? "undefined" : params.success ? "true" : "false";
  if (params.mode === "direct") {
    entries.push(["success", key]);
    if (params.success) entries.push(["connection_id", params.connection_id]);
    else entries.push(["error", params.error], ["error_description", params.error_description]);
  }
  const schema = SCHEMAS[key]!;
  for (const [name, value] of entries) {
    if (value === undefined || value === null) {
      if (schema.required!.includes(name)) fail(label, name, "missing", "is required");
      continue;
    }
    if (name !== "success") checkValue(label, schema, name, value);
    if (url.searchParams.has(name)) fail(label, name, "repeated", "is already in returnUrl; Medblocks would send it twice");
    url.searchParams.append(name, value);
  }
  return url.toString();
}
