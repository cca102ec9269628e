/**
 * The client's options and per-request options, and their checks: a bad
 * value is refused before anything is sent, with a MedblocksError that names
 * the option and its rule and never echoes the value (it may be a key).
 */
import { MedblocksError } from "./errors.js";
import { isCalendarDate } from "./rules.js";
import type { MedblocksLogger } from "./logger.js";

/** Options every resource method takes as its last argument. */
export interface RequestOptions {
  /** Aborts the call (and any retry wait). */
  signal?: AbortSignal | undefined;
  /** Milliseconds each attempt may take, response body included. */
  timeout?: number | undefined;
  /** Extra request headers. `Authorization` and `Version` are set by `apiKey` and `version` instead. */
  headers?: Record<string, string> | undefined;
  /** `Version` for this call, `YYYY-MM-DD`. */
  version?: string | undefined;
  /** Another workspace's API key for this call (an app serving several workspaces). */
  apiKey?: string | undefined;
  /** Retries for this call (see the README's retry table). */
  maxNetworkRetries?: number | undefined;
  /** Seconds this call may spend in total waiting between attempts. */
  maxRetryWait?: number | undefined;
  /** Largest response body this call reads, in bytes. */
  maxResponseBytes?: number | undefined;
}

export interface MedblocksOptions {
  /** Default `MEDBLOCKS_BASE_URL`, else `https://app.medblocks.com`. */
  baseUrl?: string | undefined;
  /** `Version` sent on every call but `/health`; default the version this client was built for. */
  version?: string | undefined;
  /** Milliseconds each attempt may take; default 60000. */
  timeout?: number | undefined;
  /** Retries of a failed call (see the README's retry table); default 2. */
  maxNetworkRetries?: number | undefined;
  /**
   * Seconds one call may spend in total waiting between its attempts; default 30. A longer wait is not slept: the error
   * is thrown with `retryAfter`.
   */
  maxRetryWait?: number | undefined;
  /** Largest response body read, in bytes; default 10 MB. A larger one fails with `unexpected_response`. */
  maxResponseBytes?: number | undefined;
  /** A `fetch` to use instead of the global one. */
  fetch?: ((input: string, init: RequestInit) => Promise<Response>) | undefined;
  /**
   * Debug logging: a function receiving one entry per attempt, or `"debug"` for console lines. `MEDBLOCKS_LOG=debug`
   * turns on the latter.
   */
  logger?: MedblocksLogger | "debug" | undefined;
  /** Allow construction where a browser is detected. The API key would be exposed to every visitor: don't. */
  dangerouslyAllowBrowser?: boolean | undefined;
}

/** One check per option name: the test, and the rule as the message states it. */
export type Rule = readonly [(value: unknown) => boolean, string];

const inRange = (value: unknown, min: number, max: number, integer = false) =>
  typeof value === "number" && value >= min && value <= max && (!integer || Number.isInteger(value));
const KEY = /^[\x21-\x7e]+$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What a header value may hold: Latin-1 without control characters (so no CR, LF or NUL). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers the client sets itself, and the option that sets each. */
const OWN_HEADERS: Record<string, string> = { authorization: "the `apiKey` option", version: "the `version` option" };

// Plain literals (no calls at module level), so a bundler drops what an app does not use.
const TIMEOUT: Rule = [(value) => inRange(value, 1, 2_147_483_647), "a number of milliseconds between 1 and 2147483647"];
const MAX_NETWORK_RETRIES: Rule = [(value) => inRange(value, 0, 10, true), "an integer from 0 to 10"];
const MAX_RETRY_WAIT: Rule = [(value) => inRange(value, 0, 86_400), "a number of seconds from 0 to 86400"];
const MAX_RESPONSE_BYTES: Rule = [(value) => inRange(value, 1, Number.MAX_SAFE_INTEGER, true), "a whole number of bytes, at least 1"];
const VERSION: Rule = [(value) => typeof value === "string" && isCalendarDate(value), "a real date, YYYY-MM-DD"];
export const API_KEY: Rule = [(value) => typeof value === "string" && KEY.test(value), "a string of printable characters without spaces"];

/** Per-request options and their rules. */
export const REQUEST_RULES: Record<keyof RequestOptions, Rule> = {
  timeout: TIMEOUT,
  maxNetworkRetries: MAX_NETWORK_RETRIES,
  maxRetryWait: MAX_RETRY_WAIT,
  maxResponseBytes: MAX_RESPONSE_BYTES,
  version: VERSION,
  apiKey: API_KEY,
  signal: [
    (value) =>
      typeof (value as AbortSignal | null)?.aborted === "boolean" &&
      typeof (value as AbortSignal).addEventListener === "function" &&
      typeof (value as AbortSignal).removeEventListener === "function",
    "an AbortSignal",
  ],
  // A plain object only: a Map or Headers would be sent as nothing, a symbol key not at all.
  headers: [
    (value) =>
      typeof value === "object" &&
      value !== null &&
      [Object.prototype, null].includes(Object.getPrototypeOf(value)) &&
      !Object.getOwnPropertySymbols(value).length,
    "a plain object of header names and string values",
  ],
};

/** The constructor's options and their rules (`apiKey` is its own argument). */
export const CLIENT_RULES: Record<keyof MedblocksOptions, Rule> = {
  baseUrl: [(value) => typeof value === "string", "an absolute http(s) URL"],
  version: VERSION,
  timeout: TIMEOUT,
  maxNetworkRetries: MAX_NETWORK_RETRIES,
  maxRetryWait: MAX_RETRY_WAIT,
  maxResponseBytes: MAX_RESPONSE_BYTES,
  fetch: [(value) => typeof value === "function", "a fetch function"],
  logger: [(value) => typeof value === "function" || value === "debug", 'a function or "debug"'],
  dangerouslyAllowBrowser: [(value) => typeof value === "boolean", "a boolean"],
};

export function optionError(label: string, name: string, rule: string): MedblocksError {
  return new MedblocksError({
    type: "invalid_request_error",
    code: "invalid_data",
    message: `${label}: \`${name}\` must be ${rule}`,
    param: name,
  });
}

/** Throws for the first option in `options` that is unknown or breaks its rule; `undefined` values count as absent. */
export function checkOptions(label: string, options: object, rules: Record<string, Rule>): void {
  if (typeof options !== "object" || options === null) throw optionError(label, "options", "an object");
  for (const name in options) {
    const value = (options as Record<string, unknown>)[name];
    if (value === undefined) continue;
    // Own entries only: `constructor` or `__proto__` is no option.
    const rule = Object.hasOwn(rules, name) ? rules[name] : undefined;
    if (!rule) throw optionError(label, name, `left out: it is not an option (known: ${Object.keys(rules).join(", ")})`);
    if (!rule[0](value)) throw optionError(label, name, rule[1]);
  }
  const headers = (options as RequestOptions).headers;
  if (headers) checkHeaders(label, headers);
}

function checkHeaders(label: string, headers: Record<string, unknown>): void {
  for (const name in headers) {
    const value = headers[name];
    const lower = name.toLowerCase();
    const own = Object.hasOwn(OWN_HEADERS, lower) && OWN_HEADERS[lower];
    if (own) throw optionError(label, `headers.${name}`, `left out: ${own} sets it`);
    if (!HEADER_NAME.test(name)) throw optionError(label, "headers", "keyed by valid header names (letters, digits and !#$%&'*+.^_`|~-)");
    if (typeof value !== "string" || !HEADER_VALUE.test(value)) {
      throw optionError(label, `headers.${name}`, "a string of Latin-1 characters without line breaks or control characters");
    }
  }
}
