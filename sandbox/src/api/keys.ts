/**
 * API keys. Every `mb_sk_sbx_…` key is a workspace of its own, unless the
 * sandbox was given a list of keys (`--keys`, `keys`): then only those; a
 * live key is refused, as is anything else. Messages never repeat a key.
 */
import { ApiError } from "../errors.js";
import { derivedKey } from "../domain/random.js";
import { KEY_PREFIXES } from "../spec.js";

const SANDBOX_KEY = new RegExp(`^${KEY_PREFIXES.sandbox}[A-Za-z0-9_-]+$`);

/** The only keys a sandbox takes, when it was started with a list (`--keys`, `keys`). */
export type KeyList = ReadonlySet<string>;

/** Whether `key` has the form of a sandbox key. */
export const isSandboxKey = (key: string): boolean => SANDBOX_KEY.test(key);

/** A key as a dashboard shows one: its last 4 characters. */
export const keyHint = (key: string): string => `…${key.slice(-4)}`;

/** The sandbox key in an `Authorization` header; a 401 otherwise. */
export function sandboxKey(authorization: string | null): string {
  if (authorization === null || authorization.trim() === "") {
    throw new ApiError(
      401,
      "missing_api_key",
      "No API key: send `Authorization: Bearer mb_sk_sbx_…` (any sandbox key is a workspace of its own).",
    );
  }
  const match = /^Bearer +(\S+)\s*$/i.exec(authorization);
  if (!match) throw new ApiError(401, "invalid_api_key", "The `Authorization` header must be `Bearer <API key>`.");
  const key = match[1]!;
  if (key.startsWith(KEY_PREFIXES.live)) {
    throw new ApiError(
      401,
      "invalid_api_key",
      "This is a live API key: the sandbox takes sandbox keys only (`mb_sk_sbx_…`). Never send live keys to a sandbox.",
    );
  }
  if (!SANDBOX_KEY.test(key)) {
    throw new ApiError(
      401,
      "invalid_api_key",
      "The API key is not valid here: the sandbox takes sandbox keys only (`mb_sk_sbx_` followed by letters, digits, `_` or `-`).",
    );
  }
  return key;
}

/** `key` if the sandbox takes it: any sandbox key, or one of its list; a 401 otherwise. */
export function listedKey(key: string, list: KeyList | undefined): string {
  if (list && !list.has(key)) {
    throw new ApiError(
      401,
      "invalid_api_key",
      "This sandbox was started with a list of keys (`--keys`, or the `keys` option) and takes only those; this key is not one of them.",
    );
  }
  return key;
}

/** A list of keys for `option`, checked: at least one, each a sandbox key (named by its place in the list, never by its value). */
export function keyList(keys: readonly unknown[], option: string): KeyList {
  if (!Array.isArray(keys) || keys.length === 0)
    throw new ApiError(400, "invalid_data", `\`${option}\` must list at least one sandbox key.`, option);
  keys.forEach((key, index) => {
    if (typeof key !== "string" || !SANDBOX_KEY.test(key)) {
      const at = `${option}[${index}]`;
      throw new ApiError(
        400,
        "invalid_data",
        `\`${at}\` is not a sandbox key: \`mb_sk_sbx_\` followed by letters, digits, \`_\` or \`-\`.`,
        at,
      );
    }
  });
  return new Set(keys as string[]);
}

/**
 * The ready key (`MEDBLOCKS_API_KEY`, `sb.apiKey`): the first of the list, else the one derived from the seed, so the
 * same on every start from one state file.
 */
export const readyKey = (seed: string, list: KeyList | undefined): string => (list ? [...list][0]! : derivedKey(seed));
