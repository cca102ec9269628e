/**
 * What an operation's handler gets: the caller's workspace and clock, the
 * request's parts (already checked against the spec), and the sandbox's
 * public base URL. A handler returns the 200 body (or a promise of it) or
 * throws an ApiError.
 */
import type { Workspace } from "../state/workspace.js";
import type { Deliveries } from "../webhooks/deliveries.js";

export interface Call {
  workspace: Workspace;
  /** The workspace's current time (ms). */
  now: number;
  path: Record<string, string>;
  query: Record<string, string | number>;
  body: any;
  /** The API version in effect: the `Version` header, else the spec's. */
  version: string;
  /** Where the sandbox is reached, for the URLs it hands out. */
  baseUrl: string;
  /** Webhook delivery, for a redelivery sent while the call waits. */
  deliveries: Pick<Deliveries, "deliverNow">;
}

export type Handler = (call: Call) => unknown;
