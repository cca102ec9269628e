/**
 * The document around every page: `lang`, a title that matches the one h1,
 * a skip link, header with the main navigation, main, footer. The headers
 * every page carries are set in app.ts.
 */
import { tokenField } from "./csrf.js";
import { html, type Html } from "./html.js";

export const APP_NAME = "Example Health App";

export interface PageInput {
  /** The page's h1 and the start of its title. */
  title: string;
  /** The signed-in user's name, or null on the sign-in page. */
  user: string | null;
  /** The form token every POST form carries (`res.locals.formToken`, see csrf.ts). */
  formToken: string;
  content: Html;
}

const navigation = (user: string | null, formToken: string) =>
  user === null
    ? ""
    : html`<nav aria-label="Main"><ul><li><a href="/">Home</a></li><li><a href="/records">Your records</a></li><li><a \
href="/webhooks">Webhook events</a></li></ul></nav>
<form method="post" action="/signout">${tokenField(formToken)}<span>Signed in as ${user}</span> <button type="submit" class="link">Sign \
out</button></form>`;

export function page({ title, user, formToken, content }: PageInput): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${APP_NAME}</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><div class="bar"><p class="brand">${APP_NAME}</p>${navigation(user, formToken)}</div></header>
<main id="main" tabindex="-1">
<h1>${title}</h1>
${content}
</main>
<footer><p>An example integration of medblocks-client, running against medblocks-sandbox.</p></footer>
</body>
</html>
`.text;
}

/** A list named by its heading (its accessible name is the heading's text). */
export const namedList = (id: string, heading: string, items: Html[]) =>
  html`<section aria-labelledby="${id}"><h2 id="${id}">${heading}</h2><ul aria-labelledby="${id}">${items}</ul></section>`;
