import type { APIPromise } from "../api-promise.js";
import { ListPromise } from "../pagination.js";
import type { RequestOptions } from "../options.js";
import type { Transport } from "../transport.js";
import type { Connection, ConnectionListParams } from "../types.js";

/**
 * `mb.connections`: the catalog of EHRs patients can connect to (`fhirsrc_`
 * ids). Not a patient's links: those are on `mb.patients.retrieve`.
 */
export class ConnectionsResource {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Searches the catalog by name (`q`) and vendor (`type`); await for a page or iterate for all. */
  list(params: ConnectionListParams = {}, options?: RequestOptions): ListPromise<Connection> {
    return ListPromise.from(params, (query) =>
      this.#transport.request("api.listFhirSources", "mb.connections.list", { query }, options),
    );
  }

  /** One catalog entry by its `fhirsrc_` id or its `fhir_base_url` (encoded as one path segment). */
  retrieve(id: string, options?: RequestOptions): APIPromise<Connection> {
    const path = { id };
    return this.#transport.request("api.getFhirSource", "mb.connections.retrieve", { path }, options);
  }
}
