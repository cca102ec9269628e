/**
 * Webhook events: when something happens that the service announces, one
 * event record is made for every active endpoint subscribed to its type
 * (`["*"]` is every type). The record starts due now, with no attempt yet;
 * the deliveries (webhooks/deliveries.ts) pick it up from there.
 */
import { ID_PREFIXES } from "../spec.js";
import { iso } from "./clock.js";
import type { EventRow, WebhookEventType } from "../state/rows.js";
import type { Workspace } from "../state/workspace.js";

/**
 * Records the events announcing `object`; copies it first, so a failure
 * leaves no event behind — and only when an endpoint is subscribed: most
 * changes of a workspace without webhooks announce nothing.
 */
export function emit(workspace: Workspace, type: WebhookEventType, object: unknown, now: number): EventRow[] {
  const subscribed = workspace.webhooks
    .all()
    .filter((endpoint) => endpoint.status === "active" && (endpoint.events.includes("*") || endpoint.events.includes(type)));
  if (subscribed.length === 0) return [];
  const copy = structuredClone(object);
  const created: EventRow[] = [];
  for (const endpoint of subscribed) {
    created.push(
      workspace.addEvent({
        seq: workspace.nextSeq(),
        id: workspace.newId(ID_PREFIXES.WebhookEventId),
        webhook_endpoint_id: endpoint.id,
        type,
        data: { object: created.length === 0 ? copy : structuredClone(copy) },
        api_version: endpoint.api_version,
        attempts: 0,
        next_attempt_at: iso(now),
        delivered_at: null,
        last_status_code: null,
        last_response_body: null,
        last_redelivered_at: null,
        created_at: iso(now),
      }),
    );
  }
  return created;
}
