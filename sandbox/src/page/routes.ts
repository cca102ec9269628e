/**
 * The hosted page at a session's `url` (`/c/<token>`), served with the API:
 *
 * - `GET /c/{token}`: hosted mode, the picker (`?q=` searches, a GET form);
 *   direct mode, the session's EHR's sign-in page itself.
 * - `GET /c/{token}/ehr/{connection_id}`: an EHR's simulated sign-in.
 * - `POST /c/{token}/ehr/{connection_id}` (`outcome`): the visit ends as
 *   chosen; hosted mode goes back to the picker (303), direct mode returns
 *   to the app (303 to `return_url` with the return parameters).
 * - `POST /c/{token}/return`: hosted mode, the patient goes back to the app;
 *   the session completes (303 to `return_url`).
 *
 * Changes are POSTs only, checked for a same-site origin and the page's
 * form token. A session that expired or completed answers 410 to every one
 * of these, a token that names no session 404. A change is made only once
 * its answer is built, so no answer fails after the state changed. The log
 * names the route template only: the token is a capability.
 */
import type { Hono } from "hono";
import { CATALOG, findSource, matchesQuery, type FhirSource } from "../domain/catalog.js";
import { workspaceNow } from "../domain/clock.js";
import type { Core } from "../core.js";
import { attempt, OUTCOME_NAMES, returnUrl, type OutcomeName } from "../domain/outcomes.js";
import { finishSession } from "../domain/sessions.js";
import { ApiError } from "../errors.js";
import { readBody } from "../http/pipeline.js";
import { reply, type Reply } from "../http/reply.js";
import type { SessionRow } from "../state/rows.js";
import type { Workspace } from "../state/workspace.js";
import { sessionConnectionObject, sessionStatus, type SessionConnection } from "../api/objects.js";
import { document, pageHeaders } from "./document.js";
import { crossSiteProblem, formToken, formTokenMatches } from "./guard.js";
import { gone, login, picker, problem, type View } from "./views.js";

/** Largest form body read: the forms have two fields. */
const MAX_FORM_BYTES = 8_192;

/**
 * An answer of the page: a view with its status, or a 303 to `location`;
 * `commit` makes the change the answer reports, once the answer is built,
 * and returns the workspace it changed.
 */
type PageAnswer = ({ status: number; view: View } | { status: 303; location: string }) & {
  returnUrl?: string | undefined;
  commit?: (() => Workspace) | undefined;
};

/** Thrown to answer with a problem page. */
class PageProblem extends Error {
  constructor(
    readonly status: number,
    readonly view: View,
  ) {
    super(view.title);
  }
}

const notFound = (text: string) => new PageProblem(404, problem("This link is not valid", text));

interface Visit {
  core: Core;
  workspace: Workspace;
  session: SessionRow;
  now: number;
  /** `/c/<token>` */
  base: string;
}

/** A 410 page unless the session is open now. */
function requireOpen(session: SessionRow, now: number): void {
  const status = sessionStatus(session, now);
  if (status !== "open") throw new PageProblem(410, gone(status));
}

/** The open session of the token; a 404 or 410 page otherwise. */
function openVisit(core: Core, token: string): Visit {
  const found = core.store.sessionByToken(token);
  if (!found) throw notFound("No session has this link. Go back to the app and start again.");
  const now = workspaceNow(core.time, found.workspace);
  requireOpen(found.session, now);
  return { core, ...found, now, base: `/c/${token}` };
}

/** The EHR a page names: in direct mode only the session's own. */
function sourceOf(visit: Visit, id: string): FhirSource {
  const source = findSource(id);
  if (!source || (visit.session.connection_id !== null && source.id !== visit.session.connection_id)) {
    throw notFound("This health system is not part of this session. Go back and choose again.");
  }
  return source;
}

const tokenFor = (visit: Visit, action: string) => formToken(visit.core.store.seed, visit.session.token, action);

