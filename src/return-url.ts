/**
 * The browser's return to your `return_url`. Pure functions: no client, no
 * network. The parameters are unsigned, so a parsed return only says what
 * the browser claims; `mb.patientSession.verifyReturn` checks it with the
 * server.
 */
import { RETURN_URL } from "../generated/schemas.js";
import { MedblocksError } from "./errors.js";
import type { ReturnUrlDirectError, ReturnUrlDirectSuccess, ReturnUrlHosted, ReturnUrlResult } from "./types.js";

/**
 * Why a return was refused: a required parameter is `missing`; a parameter is
 * `repeated` or `empty`; a value is `too_long` for its rule; it is `invalid`
 * (wrong id prefix or characters, `success` not `true`/`false`, not a
 * string); or — from `verifyReturn` — the return is well formed but the
 * session contradicts it or it is not the one expected (`mismatch`), or the
 * server knows no session by its id for this API key (`unknown_session`: a
 * forged or mistyped return, or a session started with another key).
 */
export type ReturnUrlFailure = "missing" | "repeated" | "empty" | "too_long" | "invalid" | "mismatch" | "unknown_session";

/**
 * A malformed Medblocks return, or (`reason` `mismatch`, `unknown_session`)
 * one that does not belong to the session or patient expected. `param` names
 * the query parameter; `type` is `return_url_error`, `code`
 * `invalid_return_url`; `cause`, when the server refused the session, is its
 * error (with its `requestId`).
 */
export class MedblocksReturnUrlError extends MedblocksError {
  override readonly name: string = "MedblocksReturnUrlError";
  declare readonly type: "return_url_error";
  declare readonly code: "invalid_return_url";
  declare readonly param: string;
  declare readonly reason: ReturnUrlFailure;

  constructor(param: string, reason: ReturnUrlFailure, message: string, cause?: unknown) {
    super({ type: "return_url_error", code: "invalid_return_url", message, param, cause });
    this.reason = reason;
  }
}

/** Input of `buildReturnUrl`: a parse result, `error_description` optional. */
export type ReturnUrlParams =
  | ReturnUrlHosted
  | ReturnUrlDirectSuccess
  | (Omit<ReturnUrlDirectError, "error_description"> & { error_description?: string | null | undefined });

/** One return parameter's rule, as generated from the spec. */
type Rule = { readonly maxLength: number; readonly prefix?: string; readonly optional?: boolean };
/** The parameters of one case of the return, with their rules. */
type ReturnCase = { readonly [name: string]: Rule };

/** The case a `success` value picks: absent (the hosted page), exactly `true`, exactly `false`. */
const caseOf = (success: string | undefined): ReturnCase | undefined =>
  success === undefined ? RETURN_URL.hosted : success === "true" ? RETURN_URL.true : success === "false" ? RETURN_URL.false : undefined;

const PARSE = "parseReturnUrl";

function fail(label: string, param: string, reason: ReturnUrlFailure, message: string): never {
  throw new MedblocksReturnUrlError(param, reason, `${label}: \`${param}\` ${message}`);
}

/** Checks one value against its rule: not empty, not too long, and for ids the spec's `^prefix_[A-Za-z0-9_-]+$`. */
function checkValue(label: string, name: string, { maxLength, prefix }: Rule, value: string): void {
  if (!value) fail(label, name, "empty", "must not be empty");
  if ([...value].length > maxLength) fail(label, name, "too_long", `must be at most ${maxLength} characters`);
  if (prefix && !new RegExp(`^${prefix}[\\w-]+$`).test(value)) fail(label, name, "invalid", `must be an id starting with \`${prefix}\``);
}

/**
 * What `parseReturnUrl` reads: a URL, a string, `URLSearchParams`, or a
 * framework's query object (Express's `req.query`, Next's `searchParams`),
 * whose values may be strings, arrays or nested objects.
 */
export type ReturnUrlInput = string | URL | URLSearchParams | { readonly [name: string]: unknown };

/** Every value given for `name`, as read from the input. */
type Values = (name: string) => readonly unknown[];

function valuesOf(input: ReturnUrlInput | undefined): Values {
  // In a browser, with no argument: the page's own address, as the official SDK does.
  input ??= (globalThis as { location?: { search: string } }).location?.search;
  if (typeof input === "string") {
    const text = input.split("#")[0]!;
    const mark = text.indexOf("?");
    // A URL or a path without a query carries no return; anything else is a bare query string.
    input = new URLSearchParams(mark >= 0 ? text.slice(mark) : /^(\w+:|\/)/.test(text) ? "" : text);
  }
  const query = input instanceof URL ? input.searchParams : input;
  if (query instanceof URLSearchParams) return (name) => query.getAll(name);
  if (typeof query !== "object" || query === null) {
    return fail(PARSE, "input", "invalid", "must be a URL or a query");
  }
  // A framework's query object: a value may be a string, an array, or (qs) a nested object.
  return (name) => [query[name] ?? []].flat();
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
  const values = valuesOf(input);
  if (!values("patient_session_id").length) return null;
  const read = (name: string): string | undefined => {
    const [value, ...more] = values(name);
    if (more.length) fail(PARSE, name, "repeated", "is repeated");
    if (value !== undefined && typeof value !== "string") fail(PARSE, name, "invalid", "must be a string");
    return value;
  };
  const success = read("success");
  const returnCase = caseOf(success) ?? fail(PARSE, "success", success ? "invalid" : "empty", "must be `true` or `false`");
  const result: Record<string, unknown> = success ? { mode: "direct", success: success === "true" } : { mode: "hosted" };
  for (const name in returnCase) {
    const rule = returnCase[name]!;
    const value = read(name);
    if (value !== undefined) checkValue(PARSE, name, rule, value);
    else if (!rule.optional) fail(PARSE, name, "missing", "is required");
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
  const direct = params?.mode === "direct";
  if (direct ? typeof params.success !== "boolean" : params?.mode !== "hosted") {
    fail(label, direct ? "success" : "mode", "invalid", direct ? "must be true or false" : "must be `hosted` or `direct`");
  }
  const entries: [string, unknown][] = [
    ["patient_id", params.patient_id],
    ["patient_session_id", params.patient_session_id],
  ];
  const success = direct ? String(params.success) : undefined;
  if (success !== undefined) {
    entries.push(["success", success]);
    if (params.success) entries.push(["connection_id", params.connection_id]);
    else entries.push(["error", params.error], ["error_description", params.error_description]);
  }
  const returnCase = caseOf(success)!;
  for (const [name, value] of entries) {
    const rule = returnCase[name];
    if (value === undefined || value === null) {
      if (rule && !rule.optional) fail(label, name, "missing", "is required");
      continue;
    }
    if (typeof value !== "string") fail(label, name, "invalid", "must be a string");
    if (rule) checkValue(label, name, rule, value);
    if (url.searchParams.has(name)) fail(label, name, "repeated", "is already in returnUrl; Medblocks would send it twice");
    url.searchParams.append(name, value);
  }
  return url.toString();
}
