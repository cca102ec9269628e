/**
 * API keys. Every `mb_sk_sbx_…` key is a workspace of its own; a live key is
 * refused, as is anything else. Messages never repeat the key.
 */
import { ApiError } from "./errors.js";

const LIVE_KEY_PREFIX = "mb_sk_live_";
const SANDBOX_KEY = /^mb_sk_sbx_[A-Za-z0-9_-]+$/;

/** The sandbox key in an `Authorization` header; a 401 otherwise. */
export function sandboxKey(authorization: string | null): string {
  if (authorization === null || authorization.trim() === "") {
    throw new ApiError(401, "missing_api_key", "No API key: send `Authorization: Bearer mb_sk_sbx_…` (any sandbox key is a workspace of its own).");
  }
  const match = /^Bearer +(\S+)\s*$/i.exec(authorization);
  if (!match) throw new ApiError(401, "invalid_api_key", "The `Authorization` header must be `Bearer <API key>`.");
  const key = match[1]!;
  if (key.startsWith(LIVE_KEY_PREFIX)) {
    throw new ApiError(401, "invalid_api_key", "This is a live API key: the sandbox takes sandbox keys only (`mb_sk_sbx_…`). Never send live keys to a sandbox.");
  }
  if (!SANDBOX_KEY.test(key)) {
    throw new ApiError(401, "invalid_api_key", "The API key is not valid here: the sandbox takes sandbox keys only (`mb_sk_sbx_` followed by letters, digits, `_` or `-`).");
  }
  return key;
}