function loginPage(visit: Visit, source: FhirSource): PageAnswer {
  const action = `${visit.base}/ehr/${source.id}`;
  const direct = visit.session.connection_id !== null;
  const view = login({ action, source, back: direct ? undefined : visit.base, formToken: tokenFor(visit, action) });
  return { status: 200, view, returnUrl: direct ? visit.session.return_url : undefined };
}

function pickerPage(visit: Visit, query: string | undefined): PageAnswer {
  const { session, workspace } = visit;
  const suggested = [...new Set(session.recommended_connection_ids ?? [])].map((id) => findSource(id)!);
  const shown = new Set(suggested.map((source) => source.id));
  // One link per EHR, so each name is unique on the page: the suggested ones are not repeated below.
  const others = CATALOG.filter((source) => !shown.has(source.id) && (query === undefined || matchesQuery(source, query)));
  // The latest attempt per EHR, except that an EHR this session connected stays listed as connected
  // whatever a later attempt at it did (a denial does not revoke the access already granted).
  const latest = new Map<string, SessionConnection>();
  for (const attempt of session.attempts) {
    if (latest.get(attempt.connection_id)?.status !== "active")
      latest.set(attempt.connection_id, sessionConnectionObject(workspace, attempt));
  }
  const attempts = [...latest].map(([id, connection]) => ({ source: findSource(id)!, connection }));
  const action = `${visit.base}/return`;
  const view = picker({
    base: visit.base,
    label: session.return_button_label,
    query,
    suggested,
    others,
    attempts,
    formToken: tokenFor(visit, action),
  });
  return { status: 200, view, returnUrl: session.return_url };
}

/** The posted form's fields, once its origin and form token check out. */
async function postedForm(visit: Visit, request: Request, action: string): Promise<URLSearchParams> {
  const crossSite = crossSiteProblem(request, new URL(visit.core.baseUrl).origin);
  if (crossSite)
    throw new PageProblem(403, problem("This form cannot be sent from here", `${crossSite}. Go back to the page and use its buttons.`));
  let text: string;
  try {
    text = await readBody(request, MAX_FORM_BYTES);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    throw new PageProblem(
      413,
      problem("This form is too large", "It is larger than the page's forms send. Go back to the page and use its buttons."),
    );
  }
  const form = new URLSearchParams(text);
  if (!formTokenMatches(form.get("form_token"), tokenFor(visit, action))) {
    throw new PageProblem(
      403,
      problem("This form cannot be sent from here", "It did not come from this page. Go back to the page and use its buttons."),
    );
  }
  return form;
}

/**
 * Checks again, just before a change, that the session is open: another
 * request may have ended it while this one's form was read. Called by a
 * `commit`, so nothing awaits between it and the change.
 */
function stillOpen(visit: Visit): void {
  visit.now = workspaceNow(visit.core.time, visit.workspace);
  requireOpen(visit.session, visit.now);
}

async function visitPost(visit: Visit, request: Request, id: string): Promise<PageAnswer> {
  const source = sourceOf(visit, id);
  const form = await postedForm(visit, request, `${visit.base}/ehr/${source.id}`);
  const chosen = form.getAll("outcome");
  if (chosen.length !== 1 || !OUTCOME_NAMES.includes(chosen[0] as OutcomeName)) {
    throw new PageProblem(400, problem("This form could not be read", `Choose one outcome: ${OUTCOME_NAMES.join(", ")}.`));
  }
  const outcome = chosen[0] as OutcomeName;
  const { workspace, session } = visit;
  const visitIt = () => {
    stillOpen(visit);
    attempt(workspace, session, source, outcome, visit.now);
    return workspace;
  };
  if (session.connection_id === null) return { status: 303, location: visit.base, commit: visitIt };
  const direct = { source, outcome };
  return {
    status: 303,
    location: returnUrl(session, direct),
    returnUrl: session.return_url,
    commit: () => {
      visitIt();
      finishSession(workspace, session, visit.now, visit.core.baseUrl, direct);
      return workspace;
    },
  };
}

