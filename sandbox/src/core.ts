/**
 * What every request, control and delivery works with: the state, the time
 * source, where the sandbox is reached, the webhook deliveries and the
 * activity log.
 */
import { Activity } from "./activity.js";
import type { KeyList } from "./auth.js";
import type { TimeSource } from "./clock.js";
import type { RequestLogEntry } from "./reply.js";
import type { Store } from "./state/store.js";
import { Deliveries, type DeliveryOptions } from "./webhooks/deliveries.js";

export interface Core {
  store: Store;
  time: TimeSource;
  /** The public base URL, without a trailing slash. */
  baseUrl: string;
  /** Check every API response against the spec before sending it; a violation is answered 500 and logged. */
  strict: boolean;
  log?: ((entry: RequestLogEntry) => void) | undefined;
  /** Where sandbox warnings and failures (bugs) are reported; default stderr. */
  report?: ((message: string) => void) | undefined;
  /** Sends the workspaces' webhook events; woken after every change. */
  deliveries: Deliveries;
  /** The only keys taken, when the sandbox was started with a list (`--keys`, `keys`); any sandbox key otherwise. */
  keys?: KeyList | undefined;
  /** The request logs and hosted-page visits the dashboard shows (in memory). */
  activity: Activity;
}

/** A core with its webhook deliveries and its activity log. */
export function createCore(fields: Omit<Core, "deliveries" | "activity">, delivery: DeliveryOptions = {}): Core {
  return Object.assign(fields, { deliveries: new Deliveries(fields, delivery), activity: new Activity(fields) });
}
