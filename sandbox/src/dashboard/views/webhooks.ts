/**
 * Webhooks: the endpoints (a secret shown only when asked, by a POST),
 * "Send test event", every delivery attempt, the events; and one event
 * with the request it is sent as and each attempt in full — the
 * `Medblocks-Signature` header sent and the receiver's answer (the first
 * 4 KB, as the service keeps it) — with "Redeliver".
 */
import { html } from "hono/html";
import { TRIGGER_TYPES } from "../../domain/trigger.js";
import type { DeliveryAttemptRow, EndpointRow, EventRow } from "../../state/rows.js";
import { SANDBOX_VERSION } from "../../version.js";
import { SIGNATURE_HEADER } from "../../webhooks/sign.js";
import { eventDelivery } from "../../api/objects.js";
import { attemptResult, attemptWhy, duration, item, postForm, table, time, when } from "../parts.js";
import { DELIVERY_FAULT_TEXT } from "./overview.js";
import { newest, PAGE_LIMIT, type DashboardView, type PageContext } from "./context.js";

/** The names of the webhook pages' buttons (a documented contract). */
export const BUTTONS = { reveal: "Reveal secret", test: "Send test event", redeliver: "Redeliver" } as const;

/** The attempts of an event with their numbers (older ones beyond the history are dropped). */
export function numbered(event: EventRow): { number: number; attempt: DeliveryAttemptRow }[] {
  const kept = event.delivery_attempts ?? [];
  const dropped = event.attempts - kept.length;
  return kept.map((attempt, index) => ({ number: dropped + index + 1, attempt }));
}

function endpointRow({ base, token }: PageContext, endpoint: EndpointRow) {
  const reveal = `${base}/webhooks/${endpoint.id}/secret`;
  return html`<tr><td><code>${endpoint.id}</code></td><td><code>${endpoint.url}</code></td><td>${endpoint.events.join(", ")}</td>\
<td>${endpoint.status === "disabled" ? html`<span class="bad">disabled</span>` : endpoint.status}</td>\
<td>${endpoint.description ?? "—"}</td><td>${postForm(
    reveal,
    token(reveal),
    html`<button type="submit" class="quiet" \
aria-describedby="secret-note">${BUTTONS.reveal}</button>`,
  )}</td></tr>`;
}

export function webhooks(context: PageContext): DashboardView {
  const { workspace, base, now, token } = context;
  const events = workspace.events.all();
  const attempts = events
    .flatMap((event) => numbered(event).map((entry) => ({ event, ...entry })))
    .sort(
      (a, b) => Date.parse(a.attempt.started_at) - Date.parse(b.attempt.started_at) || a.event.seq - b.event.seq || a.number - b.number,
    );
  const attemptRows = newest(attempts, PAGE_LIMIT).map(
    ({ event, number, attempt }) =>
      html`<tr><td>${time(attempt.started_at)}</td><td>${event.type} <a href="${base}/events/${event.id}">${event.id}</a> <span \
class="when">to <code>${event.webhook_endpoint_id}</code></span></td><td>${number}${attempt.redelivery ? " (redelivery)" : ""}</td>\
<td>${attemptResult(attempt)}</td><td class="why">${attemptWhy(attempt)}</td><td>${duration(attempt.duration_ms)}</td>\
<td>${time(attempt.next_attempt_at)}</td></tr>`,
  );
  const eventRows = newest(events, PAGE_LIMIT).map(
    (event) =>
      html`<tr><td><a href="${base}/events/${event.id}">${event.id}</a></td><td>${event.type}</td><td>\
<code>${event.webhook_endpoint_id}</code></td><td>${time(event.created_at)}</td><td>${event.attempts}</td>\
<td>${event.last_status_code ?? "—"}</td>\
<td>${event.delivered_at === null ? html`<span class="bad">not yet</span>` : time(event.delivered_at)}</td>\
<td>${when(event.next_attempt_at, now)}</td></tr>`,
  );
  const test = `${base}/webhooks/test`;
  return {
    title: "Webhooks",
    current: "Webhooks",
    content: html`<section aria-labelledby="attempts"><h2 id="attempts">Delivery attempts</h2>
<p>Every attempt to deliver an event, newest first. An event's page has the request it is sent as and each answer in full.</p>
${table(
  "attempts-table",
  "Delivery attempts",
  ["Started", "Event", "Attempt", "Result", "Why, or the answer", "Duration", "Next attempt"],
  attemptRows,
  "No delivery attempt yet.",
)}
${attempts.length > PAGE_LIMIT ? html`<p class="note">The newest ${PAGE_LIMIT} of ${attempts.length}.</p>` : ""}
</section>
<section aria-labelledby="events"><h2 id="events">Events</h2>
${table(
  "events-table",
  "Events",
  ["Event", "Type", "Endpoint", "Created", "Attempts", "Last status", "Delivered", "Next attempt"],
  eventRows,
  "No event yet.",
)}
</section>
<section aria-labelledby="endpoints"><h2 id="endpoints">Endpoints</h2>
${table(
  "endpoints-table",
  "Endpoints",
  ["Endpoint", "URL", "Events", "Status", "Description", "Signing secret"],
  workspace.webhooks.all().map((endpoint) => endpointRow(context, endpoint)),
  "No endpoint yet: POST /webhooks registers one (or start the sandbox with --forward-to).",
)}
<p class="note" id="secret-note">A secret is shown only when asked for, on a page of its own, as the API shows it only on create and \
rotation.</p>
<h3>Send a test event</h3>
<p>Makes the event happen as the service would (a new patient, <code>trigger_…</code>, visits an EHR), sends it to every active endpoint \
subscribed to it, and waits for the deliveries.</p>
${postForm(
  test,
  token(test),
  html`<div class="inline"><div><label for="test-type">Event type</label><select id="test-type" \
name="type">${TRIGGER_TYPES.map((type) => html`<option value="${type}">${type}</option>`)}</select></div><button \
type="submit">${BUTTONS.test}</button></div>`,
)}
</section>`,
  };
}

