/**
 * A workspace's overview: what is in it (and which deliveries are failing),
 * the clock with "Advance", the faults queued with forms to inject and
 * clear them, and the workspace's state: export, import, reset.
 */
import { html } from "hono/html";
import { iso } from "../../domain/clock.js";
import { MAX_ADVANCE_SECONDS } from "../../control/operations.js";
import { isAuthenticated, operationIds, operations } from "../../spec.js";
import { DELIVERY_FAULT_KINDS, type DeliveryFaultKind } from "../../state/rows.js";
import { sessionStatus } from "../../api/objects.js";
import { attemptResult, attemptWhy, postForm, table, time, when } from "../parts.js";
import type { DashboardView, PageContext } from "./context.js";

/** What each delivery fault does to the next delivery. */
export const DELIVERY_FAULT_TEXT: Record<DeliveryFaultKind, string> = {
  duplicate: "sent twice (the same body and signature)",
  out_of_order: "held back until the next delivery to the endpoint went out (at most 1 s)",
  stale_timestamp: "signed 10 minutes in the past",
  bad_signature: "signed with another secret",
};

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

function summary({ workspace, base, now }: PageContext) {
  const sessions = workspace.sessions.all();
  const open = sessions.filter((session) => sessionStatus(session, now) === "open").length;
  const events = workspace.events.all();
  const failing = events.filter((event) => event.delivered_at === null && (event.delivery_attempts?.length ?? 0) > 0);
  const latest = failing.at(-1);
  const lastAttempt = latest?.delivery_attempts?.at(-1);
  return html`<section aria-labelledby="contents"><h2 id="contents">In this workspace</h2>
<ul>
<li><a href="${base}/patients">${count(workspace.patients.size, "patient")}, ${count(workspace.links.size, "link")}</a></li>
<li><a href="${base}/sessions">${count(sessions.length, "session")}, ${open} open</a></li>
<li><a href="${base}/webhooks">${count(workspace.webhooks.size, "webhook endpoint")}, ${count(events.length, "event")}</a></li>
</ul>
${
  latest && lastAttempt
    ? html`<p role="status">${failing.length === 1 ? "1 event is" : `${failing.length} events are`} not delivered. The latest,\
 ${latest.type} <a href="${base}/events/${latest.id}">${latest.id}</a>: attempt ${latest.attempts} ${attemptResult(lastAttempt)},\
 ${attemptWhy(lastAttempt)}${
   latest.next_attempt_at ? html`; next attempt ${when(latest.next_attempt_at, now)}` : "; no attempt is planned"
 }.</p>`
    : ""
}</section>`;
}

function clock({ workspace, base, now, token }: PageContext) {
  const action = `${base}/clock`;
  return html`<section aria-labelledby="clock"><h2 id="clock">Clock</h2>
<p>Workspace \
time: ${time(iso(now))}${
    workspace.clockOffsetMs > 0
      ? ` (${Math.round(workspace.clockOffsetMs / 1000)} s ahead of the system \
clock)`
      : " (the system clock)"
  }. Advancing it expires sessions, ages cursors and sends the webhook retries that fall due; it only moves \
forward.</p>
${postForm(
  action,
  token(action),
  html`<div class="inline"><div><label for="seconds">Seconds to advance</label><input type="number" \
id="seconds" name="seconds" min="1" max="${MAX_ADVANCE_SECONDS}" step="any" value="60" required></div><button \
type="submit">Advance</button></div>`,
)}
</section>`;
}

