/**
 * The dashboard at `/__sandbox/` (HTML; the JSON control routes beside it
 * keep their paths): `GET /__sandbox/` goes to the ready key's workspace,
 * `/__sandbox/workspaces` lists the known ones and opens another by key,
 * and each workspace's pages are under `/__sandbox/workspaces/<fingerprint>`
 * (see views/). Changes are POST forms.
 *
 * Who may use it: this machine only. Over a socket, the connection must
 * come from a loopback address and name a loopback host (`localhost`,
 * 127.0.0.0/8, `[::1]`) — not `--public-url`'s, which may be a tunnel
 * anyone can reach; in process (`sb.fetch`) nothing else can reach it.
 * Every POST must come from a dashboard page: `Sec-Fetch-Site` and
 * `Origin` (page/guard.ts), and a form token, an HMAC keyed by a secret
 * made when the sandbox starts, of the workspace and the form's action. No
 * CORS header is ever sent, and secrets are shown only when asked for.
 */
import { randomBytes } from "node:crypto";
import type { HttpBindings } from "@hono/node-server";
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { workspaceNow } from "../domain/clock.js";
import { MAX_CONTROL_BODY_BYTES, workspaceControls } from "../control/operations.js";
import type { Core } from "../core.js";
import { ApiError } from "../errors.js";
import { redeliverWebhookEvent } from "../api/webhooks.js";
import { isLoopback } from "../http/loopback.js";
import { crossSiteProblem, formToken, formTokenMatches } from "../page/guard.js";
import { readBody } from "../http/pipeline.js";
import { reply, type Reply } from "../http/reply.js";
import { listedKey, sandboxKey } from "../api/keys.js";
import { API_VERSION } from "../spec.js";
import { Workspace } from "../state/workspace.js";
import { dashboardDocument, dashboardHeaders, workspacePath, type Chrome } from "./layout.js";
import type { DashboardView, PageContext } from "./views/context.js";
import { overview } from "./views/overview.js";
import { patients } from "./views/patients.js";
import { requests } from "./views/requests.js";
import { session, sessions } from "./views/sessions.js";
import { event, secret, webhooks } from "./views/webhooks.js";
import { SELECT_ACTION, workspaces } from "./views/workspaces.js";
import { knownWorkspaces, workspaceAt, type KnownWorkspace } from "./workspaces.js";

/** Largest form body read, but an import's: the forms have a few short fields. */
const MAX_FORM_BYTES = 8_192;

/** What an action did, said once on the page it leads to (`?done=`): fixed texts, so an address cannot make a page say anything else. */
const NOTICES = {
  advanced: "The clock moved forward.",
  fault: "The fault is queued: the next matching calls or deliveries get it.",
  cleared: "Every queued fault is cleared.",
  imported: "The state was imported: the workspace is now what the file holds.",
  reset: "The workspace was reset: it is empty.",
  completed: "The session completed.",
  redelivered: "The event was sent again: its newest attempt is below.",
  test: "The test event happened and its deliveries were attempted: see them below.",
} as const;
type Notice = keyof typeof NOTICES;

/** An answer: a page (with its status), a 303, or a file to save. */
type DashboardAnswer =
  | { kind: "page"; view: DashboardView; chrome: Chrome }
  | { kind: "redirect"; location: string }
  | { kind: "file"; name: string; body: string };

/** Thrown to answer with a problem page. */
class DashboardProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly text: string,
    readonly back?: { href: string; name: string },
  ) {
    super(title);
  }
}

const problemView = (problem: DashboardProblem): DashboardView => ({
  title: problem.title,
  status: problem.status,
  content: html`<p \
role="alert">${problem.text}</p>${
    problem.back
      ? html`<p><a href="${problem.back.href}">${problem.back.name}</a></p>`
      : html`<p><a \
href="/__sandbox/workspaces">Go to the workspaces</a></p>`
  }`,
});

/** Why this request may not use the dashboard, or null: over a socket, a loopback peer and a loopback host only. */
function notLocal(c: Context): string | null {
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  // In process (`sb.fetch`): nothing outside this process can send the request.
  if (!incoming) return null;
  if (!isLoopback(incoming.socket?.remoteAddress ?? "")) return "The dashboard answers connections from this machine only.";
  if (!isLoopback(new URL(c.req.url).hostname))
    return "The dashboard answers at localhost, 127.0.0.1 or [::1] only: open it at one of those on this machine.";
  return null;
}

