import type { APIPromise } from "../api-promise.js";
import type { RequestOptions } from "../options.js";
import type { Transport } from "../transport.js";
import type { LaunchContext } from "../types.js";

/** `mb.launchContexts`: what an EHR (SMART) launch of your app carried. */
export class LaunchContextsResource {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Resolves the `mb_launch` handle (a UUID) appended to your launch URL; `status` is `ready` once the token exchange finished. */
  retrieve(id: string, options?: RequestOptions): APIPromise<LaunchContext> {
    const path = { id };
    return this.#transport.request("api.retrieveLaunchContext", "mb.launchContexts.retrieve", { path }, options);
  }
}
