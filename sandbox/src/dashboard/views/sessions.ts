/**
 * The workspace's sessions, and one session: what it is, "Complete as…"
 * for every outcome while it is open, where the patient's browser returns
 * once it completed, and its timeline.
 */
import { html } from "hono/html";
import { CATALOG, findSource } from "../../domain/catalog.js";
import { OUTCOME_NAMES, OUTCOMES } from "../../domain/outcomes.js";
import type { SessionRow } from "../../state/rows.js";
import { sessionObject, sessionStatus, sessionUrl } from "../../api/objects.js";
import { item, postForm, table, time, when } from "../parts.js";
import { landingOf, timeline, type Moment } from "../timeline.js";
import { newest, PAGE_LIMIT, type DashboardView, type PageContext } from "./context.js";

/** The names of the session page's buttons (a documented contract). */
export const completeAs = (outcome: string) => `Complete as ${outcome}`;
export const RETURN_WITHOUT_CONNECTING = "Return without connecting";

const mode = (session: SessionRow) =>
  session.connection_id === null ? "hosted" : html`direct: ${findSource(session.connection_id)?.name ?? session.connection_id}`;

export function sessions({ workspace, base, now, core }: PageContext): DashboardView {
  const rows = newest(workspace.sessions.all(), PAGE_LIMIT).map((session) => {
    const status = sessionStatus(session, now);
    const url = sessionUrl(session, core.baseUrl);
    return html`<tr><td><a href="${base}/sessions/${session.id}">${session.id}</a></td><td><code>${session.patient_id}</code></td>\
<td>${status}</td><td>${mode(session)}</td><td>${time(session.created_at)}</td><td>${when(session.expires_at, now)}</td>\
<td>${status === "open" ? html`<a href="${url}">Hosted page</a>` : "—"}</td>\
<td>${status === "open" ? html`<a href="${base}/sessions/${session.id}#complete">Complete as…</a>` : "—"}</td></tr>`;
  });
  return {
    title: "Sessions",
    current: "Sessions",
    content: html`<p>Each session's page has its timeline and, while it is open, "Complete as…" buttons for every outcome.</p>
${table(
  "sessions-table",
  "Sessions",
  ["Session", "Patient", "Status", "Mode", "Created", "Expires", "Hosted page", "Complete"],
  rows,
  "No session yet: POST /patient-sessions starts one.",
)}
${workspace.sessions.size > PAGE_LIMIT ? html`<p class="note">The newest ${PAGE_LIMIT} of ${workspace.sessions.size}.</p>` : ""}`,
  };
}

function completeForms({ base, token }: PageContext, session: SessionRow) {
  const action = `${base}/sessions/${session.id}/complete`;
  const hosted = session.connection_id === null;
  const suggested = (session.recommended_connection_ids ?? []).map((id) => findSource(id)!).filter(Boolean);
  const others = CATALOG.filter((source) => !suggested.includes(source));
  const ehrSelect = hosted
    ? html`<label for="complete-ehr">Health system</label><select id="complete-ehr" \
name="connection_id">${
        suggested.length > 0
          ? html`<optgroup label="Suggested">${suggested.map(
              (source) => html`<option \
value="${source.id}">${source.name}</option>`,
            )}</optgroup>`
          : ""
      }<optgroup label="All health systems">${others.map(
        (source) => html`<option \
value="${source.id}">${source.name}</option>`,
      )}</optgroup></select>`
    : html`<p>The visit is to the session's own health system, ${findSource(session.connection_id!)?.name}; then the browser returns to \
the app.</p>`;
  const buttons = OUTCOME_NAMES.map(
    (name) => html`<li><button type="submit" name="outcome" \
value="${name}"${name === "approve" ? "" : html` class="quiet"`}>${completeAs(name)}</button> <span \
class="note">${OUTCOMES[name].description}</span></li>`,
  );
  return html`<section aria-labelledby="complete"><h2 id="complete">Complete the session</h2>
<p>Does what the patient's browser would: a visit to the health system ends in the outcome, then the patient returns to the app. The \
browser itself goes nowhere: open the return below once it completed.</p>
${postForm(action, token(action), html`${ehrSelect}<ul class="outcomes">${buttons}</ul>`)}
${
  hosted
    ? postForm(
        action,
        token(action),
        html`<div class="actions"><button type="submit" \
class="quiet">${RETURN_WITHOUT_CONNECTING}</button></div>`,
      )
    : ""
}
</section>`;
}

function moment(context: PageContext, entry: Moment) {
  const link = entry.eventId ? html` <span>(<a href="${context.base}/events/${entry.eventId}">Event ${entry.eventId}</a>)</span>` : "";
  const landing = entry.landing ? html`: <code>${entry.landing}</code>` : "";
  return html`<li>${time(entry.at)}: ${entry.text}${link}${landing}</li>`;
}

export function session(context: PageContext, found: SessionRow): DashboardView {
  const { workspace, now, core } = context;
  const returned = sessionObject(workspace, found, now, core.baseUrl);
  const hostedPage =
    returned.status === "open" ? html`<a href="${returned.url}">Open the hosted page</a>` : `no longer usable (${returned.status})`;
  const landing = landingOf(found);
  const moments = timeline(workspace, found, core.activity.visits(workspace, found.id), now);
  return {
    title: `Session ${found.id}`,
    current: "Sessions",
    content: html`<dl>
${item("Status", returned.status)}
${item("Mode", mode(found))}
${item("Patient", html`<code>${found.patient_id}</code>`)}
${item("Created", time(found.created_at))}
${item("Expires", when(found.expires_at, now))}
${item("Completed", found.completed_at === null ? "not yet" : time(found.completed_at))}
${item("Return URL", html`<code>${found.return_url}</code>`)}
${item("Hosted page", hostedPage)}
</dl>
${
  landing === null
    ? ""
    : html`<section aria-labelledby="return"><h2 id="return">Return</h2><p>The patient's browser was sent back to \
<code>${landing}</code>.</p><p><a href="${landing}">Open the return</a> (in this browser, as the patient would land).</p></section>`
}
<section aria-labelledby="timeline"><h2 id="timeline">Timeline</h2>
<ol class="timeline" aria-labelledby="timeline">${moments.map((entry) => moment(context, entry))}</ol>
<p class="note">Page visits are kept in memory since the sandbox started; everything else comes from the workspace's records.</p>
</section>
${returned.status === "open" ? completeForms(context, found) : ""}`,
  };
}
