/**
 * The workspaces the dashboard knows (by the last 4 characters of their
 * key), and a form to open another by its key — sent in a POST body, never
 * in an address.
 */
import { html } from "hono/html";
import type { Html } from "../../page/document.js";
import { workspacePath } from "../layout.js";
import { postForm } from "../parts.js";
import type { KnownWorkspace } from "../workspaces.js";
import type { DashboardView } from "./context.js";

/** How many workspaces the list shows; the form opens any other. */
export const LISTED = 50;

/** Where the key form posts. */
export const SELECT_ACTION = "/__sandbox/workspaces";

export const KEY_LABEL = "Sandbox API key";
export const OPEN_WORKSPACE = "Open workspace";

export function workspaces(known: KnownWorkspace[], token: string, problem?: string): DashboardView {
  const items = known.slice(0, LISTED).map((entry): Html => {
    const what =
      entry.workspace === undefined
        ? "nothing in it yet"
        : `${entry.workspace.patients.size} patients, ${entry.workspace.sessions.size} sessions, ${entry.workspace.events.size} events`;
    return html`<li><a href="${workspacePath(entry)}">Workspace ${entry.label}</a> <span \
class="note">${entry.ready ? "The ready key (MEDBLOCKS_API_KEY). " : ""}${what}</span></li>`;
  });
  return {
    title: "Workspaces",
    current: "Workspaces",
    status: problem === undefined ? 200 : 400,
    content: html`<p>Every sandbox key (<code>mb_sk_sbx_…</code>) is a workspace of its own. Listed: the ready key's and those used since \
the sandbox started, by the last 4 characters of their key.</p>
<section aria-labelledby="known"><h2 id="known">Known workspaces</h2><ul aria-labelledby="known">${items}</ul>
${known.length > LISTED ? html`<p class="note">${known.length - LISTED} more: open them by their key.</p>` : ""}</section>
<section aria-labelledby="open"><h2 id="open">Open a workspace by its key</h2>
${problem === undefined ? "" : html`<p role="alert">${problem}</p>`}
${postForm(
  SELECT_ACTION,
  token,
  html`<label for="key">${KEY_LABEL}</label><input type="password" id="key" name="key" autocomplete="off" \
spellcheck="false" required><div class="actions"><button type="submit">${OPEN_WORKSPACE}</button></div>`,
)}
<p class="note">The key goes in the form's body, never in an address; the dashboard shows only its last 4 characters.</p>
</section>`,
  };
}
