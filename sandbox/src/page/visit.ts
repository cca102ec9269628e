/**
 * `sb.visit(url, …)`: the patient's browser through the hosted page, in
 * this process. It goes the way a browser goes — the page's own HTML and
 * forms, fetched through the sandbox's `fetch` with the `Origin` and
 * `Sec-Fetch-Site` a browser sends, so the same routes, guards and form
 * tokens answer it — and never calls the completion underneath: a test of
 * an app that hands back only `{ url }` tests the path its users take.
 */
import type { OutcomeName } from "../domain/outcomes.js";
import { completionSource, type Completion } from "../domain/sessions.js";
import { ApiError } from "../errors.js";
import { Browser, Page, type FetchLike, type Landing } from "./browser.js";
import { NAMES } from "./views.js";

/** The button that ends a visit to an EHR in `outcome`, and the fields it needs. */
const choice = (outcome: OutcomeName): [button: string, fields: Record<string, string>] =>
  outcome === "approve" ? [NAMES.approve, {}] : outcome === "deny" ? [NAMES.deny, {}] : [NAMES.continue, { [NAMES.outcome]: outcome }];

/** The page, if it answered 200; what its answer means otherwise. */
function opened(result: Page | Landing): Page {
  if (!(result instanceof Page)) throw new Error("sb.visit: the browser left the hosted page before the patient returned (a sandbox bug)");
  if (result.status === 200) return result;
  const title = result.headings(1)[0] ?? "";
  if (result.status === 404)
    throw new ApiError(404, "resource_not_found", `No session has this \`url\`: its page answers 404 ("${title}").`, "url");
  if (result.status === 410)
    throw new ApiError(409, "resource_conflict", `Only an open session can be visited: its page answers 410 ("${title}").`, "url");
  throw new Error(`sb.visit: the hosted page answered ${result.status} ("${title}")`);
}

/** Where the browser left for the app. */
function landing(result: Page | Landing): string {
  if (!(result instanceof Page)) return result.landing;
  opened(result);
  throw new Error(`sb.visit: the hosted page answered ${result.status} where the patient returns to the app`);
}

/**
 * Opens the session's page at `url`, visits the EHR `completion` names (in
 * hosted mode picked from "Suggested", else found with the search box) with
 * its outcome's button, and returns to the app (hosted mode: its "Return
 * to …" button). Resolves with the URL the browser lands on.
 */
export async function visitPage(fetch: FetchLike, baseUrl: string, url: string, completion: Completion): Promise<string> {
  const pages = `${baseUrl}/c/`;
  if (!url.startsWith(pages))
    throw new ApiError(400, "invalid_data", `\`url\` must be a session's \`url\` from this sandbox (${pages}…).`, "url");
  const browser = new Browser(fetch, new URL(baseUrl).origin);
  let page = opened(await browser.open(url));
  // A direct-mode session opens on its EHR's sign-in, whose forms post to `…/ehr/<its fhirsrc_ id>`.
  const signIn = page.forms().find((form) => form.controls.some((control) => control.name === NAMES.approve));
  const own = signIn ? decodeURIComponent(signIn.action.slice(signIn.action.lastIndexOf("/") + 1)) : null;
  const source = completionSource(completion, own);
  if (source && completion.outcome !== undefined) {
    if (own === null) {
      if (!page.list(NAMES.suggested)?.includes(source.name))
        page = opened(await browser.submit(page, NAMES.searchButton, { [NAMES.search]: source.name }));
      page = opened(await browser.follow(page, source.name));
    }
    const after = await browser.submit(page, ...choice(completion.outcome));
    if (own !== null) return landing(after);
    page = opened(after);
  }
  const back = page
    .forms()
    .find((form) => form.action.endsWith("/return"))
    ?.controls.find((control) => control.kind === "button");
  if (!back) throw new Error("sb.visit: the picker has no return button (a sandbox bug)");
  return landing(await browser.submit(page, back.name));
}
