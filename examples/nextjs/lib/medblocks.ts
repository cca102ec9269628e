/**
 * The Medblocks client, for server code only (route handlers, Server
 * Components). `server-only` makes `next build` fail if a Client Component
 * imports this file, so the API key can never be bundled for the browser.
 */
import "server-only";
import { Medblocks } from "medblocks-client";

let client: Medblocks | undefined;

/**
 * The client, created on first use. Not `export const mb = new Medblocks()`:
 * `next build` imports every route's modules to collect their config, and a
 * client created then throws `missing_api_key` wherever the build runs
 * without MEDBLOCKS_API_KEY (a CI job, a Docker build). Created lazily, the
 * key is read when a request needs it, at run time.
 */
export function medblocks(): Medblocks {
  // The key and the base URL come from MEDBLOCKS_API_KEY and MEDBLOCKS_BASE_URL.
  client ??= new Medblocks();
  return client;
}
