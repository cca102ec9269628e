/**
 * What one delivery attempt leaves on its event record (and endpoint), as
 * `listEvents` shows it: the attempt counted, the receiver's status and the
 * start of its body, `delivered_at` on the first 2xx, and the next attempt
 * by the schedule — or, after the last failure, none and a disabled
 * endpoint. An event delivered once plans no retry when a later
 * redelivery fails. The attempt itself joins the event's
 * `delivery_attempts` (the latest ATTEMPT_HISTORY), for the dashboard.
 */
import { iso } from "../domain/clock.js";
import { ATTEMPT_HISTORY, type DeliveryAttemptRow, type EndpointRow, type EventRow } from "../state/rows.js";
import type { Workspace } from "../state/workspace.js";
import { MAX_ATTEMPTS, nextAttemptAt } from "./schedule.js";

/** How an attempt went: its record without the times and the next attempt, which `recordAttempt` works out. */
export type AttemptResult = Omit<DeliveryAttemptRow, "started_at" | "duration_ms" | "next_attempt_at">;

/**
 * Applies an attempt that started at `startedAt` and ended at `endedAt` (workspace ms), after `durationMs`; says
 * whether it disabled the endpoint.
 */
export function recordAttempt(
  workspace: Workspace,
  endpoint: EndpointRow,
  event: EventRow,
  result: AttemptResult,
  startedAt: number,
  endedAt: number,
  durationMs: number,
): { disabled: boolean } {
  const delivered = result.result === "delivered";
  workspace.events.update(event, {
    attempts: event.attempts + 1,
    last_status_code: result.status_code,
    last_response_body: result.response_body,
  });
  let disabled = false;
  if (delivered || event.delivered_at !== null) {
    if (delivered && event.delivered_at === null) workspace.events.update(event, { delivered_at: iso(endedAt) });
    workspace.planAttempt(event, null);
  } else {
    const next = nextAttemptAt(event.attempts, startedAt);
    workspace.planAttempt(event, next === null ? null : iso(next));
    // The failure that uses up the schedule disables the endpoint; a redelivery after that does not again.
    if (next === null && event.attempts === MAX_ATTEMPTS && endpoint.status !== "disabled") {
      workspace.webhooks.update(endpoint, { status: "disabled", updated_at: iso(endedAt) });
      disabled = true;
    }
  }
  const attempt: DeliveryAttemptRow = {
    started_at: iso(startedAt),
    duration_ms: Math.round(durationMs * 10) / 10,
    ...result,
    next_attempt_at: event.next_attempt_at,
  };
  workspace.events.update(event, { delivery_attempts: [...(event.delivery_attempts ?? []), attempt].slice(-ATTEMPT_HISTORY) });
  return { disabled };
}