function attemptSection(number: number, attempt: DeliveryAttemptRow) {
  const id = `attempt-${number}`;
  return html`<section aria-labelledby="${id}"><h3 id="${id}">Attempt ${number}: ${attemptResult(attempt)}</h3>
<dl>
${item("Started", time(attempt.started_at))}
${item("Duration", duration(attempt.duration_ms))}
${item("Result", attempt.result === "not_sent" ? "not sent" : attempt.result)}
${item("Status", attempt.status_code ?? "none")}
${attempt.error === null ? "" : item("Why", attempt.error)}
${item("Sent as", attempt.redelivery ? "a redelivery" : "planned by the schedule")}
${attempt.fault === null ? "" : item("Fault", `${attempt.fault}: ${DELIVERY_FAULT_TEXT[attempt.fault]}`)}
${item("Next attempt", attempt.next_attempt_at === null ? "none planned" : time(attempt.next_attempt_at))}
${item(SIGNATURE_HEADER, attempt.signature === null ? "not sent" : html`<code>${attempt.signature}</code>`)}
</dl>
<h4>The receiver's answer${attempt.response_body === null ? "" : " (its first 4 KB)"}</h4>
${
  attempt.response_body === null
    ? html`<p>${attempt.status_code === null ? "No answer." : "An empty body."}</p>`
    : html`<pre>${attempt.response_body}</pre>`
}
</section>`;
}

export function event(context: PageContext, found: EventRow): DashboardView {
  const { workspace, base, now, token } = context;
  const endpoint = workspace.webhooks.get(found.webhook_endpoint_id);
  const attempts = numbered(found);
  const redeliver = `${base}/events/${found.id}/redeliver`;
  const body = JSON.stringify(eventDelivery(found));
  return {
    title: `Event ${found.id}`,
    current: "Webhooks",
    content: html`<dl>
${item("Type", found.type)}
${item(
  "Endpoint",
  endpoint
    ? html`<code>${endpoint.id}</code> <code>${endpoint.url}</code> \
(${endpoint.status})`
    : html`<code>${found.webhook_endpoint_id}</code> (deleted)`,
)}
${item("Created", time(found.created_at))}
${item("Attempts", found.attempts)}
${item("Delivered", found.delivered_at === null ? html`<span class="bad">not yet</span>` : time(found.delivered_at))}
${item("Next attempt", found.next_attempt_at === null ? "none planned" : when(found.next_attempt_at, now))}
${item("Last redelivered", found.last_redelivered_at === null ? "never" : time(found.last_redelivered_at))}
</dl>
${
  endpoint
    ? postForm(
        redeliver,
        token(redeliver),
        html`<div class="actions"><button type="submit">${BUTTONS.redeliver}</button></div><p \
class="note">Sends it again now, whatever the schedule (once a minute per event, as the API allows), and shows how it went.</p>`,
      )
    : ""
}
<section aria-labelledby="request"><h2 id="request">The request</h2>
<p>Every attempt posts the same body; the signature is made for each attempt, with the time it left.</p>
<pre>POST ${endpoint?.url ?? ""}
content-type: application/json
user-agent: medblocks-sandbox/${SANDBOX_VERSION}
${SIGNATURE_HEADER}: ${attempts.at(-1)?.attempt.signature ?? "(made when it is sent)"}</pre>
<h3>Body</h3>
<pre>${body}</pre>
</section>
<section aria-labelledby="attempt-list"><h2 id="attempt-list">Attempts</h2>
${
  found.attempts > attempts.length
    ? html`<p class="note">The first ${found.attempts - attempts.length} attempts are no longer \
kept.</p>`
    : ""
}
${
  attempts.length === 0
    ? html`<p>No attempt yet${
        found.next_attempt_at === null
          ? "."
          : html`: the first is \
due ${when(found.next_attempt_at, now)}.`
      }</p>`
    : attempts.map(({ number, attempt }) => attemptSection(number, attempt))
}
</section>`,
  };
}

/** The page a "Reveal secret" POST answers with. */
export function secret(context: PageContext, endpoint: EndpointRow): DashboardView {
  return {
    title: `Signing secret of ${endpoint.id}`,
    current: "Webhooks",
    content: html`<p>Deliveries to <code>${endpoint.url}</code> are signed with:</p>
<pre>${endpoint.secret}</pre>
<p>Give it to your receiver (e.g. as <code>MEDBLOCKS_WEBHOOK_SECRET</code>) and keep it out of logs and source control. This page is not \
kept: reloading it asks again.</p>
<p><a href="${context.base}/webhooks">Back to webhooks</a></p>`,
  };
}
