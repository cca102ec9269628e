/**
 * The hosted flow's pages, as HTML. Their accessible names are a contract
 * that integrators' browser tests rely on, so they are written once here:
 * the search box "Search for your health system" (button "Search"); the
 * lists "Suggested", "Connected" and "Not connected"; every EHR a link named
 * by its `name`; on the EHR's page the buttons "Approve access" and "Deny
 * access" and the select "Simulated outcome" (button "Continue with this
 * outcome"); the button back to the app, which reads `return_button_label`
 * exactly as given (it is the button's text), or "Return to app" without
 * one. No page shows the patient's id, the session's id or a secret.
 */
import { html } from "hono/html";
import type { FhirSource } from "../domain/catalog.js";
import { OUTCOME_NAMES, OUTCOMES, type Outcome } from "../domain/outcomes.js";
import type { SessionConnection } from "../api/objects.js";
import type { Html } from "./document.js";

/** The names the pages promise (exact strings). */
export const NAMES = {
  search: "Search for your health system",
  searchButton: "Search",
  suggested: "Suggested",
  connected: "Connected",
  failed: "Not connected",
  approve: "Approve access",
  deny: "Deny access",
  outcome: "Simulated outcome",
  continue: "Continue with this outcome",
  returnTo: (label: string | null) => label ?? "Return to app",
} as const;

/** A page: its title (the h1) and its content. */
export interface View {
  title: string;
  content: Html;
}

/** A form posting to `action` with its form token; `fields` are the form's controls. */
const postForm = (action: string, formToken: string, fields: Html) =>
  html`<form method="post" action="${action}"><input type="hidden" name="form_token" value="${formToken}">${fields}</form>`;

/** A list whose accessible name is its heading. */
const namedList = (id: string, heading: string, items: Html[]) =>
  html`<section aria-labelledby="${id}"><h2 id="${id}">${heading}</h2><ul aria-labelledby="${id}">${items}</ul></section>`;

const ehrLink = (base: string, source: FhirSource) => html`<li><a href="${base}/ehr/${source.id}">${source.name}</a></li>`;

/** What a connected link's later status means to the patient. */
const AFTER_CONNECTING: Record<string, string> = {
  active: "Your records are shared.",
  refresh_failed: "Then the health system's access could not be refreshed: connect again to keep sharing.",
  expired: "Then the access expired: connect again to keep sharing.",
  disconnected: "Then the link was removed.",
};

const failureText = (code: string | null) =>
  (Object.values(OUTCOMES) as Outcome[]).find((outcome) => outcome.failureCode === code)?.description ?? "The connection failed.";

export interface PickerInput {
  /** The page's path, `/c/<token>`. */
  base: string;
  /** `return_button_label`: the text of the button back to the app. */
  label: string | null;
  /** The search text, when searched. */
  query: string | undefined;
  suggested: FhirSource[];
  /** The other EHRs to list: all, or those matching the search. */
  others: FhirSource[];
  /** The session's attempts so far, the latest per EHR, with each EHR. */
  attempts: { source: FhirSource; connection: SessionConnection }[];
  formToken: string;
}

/** Hosted mode: find an EHR, see what is connected, go back to the app. */
export function picker(input: PickerInput): View {
  const connected = input.attempts.filter(({ connection }) => connection.failure_code === null);
  const failed = input.attempts.filter(({ connection }) => connection.failure_code !== null);
  return {
    title: "Connect your health records",
    content: html`<p>Find your health system and sign in there to share your records with the app. You can connect more than one.</p>
${
  connected.length === 0
    ? ""
    : namedList(
        "connected",
        NAMES.connected,
        connected.map(
          ({ source, connection }) => html`<li>${source.name} <span class="note">${AFTER_CONNECTING[connection.status] ?? ""}</span></li>`,
        ),
      )
}
${
  failed.length === 0
    ? ""
    : namedList(
        "failed",
        NAMES.failed,
        failed.map(
          ({ source, connection }) => html`<li>${source.name} <span class="note">${failureText(connection.failure_code)}</span></li>`,
        ),
      )
}
${postForm(
  `${input.base}/return`,
  input.formToken,
  html`<div class="actions"><button type="submit"${
    input.attempts.length === 0
      ? html` \
class="quiet"`
      : ""
  }>${NAMES.returnTo(input.label)}</button></div>`,
)}
<form method="get" action="${input.base}" role="search"><label for="q">${NAMES.search}</label><div class="row"><input type="search" id="q" \
name="q" value="${input.query ?? ""}" autocomplete="off"><button type="submit">${NAMES.searchButton}</button></div></form>
${
  input.suggested.length === 0
    ? ""
    : namedList(
        "suggested",
        NAMES.suggested,
        input.suggested.map((source) => ehrLink(input.base, source)),
      )
}
${
  input.query === undefined
    ? namedList(
        "all",
        "All health systems",
        input.others.map((source) => ehrLink(input.base, source)),
      )
    : input.others.length === 0
      ? html`<section aria-labelledby="results"><h2 id="results">Search results</h2><p>No other health system matches your search.</p>\
</section>`
      : namedList(
          "results",
          "Search results",
          input.others.map((source) => ehrLink(input.base, source)),
        )
}`,
  };
}

export interface LoginInput {
  /** Where the page's forms post: `/c/<token>/ehr/<fhirsrc_…>`. */
  action: string;
  source: FhirSource;
  /** Hosted mode: the picker's path, for the way back. */
  back: string | undefined;
  formToken: string;
}

/** The simulated sign-in at one EHR: approve, deny, or another outcome the service knows. */
export function login(input: LoginInput): View {
  const others = OUTCOME_NAMES.filter((name) => name !== "approve" && name !== "deny");
  return {
    title: input.source.name,
    content: html`<p>Simulated sign-in. At a real health system the patient signs in to their portal here, then chooses whether to \
share.</p>
<p>The app is asking to read your health records from ${input.source.name}.</p>
${postForm(
  input.action,
  input.formToken,
  html`<div class="actions"><button type="submit" name="outcome" \
value="approve">${NAMES.approve}</button><button type="submit" name="outcome" value="deny" class="quiet">${NAMES.deny}</button></div>`,
)}
<h2>Other outcomes</h2>
${postForm(
  input.action,
  input.formToken,
  html`<label for="outcome">${NAMES.outcome}</label><select id="outcome" name="outcome">${others.map(
    (name) => html`<option \
value="${name}">${name}: ${OUTCOMES[name].description}</option>`,
  )}</select><div class="actions"><button type="submit" class="quiet">${NAMES.continue}</button></div>`,
)}
${input.back === undefined ? "" : html`<p><a href="${input.back}">Back to health systems</a></p>`}`,
  };
}

/** A session that can no longer be used: 410, nothing to do. */
export function gone(status: "expired" | "complete"): View {
  return status === "expired"
    ? {
        title: "This link has expired",
        content: html`<p>The time to connect your records ran out. Go back to the app and start again.</p>`,
      }
    : {
        title: "This link was already used",
        content: html`<p>You already finished connecting your records with this link. Go back to the app to start again.</p>`,
      };
}

/** Any other page that says what went wrong (404, 400, 403). */
export const problem = (title: string, text: string): View => ({ title, content: html`<p>${text}</p>` });