async function returnPost(visit: Visit, request: Request): Promise<PageAnswer> {
  if (visit.session.connection_id !== null) throw notFound("A session for one health system returns from that system's sign-in.");
  await postedForm(visit, request, `${visit.base}/return`);
  return {
    status: 303,
    location: returnUrl(visit.session),
    returnUrl: visit.session.return_url,
    commit: () => {
      stillOpen(visit);
      finishSession(visit.workspace, visit.session, visit.now, visit.core.baseUrl);
      return visit.workspace;
    },
  };
}

/**
 * The page's answer for `result`, with the page headers; throws when they
 * cannot be sent (a `location` that is not a URL's text), so that the
 * answer is known to be sendable before anything changes.
 */
async function pageReply(result: PageAnswer): Promise<Reply> {
  const headers = pageHeaders(result.returnUrl);
  if ("location" in result) {
    headers.location = result.location;
    // The check `new Response` makes, made now rather than as the answer leaves.
    new Headers(headers);
    return { status: result.status, headers, body: null };
  }
  headers["content-type"] = "text/html; charset=utf-8";
  return { status: result.status, headers, body: await document(result.view.title, result.view.content) };
}

const problemAnswer = (error: PageProblem): PageAnswer => ({ status: error.status, view: error.view });

/**
 * Runs a page handler: builds its answer, then makes its change (`commit`),
 * so an answer that cannot be built changes nothing; sent by http/reply.ts, and
 * noted among the session's visits for the dashboard.
 */
function answer(core: Core, request: Request, route: string, run: () => Promise<PageAnswer> | PageAnswer): Promise<Response> {
  const startedAt = core.time();
  const make = async (requestId: string): Promise<Reply> => {
    let result: PageAnswer;
    try {
      result = await run();
    } catch (error) {
      if (!(error instanceof PageProblem)) throw error;
      result = problemAnswer(error);
    }
    let made: Reply;
    try {
      made = await pageReply(result);
    } catch (error) {
      // Only a session imported with a return_url the API refuses gets here: nothing changed.
      (core.report ?? console.error)(
        `medblocks-sandbox: request ${requestId}: the hosted page cannot redirect to this session's return_url: ` +
          (error as Error).message,
      );
      result = problemAnswer(
        new PageProblem(
          500,
          problem(
            "This session cannot return to the app",
            "Its return address cannot be used. Nothing was changed: start again from the app.",
          ),
        ),
      );
      made = await pageReply(result);
    }
    if (result.commit) {
      try {
        // Written at once: the state file has it before the answer leaves.
        core.changed(result.commit());
      } catch (error) {
        if (!(error instanceof PageProblem)) throw error;
        made = await pageReply(problemAnswer(error));
      }
    }
    return made;
  };
  return reply(core, request, route, make, (entry) => core.activity.visit(request, route, entry.status, startedAt));
}

/** Adds the hosted page's routes to the app. */
export function pageRoutes(app: Hono, core: Core): void {
  app.get("/c/:token", (c) =>
    answer(core, c.req.raw, "/c/{token}", () => {
      const visit = openVisit(core, c.req.param("token"));
      if (visit.session.connection_id !== null) return loginPage(visit, findSource(visit.session.connection_id)!);
      const query = c.req.query("q")?.trim();
      return pickerPage(visit, query === "" ? undefined : query);
    }),
  );
  app.get("/c/:token/ehr/:connection_id", (c) =>
    answer(core, c.req.raw, "/c/{token}/ehr/{connection_id}", () => {
      const visit = openVisit(core, c.req.param("token"));
      return loginPage(visit, sourceOf(visit, c.req.param("connection_id")));
    }),
  );
  app.post("/c/:token/ehr/:connection_id", (c) =>
    answer(core, c.req.raw, "/c/{token}/ehr/{connection_id}", () =>
      visitPost(openVisit(core, c.req.param("token")), c.req.raw, c.req.param("connection_id")),
    ),
  );
  app.post("/c/:token/return", (c) =>
    answer(core, c.req.raw, "/c/{token}/return", () => returnPost(openVisit(core, c.req.param("token")), c.req.raw)),
  );
}
