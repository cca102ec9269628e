/**
 * The request log: the workspace's API and control calls, and the calls
 * that carried no usable key (a missing or wrong key is a common reason an
 * app sees 401s), newest first, as the start log prints them.
 */
import { html } from "hono/html";
import { REQUESTS_KEPT, type RequestEntry } from "../../http/activity.js";
import { duration, table, time } from "../parts.js";
import type { DashboardView, PageContext } from "./context.js";

const row = (entry: RequestEntry) =>
  html`<tr><td>${time(entry.at)}</td><td>${entry.method}</td><td><code>${entry.route}</code></td>\
<td>${entry.status === 0 ? "none" : entry.status >= 400 ? html`<span class="bad">${entry.status}</span>` : entry.status}</td>\
<td>${duration(entry.ms)}</td><td><code>${entry.requestId}</code></td><td>${entry.note ?? ""}</td></tr>`;

const HEADINGS = ["Time", "Method", "Route", "Status", "Duration", "Request id", "Note"];

export function requests({ core, known }: PageContext): DashboardView {
  return {
    title: "Requests",
    current: "Requests",
    content: html`<p>The API and control calls made with this workspace's key since the sandbox started (the latest ${REQUESTS_KEPT}, in \
memory only): the route's template, never a key, a path parameter or a body. A request id is also the answer's <code>X-Request-Id</code> \
and an error's <code>request_id</code>.</p>
<h2>API requests</h2>
${table(
  "requests-table",
  "API requests",
  HEADINGS,
  core.activity.requests(known.key).map(row),
  "No request with this workspace's key yet.",
)}
<h2>Requests without a usable key</h2>
<p>No <code>Authorization</code> header, or not a sandbox key (times are the system clock's).</p>
${table("keyless-table", "Requests without a usable key", HEADINGS, core.activity.keyless().map(row), "None.")}`,
  };
}
