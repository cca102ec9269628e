/**
 * The two URL rules of this API, in one place for the client, the sandbox
 * and the contract CLI. Web standards only (the client imports it).
 */

/**
 * A base URL as given, without its trailing slashes, and what is wrong with
 * it, if anything: it must be an absolute http(s) URL (an origin, optionally
 * with a path) without query, fragment, user name or password — the API
 * authenticates with the key, and a URL with credentials would print them.
 */
export function checkedBaseUrl(value: string): { baseUrl: string; problem?: "form" | "credentials" } {
  const baseUrl = value.replace(/\/+$/, "");
  if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/i.test(baseUrl) || !URL.canParse(baseUrl)) return { baseUrl, problem: "form" };
  const url = new URL(baseUrl);
  if (url.username || url.password) return { baseUrl, problem: "credentials" };
  return { baseUrl };
}

/** What a base URL must be, in words, for each problem {@link checkedBaseUrl} finds. */
export const BASE_URL_RULES = {
  form: "an absolute http(s) URL without query or fragment",
  credentials: "a URL without a user name or password (the API key authenticates)",
} as const;

/**
 * Whether `value` is a web address (the spec's `format: uri`): every URI in
 * this API is one a browser or the service will visit, so http(s) only,
 * with a host, no white space, and one the URL parser accepts.
 */
export const isWebUrl = (value: string): boolean => /^https?:\/\/[^\s/?#]+[^\s]*$/i.test(value) && URL.canParse(value);
