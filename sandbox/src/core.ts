/**
 * What every request, control and delivery works with: the state, the time
 * source, where the sandbox is reached, the webhook deliveries and the
 * activity log — and `changed`, the one way to say the state changed.
 *
 * `changed` does everything a change needs, in this order: the store notes
 * the workspace (keeps a new key's, lets go of one that is empty again),
 * the state file writes what changed (before the change is answered:
 * state/file.ts), and the deliveries look for what fell due. Nothing else
 * notes a change, writes the state file or wakes the deliveries, so a
 * change cannot reach one of them and miss the others.
 */
import { Activity } from "./http/activity.js";
import type { KeyList } from "./api/keys.js";
import type { TimeSource } from "./domain/clock.js";
import type { RequestLogEntry } from "./http/reply.js";
import type { Store } from "./state/store.js";
import type { Workspace } from "./state/workspace.js";
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
  /** Sends the workspaces' webhook events; woken by `changed`. */
  deliveries: Deliveries;
  /** The only keys taken, when the sandbox was started with a list (`--keys`, `keys`); any sandbox key otherwise. */
  keys?: KeyList | undefined;
  /** The request logs and hosted-page visits the dashboard shows (in memory). */
  activity: Activity;
  /**
   * Says the state changed; call it at once after every change, before any
   * await and before the change is answered. `workspace` is the one that
   * changed: none for a reset or an import, which the store notes as it
   * makes them.
   */
  changed(workspace?: Workspace): void;
}

/** What a core is made of: its fields, and `persist`, which writes what changed where it is kept (the state file), if anywhere. */
export type CoreFields = Omit<Core, "deliveries" | "activity" | "changed"> & { persist?: (() => void) | undefined };

/** A core with its webhook deliveries, its activity log and its `changed`. */
export function createCore({ persist, ...fields }: CoreFields, delivery: DeliveryOptions = {}): Core {
  const core = fields as Core;
  core.changed = (workspace) => {
    if (workspace) core.store.noteChange(workspace);
    persist?.();
    core.deliveries.wake();
  };
  core.deliveries = new Deliveries(core, delivery);
  core.activity = new Activity(core);
  return core;
}
