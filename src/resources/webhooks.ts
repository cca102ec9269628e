import type { RequestOptions } from "../options.js";
import type { ListPromise } from "../pagination.js";
import type { Transport } from "../transport.js";
import type { WebhookEventListParams, WebhookEventRecord, WebhookEventList } from "../types.js";
import { isObject } from "../rules.js";
import { constructEvent, generateTestHeaderString } from "../webhook-signature.js";
import { adopt, methodsOf, type ResourceMethods } from "./methods.js";

export interface WebhooksResource extends Omit<ResourceMethods<"webhooks">, "listEvents"> {}

/** `mb.webhooks`: your webhook endpoints, their delivery records, and signature verification. */
export class WebhooksResource {
  readonly #methods: ResourceMethods<"webhooks">;
  /** Verifies a delivery's signature and returns its typed event (also `Medblocks.webhooks.constructEvent`). */
  readonly constructEvent = constructEvent;
  /** A valid `Medblocks-Signature` header for a test payload. */
  readonly generateTestHeaderString = generateTestHeaderString;

  constructor(transport: Transport) {
    this.#methods = methodsOf(transport, "webhooks");
    adopt(this, this.#methods);
  }

  /**
   * Delivery records of one endpoint; await for a page or iterate for all.
   * `delivered: true`/`false` filters (sent as the strings the wire wants).
   */
  listEvents(id: string, params: WebhookEventListParams = {}, options?: RequestOptions): ListPromise<WebhookEventRecord, WebhookEventList> {
    // Anything but an object goes on as given, to be refused by the operation's rules.
    if (!isObject(params)) return this.#methods.listEvents(id, params, options);
    const { delivered, ...rest } = params;
    return this.#methods.listEvents(
      id,
      delivered === undefined ? rest : { ...rest, delivered: typeof delivered === "boolean" ? `${delivered}` : delivered },
      options,
    );
  }
}
