import type { APIPromise } from "../api-promise.js";
import type { RequestOptions } from "../options.js";
import type { Transport } from "../transport.js";
import type { WebhookEventRecord } from "../types.js";

/** `mb.events`: webhook events, by their `evt_` id. */
export class EventsResource {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Sends the event again, under the same `evt_` id (receivers dedupe by it).
   * Once a minute per event; a second call within the minute is a 429.
   */
  redeliver(eventId: string, options?: RequestOptions): APIPromise<WebhookEventRecord> {
    const path = { id: eventId };
    return this.#transport.request("api.redeliverWebhookEvent", "mb.events.redeliver", { path }, options);
  }
}
