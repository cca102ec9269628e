import type { APIPromise } from "../api-promise.js";
import { ListPromise } from "../pagination.js";
import type { RequestOptions } from "../options.js";
import type { Transport } from "../transport.js";
import { constructEvent, generateTestHeaderString } from "../webhook-signature.js";
import type {
  WebhookEndpoint,
  WebhookEndpointCreateParams,
  WebhookEndpointDeleted,
  WebhookEndpointListParams,
  WebhookEndpointUpdateParams,
  WebhookEndpointWithSecret,
  WebhookEventListParams,
  WebhookEventRecord,
} from "../types.js";

/** `mb.webhooks`: your webhook endpoints, their delivery records, and signature verification. */
export class WebhooksResource {
  readonly #transport: Transport;
  /** Verifies a delivery's signature and returns its typed event (also `Medblocks.webhooks.constructEvent`). */
  readonly constructEvent = constructEvent;
  /** A valid `Medblocks-Signature` header for a test payload. */
  readonly generateTestHeaderString = generateTestHeaderString;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Registers an endpoint. The response's `secret` (`whsec_…`) is shown this
   * once — store it now; later reads never return it (rotate to get a new one).
   * Not retried after it may have reached the server: a retry would register
   * a second endpoint.
   */
  create(params: WebhookEndpointCreateParams, options?: RequestOptions): APIPromise<WebhookEndpointWithSecret> {
    return this.#transport.request("api.createWebhook", "mb.webhooks.create", { body: params }, options);
  }

  /** Endpoints, optionally only `active` or `disabled` ones; await for a page or iterate for all. */
  list(params: WebhookEndpointListParams = {}, options?: RequestOptions): ListPromise<WebhookEndpoint> {
    return ListPromise.from(params, (query) =>
      this.#transport.request("api.listWebhooks", "mb.webhooks.list", { query }, options),
    );
  }

  /** One endpoint by its `wh_` id (never with its secret). */
  retrieve(id: string, options?: RequestOptions): APIPromise<WebhookEndpoint> {
    const path = { id };
    return this.#transport.request("api.getWebhook", "mb.webhooks.retrieve", { path }, options);
  }

  /** Changes the given fields only; `{ status: "active" }` re-enables an endpoint disabled after failed deliveries. */
  update(id: string, params?: WebhookEndpointUpdateParams, options?: RequestOptions): APIPromise<WebhookEndpoint> {
    const path = { id };
    return this.#transport.request("api.updateWebhook", "mb.webhooks.update", { path, body: params }, options);
  }

  /** Deletes the endpoint and its delivery history. */
  delete(id: string, options?: RequestOptions): APIPromise<WebhookEndpointDeleted> {
    const path = { id };
    return this.#transport.request("api.deleteWebhook", "mb.webhooks.delete", { path }, options);
  }

  /** A new signing secret, shown this once; the old one stops working at once. */
  rotateSecret(id: string, options?: RequestOptions): APIPromise<WebhookEndpointWithSecret> {
    const path = { id };
    return this.#transport.request("api.rotateWebhookSecret", "mb.webhooks.rotateSecret", { path }, options);
  }

  /** Delivery records of one endpoint; `delivered: true`/`false` filters (sent as the strings the wire wants). */
  listEvents(id: string, params: WebhookEventListParams = {}, options?: RequestOptions): ListPromise<WebhookEventRecord> {
    const path = { id };
    const { delivered, ...rest } = params;
    const filters = delivered === undefined ? rest : { ...rest, delivered: typeof delivered === "boolean" ? (`${delivered}` as const) : delivered };
    return ListPromise.from(filters, (query) =>
      this.#transport.request(
        "api.listWebhookEvents",
        "mb.webhooks.listEvents",
        { path, query },
        options),
    );
  }
}
