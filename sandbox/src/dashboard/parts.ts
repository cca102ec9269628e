/**
 * What the dashboard's pages are made of: times on the workspace's clock,
 * named tables (a caption is a table's accessible name), forms that carry
 * their token, and how a delivery attempt ended, in words.
 */
import { html, raw } from "hono/html";
import type { Html } from "../page/document.js";
import type { DeliveryAttemptRow } from "../state/rows.js";

/** `2026-04-25 10:00:00 UTC`: how the dashboard writes a time. */
export const timeText = (iso: string): string => iso.replace("T", " ").replace(/\.\d+Z$|Z$/, " UTC");

/** A time as `timeText` writes it, in a `<time>`. */
export function time(at: string | number | null): Html | string {
  if (at === null) return "—";
  const iso = typeof at === "number" ? new Date(at).toISOString() : at;
  // The date and the time of day each stay whole; a narrow column puts them on two lines.
  const day = timeText(iso).split(" ", 1)[0]!;
  return html`<time datetime="${iso}"><span>${day}</span> <span>${timeText(iso).slice(day.length + 1)}</span></time>`;
}

/** How far `at` is from `now`: `in 4 min`, `12 s ago`. */
export function relative(at: string | number, now: number): string {
  const ms = (typeof at === "number" ? at : Date.parse(at)) - now;
  const abs = Math.abs(ms);
  const units: [number, string][] = [
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "min"],
    [1_000, "s"],
  ];
  const [size, unit] = units.find(([size]) => abs >= size) ?? [1_000, "s"];
  const amount = Math.round(abs / size);
  if (amount === 0) return "now";
  return ms > 0 ? `in ${amount} ${unit}` : `${amount} ${unit} ago`;
}

/** A time and how far it is from now. */
export const when = (at: string | null, now: number) =>
  at === null ? "—" : html`${time(at)} <span class="when">(${relative(at, now)})</span>`;

/**
 * A table named by its caption (for assistive technology: the section's heading says it on screen), in a region that
 * scrolls sideways on a narrow screen (and can be focused to scroll).
 */
export function table(id: string, caption: string, headings: string[], rows: Html[], empty: string): Html {
  if (rows.length === 0) return html`<p id="${id}">${empty}</p>`;
  return html`<div class="scroll" role="region" aria-labelledby="${id}" tabindex="0"><table><caption id="${id}" \
class="vh">${caption}</caption>
<thead><tr>${headings.map((heading) => html`<th scope="col">${heading}</th>`)}</tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

/** A POST form to `action` with its token; `fields` are its controls. `multipart` for a file. */
export const postForm = (action: string, token: string, fields: Html, options: { multipart?: boolean; className?: string } = {}) =>
  html`<form method="post" \
action="${action}"${options.multipart ? raw(' enctype="multipart/form-data"') : ""}${
    options.className
      ? html` \
class="${options.className}"`
      : ""
  }><input type="hidden" name="form_token" value="${token}">${fields}</form>`;

/** A term and its description, for a `<dl>`. */
export const item = (term: string, description: Html | string | number) => html`<dt>${term}</dt><dd>${description}</dd>`;

/** How an attempt ended, in a few words: `delivered 200`, `failed 500`, `timeout`, `unreachable`, `not sent`. */
export function attemptResult(attempt: DeliveryAttemptRow): Html {
  const status = attempt.status_code === null ? "" : ` ${attempt.status_code}`;
  const words = attempt.result === "not_sent" ? "not sent" : `${attempt.result}${status}`;
  return html`<span class="${attempt.result === "delivered" ? "good" : "bad"}">${words}</span>`;
}

/** Why an attempt failed, or what the receiver said: the error, else the start of the answer; and the fault it carried. */
export function attemptWhy(attempt: DeliveryAttemptRow, limit = 120): string {
  const fault = attempt.fault === null ? "" : ` (it carried the injected fault ${attempt.fault})`;
  if (attempt.error !== null) return `${attempt.error}${fault}`;
  const body = attempt.response_body ?? "";
  if (body === "") return attempt.result === "delivered" ? fault.trim() : `the answer had no body${fault}`;
  return `${body.length > limit ? `${body.slice(0, limit)}…` : body}${fault}`;
}

/** A number of milliseconds, as the log prints it. */
export const duration = (ms: number) => `${ms.toFixed(1)} ms`;
