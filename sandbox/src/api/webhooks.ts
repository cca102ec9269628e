/** Webhook endpoints, their event records, and redelivery. */
import { iso } from "../domain/clock.js";
import { ApiError, notFound } from "../errors.js";
import { listPage } from "./paging.js";
import { secretText } from "../domain/random.js";
import { operations, ID_PREFIXES } from "../spec.js";
import type { EndpointRow } from "../state/rows.js";
import type { Workspace } from "../state/workspace.js";
import { endpointObject, eventObject } from "./objects.js";
import type { Call } from "./call.js";

/** Manual redelivery: once per event per this many ms. */
const REDELIVERY_INTERVAL_MS = 60_000;

/** The fields PATCH changes: those its body schema names (it allows others, which change nothing). */
const UPDATABLE = Object.keys(operations["api.updateWebhook"].body.schema.properties) as (keyof EndpointRow)[];

const newSecret = () => `${ID_PREFIXES.WebhookSecret}${secretText(58)}`;

function requireEndpoint(workspace: Workspace, id: string): EndpointRow {
  const endpoint = workspace.webhooks.get(id);
  if (!endpoint) throw notFound("webhook endpoint");
  return endpoint;
}

/** A new active endpoint with a fresh secret; `api_version` is fixed from now on. */
export function addEndpoint(
  workspace: Workspace,
  fields: { url: string; events: string[]; description?: string | undefined; metadata?: Record<string, unknown> | undefined },
  now: number,
  version: string,
): EndpointRow {
  return workspace.webhooks.insert({
    seq: workspace.nextSeq(),
    id: workspace.newId(ID_PREFIXES.WebhookEndpointId),
    url: fields.url,
    events: fields.events,
    status: "active",
    description: fields.description ?? null,
    metadata: fields.metadata ?? {},
    api_version: version,
    secret: newSecret(),
    created_at: iso(now),
    updated_at: iso(now),
  });
}

/** Registers an endpoint with the request's API version. The secret is shown here and on rotation only. */
export const createWebhook = ({ workspace, body, now, version }: Call) => {
  const endpoint = addEndpoint(workspace, body, now, version);
  return { ...endpointObject(endpoint), secret: endpoint.secret };
};

export const listWebhooks = ({ workspace, query }: Call) =>
  listPage(
    "api.listWebhooks",
    workspace.webhooks,
    query,
    endpointObject,
    (endpoint) => query.status === undefined || endpoint.status === query.status,
  );

export const getWebhook = ({ workspace, path }: Call) => endpointObject(requireEndpoint(workspace, path.id!));

/** Changes the fields given; `description: null` removes it, `status: "active"` re-enables a disabled endpoint. */
export const updateWebhook = ({ workspace, path, body, now }: Call) => {
  const endpoint = requireEndpoint(workspace, path.id!);
  const changes = Object.fromEntries(UPDATABLE.filter((field) => body?.[field] !== undefined).map((field) => [field, body[field]]));
  if (Object.keys(changes).length > 0) workspace.webhooks.update(endpoint, { ...changes, updated_at: iso(now) });
  return endpointObject(endpoint);
};

/** Deletes the endpoint with its delivery history. */
export const deleteWebhook = ({ workspace, path }: Call) => {
  const endpoint = requireEndpoint(workspace, path.id!);
  for (const event of workspace.events.newestFirst((record) => record.webhook_endpoint_id === endpoint.id)) workspace.deleteEvent(event.id);
  workspace.webhooks.delete(endpoint.id);
  return { id: endpoint.id, resource_type: "webhook_endpoint", deleted: true };
};

/** A new secret; the old one stops working at once. */
export const rotateWebhookSecret = ({ workspace, path, now }: Call) => {
  const endpoint = requireEndpoint(workspace, path.id!);
  workspace.webhooks.update(endpoint, { secret: newSecret(), updated_at: iso(now) });
  return { ...endpointObject(endpoint), secret: endpoint.secret };
};

export const listWebhookEvents = ({ workspace, path, query }: Call) => {
  const endpoint = requireEndpoint(workspace, path.id!);
  const delivered = query.delivered === undefined ? undefined : query.delivered === "true";
  return listPage(
    "api.listWebhookEvents",
    workspace.events,
    query,
    eventObject,
    (event) => event.webhook_endpoint_id === endpoint.id && (delivered === undefined || (event.delivered_at !== null) === delivered),
  );
};

/**
 * Sends the event again now and answers with its record after the attempt;
 * once a minute per event, else 429 with `Retry-After`.
 */
export const redeliverWebhookEvent = async ({ workspace, path, now, deliveries }: Call) => {
  const event = workspace.events.get(path.id!);
  if (!event) throw notFound("event");
  if (event.last_redelivered_at !== null) {
    const wait = Date.parse(event.last_redelivered_at) + REDELIVERY_INTERVAL_MS - now;
    if (wait > 0) {
      throw new ApiError(
        429,
        "throttled",
        "This event was redelivered less than a minute ago: each event can be redelivered once a minute.",
        null,
        Math.ceil(wait / 1000),
      );
    }
  }
  // Set before the attempt, so a second call meanwhile is throttled; taken back if the attempt itself fails.
  const previous = event.last_redelivered_at;
  workspace.events.update(event, { last_redelivered_at: iso(now) });
  try {
    await deliveries.deliverNow(workspace, event);
  } catch (error) {
    workspace.events.update(event, { last_redelivered_at: previous });
    throw error;
  }
  return eventObject(event);
};
