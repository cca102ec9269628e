/**
 * A whole page of the hosted flow: one document with `lang`, a title, the
 * sandbox banner (header), the content (main) and a footer; and the headers
 * every page answer carries — a CSP that allows nothing but this page's own
 * stylesheet and forms (plus, for forms whose answer redirects to the app,
 * any http(s) origin: Chromium applies `form-action` to the redirect and to
 * every redirect after it, and an app's return handler may well redirect on,
 * to another host or port), no framing, no caching, no referrer beyond this
 * origin.
 */
import { html, raw } from "hono/html";
import { SANDBOX_VERSION } from "../version.js";
import { CSS, CSS_SOURCE } from "./style.js";

export type Html = ReturnType<typeof html>;

/** The Content-Security-Policy of a page whose forms may end at `returnUrl` (none: same origin only). */
export function contentSecurityPolicy(returnUrl?: string): string {
  const formAction = returnUrl === undefined ? "'self'" : "'self' http: https:";
  return `default-src 'none'; style-src ${CSS_SOURCE}; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;
}

/** Headers of every page answer (HTML or redirect). */
export function pageHeaders(returnUrl?: string): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(returnUrl),
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  };
}

/** A page's doctype and `<head>`: `title` in the browser's tab, the one stylesheet `css`, and `extra` (e.g. an icon). */
export const documentStart = (title: string, css: string, extra: Html | string = "") => html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${extra}<title>${title}</title>
<style>${raw(css)}</style>
</head>`;

/** The document around `content`; `title` is the page's h1 too, so the two agree. */
export async function document(title: string, content: Html): Promise<string> {
  return String(
    await html`${documentStart(`${title} · Medblocks sandbox`, CSS)}
<body>
<header><p class="sandbox">Medblocks sandbox: a simulation. No real health system is contacted and no real records are shared.</p></header>
<main>
<h1>${title}</h1>
${content}
</main>
<footer><p>medblocks-sandbox ${SANDBOX_VERSION}</p></footer>
</body>
</html>
`,
  );
}
