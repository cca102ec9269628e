/**
 * What one delivery attempt leaves on its event record (and endpoint), as
 * `listEvents` shows it: the attempt counted, the receiver's status and the
 * start of its body, `delivered_at` on the first 2xx, and the next attempt
 * by the schedule — or, after the last failure, none and a disabled
 * endpoint. An event delivered once plans no retry when a later
 * redelivery fails.
 */
import { iso } from "../clock.js";
import type { EndpointRecord, EventRecord } from "../state/records.js";
import type { Workspace } from "../state/workspace.js";
import { MAX_ATTEMPTS, nextAttemptAt } from "./schedule.js";

/** How an attempt went, as far as the record keeps it. */
export interface AttemptResult {
  /** A 2xx answer. */
  delivered: boolean;
  /** The receiver's status, or null when it gave none (timeout, no connection, not sent). */
  status: number | null;
  /** The start of the receiver's body (at most 4 KB), or null when there was none. */
  body: string | null;
}

/** Applies an attempt that started at `startedAt` and ended at `endedAt` (workspace ms); says whether it disabled the endpoint. */
export function recordAttempt(
  workspace: Workspace,
  endpoint: EndpointRecord,
  event: EventRecord,
  result: AttemptResult,
  startedAt: number,
  endedAt: number,
): { disabled: boolean } {
  workspace.events.update(event, { attempts: event.attempts + 1, last_status_code: result.status, last_response_body: result.body });
  if (result.delivered || event.delivered_at !== null) {
    if (result.delivered && event.delivered_at === null) workspace.events.update(event, { delivered_at: iso(endedAt) });
    workspace.planAttempt(event, null);
    return { disabled: false };
  }
  const next = nextAttemptAt(event.attempts, startedAt);
  workspace.planAttempt(event, next === null ? null : iso(next));
  // The failure that uses up the schedule disables the endpoint; a redelivery after that does not again.
  if (next !== null || event.attempts !== MAX_ATTEMPTS || endpoint.status === "disabled") return { disabled: false };
  workspace.webhooks.update(endpoint, { status: "disabled", updated_at: iso(endedAt) });
  return { disabled: true };
}