/** The fields of a posted form (urlencoded or multipart), read within `limit` bytes. */
async function formFields(request: Request, limit: number): Promise<FormData> {
  let text: string;
  try {
    text = await readBody(request, limit);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    throw new DashboardProblem(413, "This form could not be read", `It is larger than this form takes (${limit} bytes).`);
  }
  const type = request.headers.get("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) {
    throw new DashboardProblem(
      415,
      "This form could not be read",
      "Forms are sent as application/x-www-form-urlencoded or multipart/form-data.",
    );
  }
  try {
    return await new Response(text, { headers: { "content-type": type } }).formData();
  } catch {
    throw new DashboardProblem(400, "This form could not be read", "Its body does not match its content type.");
  }
}

/** A form field as text, or undefined when it is missing or empty. */
function field(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** A form field as a number, or undefined when it is missing or empty; a 400 naming it otherwise. */
function numberField(form: FormData, name: string): number | undefined {
  const value = field(form, name);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number)) throw new ApiError(400, "invalid_data", `\`${name}\` must be a number.`, name);
  return number;
}

export function dashboardRoutes(app: Hono, core: Core): void {
  // Made at each start, never stored: a page from before a restart asks to be reloaded.
  const formSecret = randomBytes(32).toString("hex");
  const tokenFor = (fingerprint: string, action: string) => formToken(formSecret, fingerprint, action);

  const contextOf = (known: KnownWorkspace): PageContext => {
    // A key never used has no workspace yet: its pages show an empty one, and an action makes it.
    const workspace = known.workspace ?? Workspace.empty([0, 0, 0, 0]);
    const base = workspacePath(known);
    return {
      core,
      known,
      workspace,
      now: workspaceNow(core.time, workspace),
      base,
      token: (action) => tokenFor(known.fingerprint, action),
    };
  };

  const knownAt = (c: Context): KnownWorkspace => {
    const known = workspaceAt(core, c.req.param("fingerprint") ?? "");
    if (!known)
      throw new DashboardProblem(
        404,
        "No workspace here",
        "The dashboard knows no workspace at this address: the sandbox may have restarted without it. Open it again by its key.",
      );
    return known;
  };

  /** Runs a dashboard handler: the local check, then the answer with its headers, sent by http/reply.ts. */
  function answer(c: Context, route: string, run: () => Promise<DashboardAnswer> | DashboardAnswer): Promise<Response> {
    const request = c.req.raw;
    const make = async (): Promise<Reply> => {
      let result: DashboardAnswer;
      try {
        const refused = notLocal(c);
        if (refused) throw new DashboardProblem(403, "The dashboard is not available here", refused);
        result = await run();
      } catch (error) {
        let problem: DashboardProblem;
        if (error instanceof DashboardProblem) problem = error;
        else if (error instanceof ApiError)
          problem = new DashboardProblem(error.status, "That did not work", error.message, {
            href: new URL(request.headers.get("referer") ?? "/__sandbox/", c.req.url).pathname,
            name: "Back",
          });
        else throw error;
        result = { kind: "page", view: problemView(problem), chrome: {} };
      }
      const headers = dashboardHeaders();
      if (result.kind === "redirect") {
        headers.location = result.location;
        return { status: 303, headers, body: null };
      }
      if (result.kind === "file") {
        headers["content-type"] = "application/json; charset=utf-8";
        headers["content-disposition"] = `attachment; filename="${result.name}"`;
        return { status: 200, headers, body: result.body };
      }
      headers["content-type"] = "text/html; charset=utf-8";
      const body = await dashboardDocument(result.view.title, result.view.content, { current: result.view.current, ...result.chrome });
      return { status: result.view.status ?? 200, headers, body };
    };
    return reply(core, request, route, make);
  }

  /** The posted form, once it is shown to come from this dashboard's page for `fingerprint`. */
  async function postedForm(c: Context, fingerprint: string, limit = MAX_FORM_BYTES): Promise<FormData> {
    const request = c.req.raw;
    const crossSite = crossSiteProblem(request, new URL(request.url).origin);
    if (crossSite) throw new DashboardProblem(403, "This form cannot be sent from here", `${crossSite}. Use the dashboard's own pages.`);
    const form = await formFields(request, limit);
    const given = form.get("form_token");
    if (!formTokenMatches(typeof given === "string" ? given : null, tokenFor(fingerprint, new URL(request.url).pathname))) {
      throw new DashboardProblem(
        403,
        "This form cannot be sent from here",
        "It did not come from a dashboard page of this sandbox (or the sandbox restarted since the page was loaded): reload the page " +
          "and try again.",
      );
    }
    return form;
  }

  const page = (known: KnownWorkspace, view: DashboardView, notice?: string): DashboardAnswer => ({
    kind: "page",
    view,
    chrome: { workspace: known, notice },
  });
  const noticeOf = (c: Context) => {
    const done = c.req.query("done");
    return done !== undefined && Object.hasOwn(NOTICES, done) ? NOTICES[done as Notice] : undefined;
  };
  const done = (path: string, notice: Notice): DashboardAnswer => ({ kind: "redirect", location: `${path}?done=${notice}` });

  const ROOT = "/__sandbox/workspaces/:fingerprint";
  /** A workspace page: GET `path` under the workspace renders `view`. */
  const view = (path: string, render: (context: PageContext, c: Context) => DashboardView) =>
    app.get(`${ROOT}${path}`, (c) =>
      answer(c, `/__sandbox/workspaces/{fingerprint}${path.replace(/:(\w+)/g, "{$1}")}`, () => {
        const known = knownAt(c);
        return page(known, render(contextOf(known), c), noticeOf(c));
      }),
    );
  /** A workspace action: POST `path` runs `act` with the form and the workspace's controls. */
  const action = (
    path: string,
    act: (input: {
      c: Context;
      form: FormData;
      context: PageContext;
      controls: ReturnType<typeof workspaceControls>;
    }) => Promise<DashboardAnswer> | DashboardAnswer,
    limit?: number,
  ) =>
    app.post(`${ROOT}${path}`, (c) =>
      answer(c, `/__sandbox/workspaces/{fingerprint}${path.replace(/:(\w+)/g, "{$1}")}`, async () => {
        const known = knownAt(c);
        const form = await postedForm(c, known.fingerprint, limit);
        return act({ c, form, context: contextOf(known), controls: workspaceControls(core, known.key) });
      }),
    );

  const readyPath = () => workspacePath(knownWorkspaces(core)[0]!);
  app.get("/__sandbox", (c) => answer(c, "/__sandbox", () => ({ kind: "redirect", location: "/__sandbox/" })));
  app.get("/__sandbox/", (c) => answer(c, "/__sandbox/", () => ({ kind: "redirect", location: readyPath() })));
  app.get(SELECT_ACTION, (c) =>
    answer(c, SELECT_ACTION, () => ({ kind: "page", view: workspaces(knownWorkspaces(core), tokenFor("", SELECT_ACTION)), chrome: {} })),
  );
  app.post(SELECT_ACTION, (c) =>
    answer(c, SELECT_ACTION, async () => {
      const form = await postedForm(c, "");
      let key: string;
      try {
        key = listedKey(sandboxKey(`Bearer ${field(form, "key") ?? ""}`), core.keys);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const why = core.keys
          ? "That is not one of the keys this sandbox was started with (--keys)."
          : "That is not a sandbox key: they start with mb_sk_sbx_ (a live key is never taken).";
        return { kind: "page", view: workspaces(knownWorkspaces(core), tokenFor("", SELECT_ACTION), why), chrome: {} };
      }
      core.activity.noteKey(key);
      return { kind: "redirect", location: workspacePath({ fingerprint: core.store.fingerprint(key) }) };
    }),
  );

  view("", (context) => overview(context));
  view("/patients", (context) => patients(context));
  view("/sessions", (context) => sessions(context));
  view("/sessions/:id", (context, c) => {
    const found = context.workspace.sessions.get(c.req.param("id") ?? "");
    if (!found)
      throw new DashboardProblem(404, "No such session", "This workspace has no session with this id.", {
        href: `${context.base}/sessions`,
        name: "Back to sessions",
      });
    return session(context, found);
  });
  view("/webhooks", (context) => webhooks(context));
  view("/events/:id", (context, c) => {
    const found = context.workspace.events.get(c.req.param("id") ?? "");
    if (!found)
      throw new DashboardProblem(
        404,
        "No such event",
        "This workspace has no event with this id (deleting an endpoint deletes its events).",
        { href: `${context.base}/webhooks`, name: "Back to webhooks" },
      );
    return event(context, found);
  });
  view("/requests", (context) => requests(context));

  action("/clock", ({ form, context, controls }) => {
    controls.advance({ seconds: numberField(form, "seconds") });
    return done(context.base, "advanced");
  });
  action("/faults", ({ form, context, controls }) => {
    const input = Object.fromEntries(
      Object.entries({
        operation: field(form, "operation"),
        status: numberField(form, "status"),
        delay_ms: numberField(form, "delay_ms"),
        times: numberField(form, "times"),
        drop: field(form, "drop") === "true" ? true : undefined,
      }).filter(([, value]) => value !== undefined),
    );
    controls.injectFault(input);
    return done(context.base, "fault");
  });
  action("/faults/delivery", ({ form, context, controls }) => {
    controls.injectFault(
      Object.fromEntries(
        Object.entries({ delivery: field(form, "delivery"), times: numberField(form, "times") }).filter(([, value]) => value !== undefined),
      ),
    );
    return done(context.base, "fault");
  });
  action("/faults/clear", ({ context, controls }) => {
    controls.clearFaults();
    return done(context.base, "cleared");
  });
  action("/state/export", ({ context, controls }) => ({
    kind: "file",
    name: `medblocks-sandbox-workspace-${context.known.label.slice(1)}.json`,
    body: `${JSON.stringify(controls.exportState(), null, 2)}\n`,
  }));
  action(
    "/state/import",
    async ({ form, context, controls }) => {
      const file = form.get("state");
      if (file === null || typeof file === "string")
        throw new ApiError(400, "bad_request", "`state` must be a file: choose the exported JSON.", "state");
      let data: unknown;
      try {
        data = JSON.parse(await file.text());
      } catch {
        throw new ApiError(
          400,
          "bad_request",
          "`state` is not JSON: choose a file that Export state (or GET /__sandbox/state) wrote.",
          "state",
        );
      }
      controls.importState(data);
      return done(context.base, "imported");
    },
    MAX_CONTROL_BODY_BYTES,
  );
  action("/reset", ({ context, controls }) => {
    controls.reset();
    return done(context.base, "reset");
  });
  action("/sessions/:id/complete", ({ c, form, context, controls }) => {
    const id = c.req.param("id") ?? "";
    const outcome = field(form, "outcome");
    const connectionId = field(form, "connection_id");
    controls.completeSession(id, {
      ...(outcome === undefined ? {} : { outcome }),
      ...(outcome === undefined || connectionId === undefined ? {} : { connection_id: connectionId }),
    });
    return done(`${context.base}/sessions/${id}`, "completed");
  });
  action("/webhooks/test", async ({ form, context, controls }) => {
    await controls.trigger({ type: field(form, "type") });
    return done(`${context.base}/webhooks`, "test");
  });
  action("/webhooks/:id/secret", ({ c, context }) => {
    const endpoint = context.workspace.webhooks.get(c.req.param("id") ?? "");
    if (!endpoint)
      throw new DashboardProblem(404, "No such endpoint", "This workspace has no webhook endpoint with this id.", {
        href: `${context.base}/webhooks`,
        name: "Back to webhooks",
      });
    return page(context.known, secret(context, endpoint));
  });
  action("/events/:id/redeliver", async ({ c, context }) => {
    const id = c.req.param("id") ?? "";
    const { workspace, now } = context;
    // The API's own redelivery, with its once-a-minute limit; what it changed (or took back when it failed) is written either way.
    try {
      await redeliverWebhookEvent({
        workspace,
        now,
        path: { id },
        query: {},
        body: undefined,
        version: API_VERSION,
        baseUrl: core.baseUrl,
        deliveries: core.deliveries,
      });
    } finally {
      core.changed(workspace);
    }
    return done(`${context.base}/events/${id}`, "redelivered");
  });

  // Anything else under the dashboard's pages is a page that does not exist.
  app.on(["GET", "POST"], "/__sandbox/workspaces/*", (c) =>
    answer(c, "/__sandbox/workspaces/(no such page)", () => {
      throw new DashboardProblem(404, "No such page", "The dashboard has no page at this address.");
    }),
  );
}