function faults({ workspace, base, token }: PageContext) {
  const rows = [
    ...workspace.faults.map(
      (fault) =>
        html`<tr><td>API call</td><td><code>${fault.operation}</code></td>\
<td>${
          fault.drop
            ? "drop the connection"
            : fault.status !== null
              ? `answer ${fault.status} ${fault.code}${
                  fault.retry_after
                    ? `, \
Retry-After ${fault.retry_after}`
                    : ""
                }`
              : ""
        }${fault.delay_ms ? ` after ${fault.delay_ms} ms` : ""}</td><td>${fault.remaining}</td></tr>`,
    ),
    ...workspace.deliveryFaults.map(
      (fault) => html`<tr><td>Webhook delivery</td><td><code>${fault.delivery}</code></td><td>${DELIVERY_FAULT_TEXT[fault.delivery]}</td>\
<td>${fault.remaining}</td></tr>`,
    ),
  ];
  const inject = `${base}/faults`;
  const injectDelivery = `${base}/faults/delivery`;
  const clear = `${base}/faults/clear`;
  const operationOptions = operationIds
    .filter(isAuthenticated)
    .map((id) => html`<option value="${id}">${id} (${operations[id].method} ${operations[id].path})</option>`);
  return html`<section aria-labelledby="faults"><h2 id="faults">Faults</h2>
${table(
  "faults-queued",
  "Queued faults",
  ["Kind", "Applies to", "Does", "Times left"],
  rows,
  "No fault is queued: calls and deliveries behave normally.",
)}
${rows.length === 0 ? "" : postForm(clear, token(clear), html`<div class="actions"><button type="submit">Clear faults</button></div>`)}
<h3>Fail the next API calls</h3>
${postForm(
  inject,
  token(inject),
  html`<label for="fault-operation">Operation</label><select id="fault-operation" name="operation">${operationOptions}</select>
<div class="inline"><div><label for="fault-status">Answer with status</label><input type="number" id="fault-status" name="status" \
min="400" max="599" placeholder="e.g. 500"></div>
<div><label for="fault-delay">Wait first (ms)</label><input type="number" id="fault-delay" name="delay_ms" min="0" max="60000"></div>
<div><label for="fault-times">Calls to fail</label><input type="number" id="fault-times" name="times" min="1" max="1000" value="1"></div>\
</div>
<div class="check"><input type="checkbox" id="fault-drop" name="drop" value="true"><label for="fault-drop">Drop the connection instead of \
answering</label></div>
<div class="actions"><button type="submit">Inject fault</button></div>`,
)}
<h3>Break the next webhook deliveries</h3>
${postForm(
  injectDelivery,
  token(injectDelivery),
  html`<div class="inline"><div><label for="delivery-fault">Delivery fault</label><select id="delivery-fault" \
name="delivery">${DELIVERY_FAULT_KINDS.map(
    (kind) => html`<option \
value="${kind}">${kind}: ${DELIVERY_FAULT_TEXT[kind]}</option>`,
  )}</select></div>
<div><label for="delivery-times">Deliveries to break</label><input type="number" id="delivery-times" name="times" min="1" max="1000" \
value="1"></div>
<button type="submit">Inject delivery fault</button></div>`,
)}
</section>`;
}

function state({ base, token }: PageContext) {
  const exportAction = `${base}/state/export`;
  const importAction = `${base}/state/import`;
  const reset = `${base}/reset`;
  return html`<section aria-labelledby="state"><h2 id="state">State</h2>
<p>The workspace as JSON (webhook secrets included), as <code>GET /__sandbox/state</code> gives it; an import replaces everything in the \
workspace.</p>
${postForm(exportAction, token(exportAction), html`<div class="actions"><button type="submit">Export state</button></div>`)}
${postForm(
  importAction,
  token(importAction),
  html`<label for="state-file">State file</label><input type="file" id="state-file" \
name="state" accept="application/json,.json" required><div class="actions"><button type="submit">Import state</button></div>`,
  { multipart: true },
)}
${postForm(
  reset,
  token(reset),
  html`<div class="actions"><button type="submit" class="quiet">Reset workspace</button></div><p \
class="note">Reset deletes everything in the workspace: data, clock and faults.</p>`,
)}
</section>`;
}

export function overview(context: PageContext): DashboardView {
  return { title: "Overview", current: "Overview", content: html`${summary(context)}${clock(context)}${faults(context)}${state(context)}` };
}
