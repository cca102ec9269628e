/**
 * The dashboard at `/__sandbox/`, through `sb.fetch` as a browser would use
 * it (support/browser.ts: names as assistive technology reads them, forms
 * submitted with their buttons): every page's markup and headers, what
 * each shows — patients, sessions and their timeline, every delivery
 * attempt with its signature and the receiver's answer, the request log —
 * and what each button does, checked against the sandbox's own state and
 * a real receiver. Forms only a dashboard page can send; no whole key, no
 * secret unless asked for; this machine only over a socket.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Medblocks, parseReturnUrl } from "../../src/index.js";
import { CATALOG, createSandbox, OUTCOME_NAMES, startServer } from "../src/index.js";
import { createApp } from "../src/http/app.js";
import { createCore } from "../src/core.js";
import { reference } from "../src/http/reference.js";
import { spec } from "../src/spec.js";
import { ATTEMPT_HISTORY } from "../src/state/rows.js";
import { Store } from "../src/state/store.js";
import { asLanding, asPage, Browser, textOf, type Page } from "../src/page/browser.js";
import { expectNoViolations, harness, sessionBody } from "./support/harness.js";
import { closedPort, startReceiver, type Receiver } from "./support/receiver.js";

const T0 = Date.UTC(2026, 3, 25, 9);
const h = harness({ now: () => T0, webhookTimeoutMs: 1_000 });
expectNoViolations(h);
const mb = h.client();
const ORIGIN = new URL(h.sb.baseUrl).origin;
const DASHBOARD_CSP =
  /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]{44}'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/;

/** The body rows of the page's table whose caption is `name`, each as its cells' texts; undefined when there is none. */
function tableOf(page: Page, name: string): string[][] | undefined {
  for (const match of page.html.matchAll(/<table\b[^>]*>([\s\S]*?)<\/table>/g)) {
    const caption = /<caption\b[^>]*>([\s\S]*?)<\/caption>/.exec(match[1]!);
    if (!caption || textOf(caption[1]!) !== name) continue;
    const body = /<tbody\b[^>]*>([\s\S]*?)<\/tbody>/.exec(match[1]!)?.[1] ?? "";
    return [...body.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
      [...row[1]!.matchAll(/<t[dh]\b[^>]*>([\s\S]*?)<\/t[dh]>/g)].map((cell) => textOf(cell[1]!)),
    );
  }
  return undefined;
}

/** Every dashboard answer carries the sandbox's headers and the page's protections; a miss is a violation. */
const dashboardFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const response = await h.sb.fetch(input, init);
  const where = `${init?.method ?? "GET"} ${new URL(String(input)).pathname} → ${response.status}`;
  for (const header of ["x-request-id", "x-medblocks-sandbox"])
    if (!response.headers.get(header)) h.violations.push(`${where}: no ${header}`);
  if (!DASHBOARD_CSP.test(response.headers.get("content-security-policy") ?? ""))
    h.violations.push(`${where}: CSP ${response.headers.get("content-security-policy")}`);
  if (response.headers.get("cache-control") !== "no-store") h.violations.push(`${where}: cacheable`);
  if (response.headers.get("x-frame-options") !== "DENY") h.violations.push(`${where}: may be framed`);
  for (const [name] of response.headers) if (name.startsWith("access-control-")) h.violations.push(`${where}: CORS header ${name}`);
  return response;
};
const browser = new Browser(dashboardFetch, ORIGIN);
/** For the hosted page, whose headers page.test.ts checks. */
const patient = new Browser(h.sb.fetch, ORIGIN);

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await h.sb.close();
  await receiver.close();
});
beforeEach(async () => {
  await h.sb.webhooks.flush();
  h.sb.reset();
  receiver.received.length = 0;
  receiver.answers = [];
});

/** The ready key's overview, as `GET /__sandbox/` leads to it. */
async function overview(): Promise<Page> {
  const page = asPage(await browser.open(`${ORIGIN}/__sandbox/`));
  expect(page.headings(1)).toEqual(["Overview"]);
  return page;
}

/** A section of the workspace, by the navigation's link. */
async function section(name: "Overview" | "Patients" | "Sessions" | "Webhooks" | "Requests"): Promise<Page> {
  return asPage(await browser.follow(await overview(), name));
}

/** The page a link named `name` leads to (an event's links repeat, one per attempt: they all lead to it). */
async function openFromTable(page: Page, name: string): Promise<Page> {
  const hrefs = new Set(
    page
      .links()
      .filter((link) => link.name === name)
      .map((link) => link.href),
  );
  expect([...hrefs], `links named ${name}`).toHaveLength(1);
  return asPage(await browser.open(new URL([...hrefs][0]!, page.url).href));
}

/** The `Medblocks-Signature` of a delivery as the receiver got it. */
const signatureOf = (index: number) => String(receiver.received[index]!.headers["medblocks-signature"]);

/** A hosted session for user_42 and an endpoint on the receiver for every event. */
async function endpointAndSession() {
  const endpoint = await mb.webhooks.create({ url: receiver.url, events: ["*"] });
  const session = await mb.patientSession.init(sessionBody({ recommended_connection_ids: [CATALOG[1]!.id] }));
  return { endpoint, session };
}

describe("its pages", () => {
  it(
    "GET /__sandbox/ leads to the ready key's workspace; every page is HTML with one h1, landmarks, labelled controls, no script, no " +
      "whole key and no secret",
    async () => {
      const { endpoint, session } = await endpointAndSession();
      h.sb.completeSession(session.id, { outcome: "approve", connectionId: CATALOG[1]!.id });
      await h.sb.webhooks.flush();
      const start = await h.sb.fetch(`${ORIGIN}/__sandbox/`, { redirect: "manual" });
      expect(start.status).toBe(303);
      const workspacePath = start.headers.get("location")!;
      expect(workspacePath).toMatch(/^\/__sandbox\/workspaces\/[0-9a-f]{32}$/);
      const [eventRecord] = (await mb.webhooks.listEvents(endpoint.id)).data;
      const paths = ["", "/patients", "/sessions", `/sessions/${session.id}`, "/webhooks", `/events/${eventRecord!.id}`, "/requests"];
      for (const path of [...paths.map((path) => `${workspacePath}${path}`), "/__sandbox/workspaces"]) {
        const page = asPage(await browser.open(`${ORIGIN}${path}`));
        expect(page.status, path).toBe(200);
        expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
        expect(page.lang).toBe("en");
        expect(page.headings(1), path).toHaveLength(1);
        expect(page.landmarks(), path).toEqual(["header", "nav", "main", "footer"]);
        expect(page.html, path).not.toMatch(/<script|\son[a-z]+=|javascript:/i);
        expect(page.html, path).not.toContain(h.sb.apiKey);
        expect(page.html, path).toContain(`…${h.sb.apiKey.slice(-4)}`);
        expect(page.html, path).not.toContain(endpoint.secret);
        // Every field has a label: the browser finds each control's name.
        for (const form of page.forms())
          for (const control of form.controls)
            if (control.attrs.type !== "hidden" && control.attrs.type !== "checkbox")
              expect(control.name, `${path}: a ${control.kind} without a name`).not.toBe("");
      }
    },
  );

  it(
    "leaves the JSON control API where it was: /__sandbox/state, /clock, " +
      "/faults answer JSON to the key, and /__sandbox/ to nobody else",
    async () => {
      for (const path of ["/__sandbox/state", "/__sandbox/clock", "/__sandbox/faults"]) {
        const answer = await h.raw("GET", path);
        expect([path, answer.status, answer.headers.get("content-type")]).toEqual([path, 200, "application/json; charset=utf-8"]);
      }
      expect((await h.raw("GET", "/__sandbox/clock")).body).toEqual({ now: "2026-04-25T09:00:00.000Z" });
      expect((await h.raw("GET", "/__sandbox/state", { key: null })).status).toBe(401);
    },
  );
});

describe("sessions", () => {
  it("Complete as deny: a direct-mode session completes with the denial, and the page links the return the browser lands on", async () => {
    const session = await mb.patientSession.init(sessionBody({ connection_id: CATALOG[0]!.id }));
    const sessions = await section("Sessions");
    expect(tableOf(sessions, "Sessions")).toEqual([
      [
        session.id,
        "user_42",
        "open",
        `direct: ${CATALOG[0]!.name}`,
        "2026-04-25 09:00:00 UTC",
        "2026-04-25 09:30:00 UTC (in 30 min)",
        "Hosted page",
        "Complete as…",
      ],
    ]);
    const page = await openFromTable(sessions, session.id);
    expect(page.headings(1)).toEqual([`Session ${session.id}`]);
    for (const outcome of OUTCOME_NAMES) expect(page.control(`Complete as ${outcome}`).control.kind).toBe("button");
    const completed = asPage(await browser.submit(page, "Complete as deny"));
    expect(completed.html).toContain('<p role="status">The session completed.</p>');
    expect((await mb.patientSession.retrieve(session.id)).status).toBe("complete");
    const landing = completed.link("Open the return").href;
    expect(parseReturnUrl(landing)).toMatchObject({ mode: "direct", success: false, error: "user_denied" });
    expect(await mb.patientSession.verifyReturn(landing, { patientId: "user_42", sessionId: session.id })).toMatchObject({
      outcome: "failed",
    });
    expect(() => completed.control("Complete as deny"), "no way to complete it twice").toThrow();
  });

  it("Complete as approve at the health system chosen in hosted mode; Return without connecting", async () => {
    const first = await mb.patientSession.init(sessionBody({ recommended_connection_ids: [CATALOG[2]!.id] }));
    const page = await openFromTable(await section("Sessions"), first.id);
    expect(
      page
        .control("Health system")
        .control.options.map((option) => option.value)
        .slice(0, 2),
    ).toEqual([CATALOG[2]!.id, CATALOG[0]!.id]);
    await browser.submit(page, "Complete as approve", { "Health system": CATALOG[3]!.id });
    const [link] = (await mb.patients.retrieve("user_42")).connections;
    expect(link).toMatchObject({ connection_id: CATALOG[3]!.id, status: "active" });
    const second = await mb.patientSession.init(sessionBody());
    const returned = asPage(await browser.submit(await openFromTable(await section("Sessions"), second.id), "Return without connecting"));
    expect(
      await mb.patientSession.verifyReturn(returned.link("Open the return").href, { patientId: "user_42", sessionId: second.id }),
    ).toMatchObject({ outcome: "not_connected" });
  });

  it(
    "the timeline: started, page visits, outcome, return, events, every " + "delivery attempt and the next one planned, in that order",
    async () => {
      const { session } = await endpointAndSession();
      receiver.answers = [{ status: 503, body: "busy" }];
      const ehr = CATALOG[1]!;
      const picker = asPage(await patient.open(session.url));
      const signIn = asPage(await patient.follow(picker, ehr.name));
      const back = asPage(await patient.submit(signIn, "Approve access"));
      asLanding(await patient.submit(back, "Return to app"));
      await h.sb.webhooks.flush();
      const page = await openFromTable(await section("Sessions"), session.id);
      const items = page.list("Timeline")!;
      const kinds = items.map((text) => {
        const what = text.slice(text.indexOf(": ") + 2);
        return /^Started/.test(what)
          ? "started"
          : /^(GET|POST) /.test(what)
            ? "visit"
            : /^The visit/.test(what)
              ? "outcome"
              : /^Completed/.test(what)
                ? "returned"
                : /^Event /.test(what)
                  ? "event"
                  : /^Delivery attempt/.test(what)
                    ? "delivery"
                    : /^Next delivery/.test(what)
                      ? "next"
                      : what;
      });
      // The workspace's clock stands still here, so everything happens in one millisecond: what happened then is in causal order,
      // except the picker shown again after the visit, whose moment is the visit's own.
      expect(kinds, items.join("\n")).toEqual([
        "started",
        "visit",
        "visit",
        "visit",
        "visit",
        "outcome",
        "event",
        "visit",
        "returned",
        "event",
        "delivery",
        "delivery",
        "next",
      ]);
      expect(items[1]).toContain("GET /c/{token} → 200: the patient opened the hosted page (the health system picker)");
      expect(items[2]).toContain(`GET /c/{token}/ehr/{connection_id} → 200: the patient opened the sign-in of ${ehr.name}`);
      expect(items[3]).toContain(`POST /c/{token}/ehr/{connection_id} → 303: the patient chose an outcome at ${ehr.name}`);
      expect(items[5]).toContain(`The visit to ${ehr.name} ended authorized`);
      expect(items[6]).toContain("Event records.sync.completed");
      expect(items[7]).toContain("POST /c/{token}/return → 303: the patient went back to the app");
      expect(items[8]).toContain(
        "Completed: the patient's browser returns to the app: https://app.example.com/connected?patient_id=user_42",
      );
      expect(items[9]).toContain("Event patient_session.completed");
      expect(items.slice(10, 12).map((text) => / of evt_\S+: (\w+ \d+)/.exec(text)![1])).toEqual(["failed 503", "delivered 200"]);
      expect(items[12]).toMatch(/^2026-04-25 09:01:00 UTC : Next delivery attempt of evt_\S+ \(attempt 2\) is due/);
      expect(page.html).not.toContain(session.url.split("/c/")[1]!);
    },
  );

  it("Advance moves the clock: an open session reads expired, its timeline says so, and its page has no buttons left", async () => {
    const session = await mb.patientSession.init(sessionBody({ expires_in: 600 }));
    const advanced = asPage(await browser.submit(await overview(), "Advance", { "Seconds to advance": "601" }));
    expect(advanced.html).toContain('<p role="status">The clock moved forward.</p>');
    expect(advanced.html).toContain('<time datetime="2026-04-25T09:10:01.000Z">');
    expect(h.sb.clock.now().toISOString()).toBe("2026-04-25T09:10:01.000Z");
    const sessions = asPage(await browser.follow(advanced, "Sessions"));
    expect(tableOf(sessions, "Sessions")![0]![2]).toBe("expired");
    const page = await openFromTable(sessions, session.id);
    expect(page.list("Timeline")!.at(-1)).toContain("Expired: the workspace's clock reached expires_at");
    expect(() => page.control("Complete as approve")).toThrow();
    const refused = asPage(await browser.submit(await overview(), "Advance", { "Seconds to advance": "-5" }));
    expect([refused.status, refused.headings(1)[0]]).toEqual([400, "That did not work"]);
    expect(refused.html).toContain("`seconds`");
  });
});

describe("webhooks", () => {
  it(
    "a delivery that failed and then succeeded shows both attempts: status, why, duration, next attempt, the signature sent and the " +
      "receiver's answer",
    async () => {
      const { session } = await endpointAndSession();
      receiver.answers = [{ status: 500, body: "database is locked" }];
      h.sb.completeSession(session.id);
      await h.sb.webhooks.flush();
      await browser.submit(await overview(), "Advance", { "Seconds to advance": "60" });
      await h.sb.webhooks.flush();
      expect(receiver.received).toHaveLength(2);
      const webhooks = await section("Webhooks");
      const attempts = tableOf(webhooks, "Delivery attempts")!;
      const [eventId] = /evt_\S+/.exec(attempts[0]![1]!)!;
      const endpointId = (await mb.webhooks.list()).data[0]!.id;
      expect(attempts.map((row) => [row[1], row[2], row[3], row[4], row[6]])).toEqual([
        [`patient_session.completed ${eventId} to ${endpointId}`, "2", "delivered 200", "", "—"],
        [`patient_session.completed ${eventId} to ${endpointId}`, "1", "failed 500", "database is locked", "2026-04-25 09:01:00 UTC"],
      ]);
      for (const row of attempts) expect(row[5]).toMatch(/^\d+\.\d ms$/);
      const event = await openFromTable(webhooks, eventId);
      expect(event.headings(3)).toEqual(["Body", "Attempt 1: failed 500", "Attempt 2: delivered 200"]);
      expect(event.html).toContain(`<code>${signatureOf(0)}</code>`);
      expect(event.html).toContain(`<code>${signatureOf(1)}</code>`);
      expect(event.html).toContain("<pre>database is locked</pre>");
      // The body shown is the bytes sent, which the signature covers.
      const body = receiver.received[1]!.raw.toString("utf8");
      expect(event.html).toContain(`<pre>${body.replace(/"/g, "&quot;")}</pre>`);
    },
  );

  it("Redeliver makes a new attempt that the receiver verifies; a second within the minute is refused with why", async () => {
    const { endpoint, session } = await endpointAndSession();
    h.sb.completeSession(session.id);
    await h.sb.webhooks.flush();
    const [record] = (await mb.webhooks.listEvents(endpoint.id)).data;
    const event = await openFromTable(await section("Webhooks"), record!.id);
    const redelivered = asPage(await browser.submit(event, "Redeliver"));
    expect(redelivered.html).toContain("The event was sent again");
    expect(redelivered.headings(3)).toEqual(["Body", "Attempt 1: delivered 200", "Attempt 2: delivered 200"]);
    expect(redelivered.html).toContain("a redelivery");
    expect(receiver.received).toHaveLength(2);
    const verified = await Medblocks.webhooks.constructEvent(receiver.received[1]!.raw, signatureOf(1), endpoint.secret);
    expect(verified.id).toBe(record!.id);
    const again = asPage(await browser.submit(redelivered, "Redeliver"));
    expect([again.status, again.headings(1)[0]]).toEqual([429, "That did not work"]);
    expect(again.html).toContain("less than a minute ago");
    expect(receiver.received).toHaveLength(2);
  });

  it(
    "says why an attempt failed without an answer: a refused " + "connection, a timeout, a destination the sandbox does not post to",
    async () => {
      const refused = await mb.webhooks.create({ url: `http://127.0.0.1:${await closedPort()}/hooks`, events: ["records.sync.failed"] });
      const slow = await mb.webhooks.create({ url: receiver.url, events: ["records.sync.failed"] });
      const remote = await mb.webhooks.create({ url: "https://hooks.example.com/in", events: ["records.sync.failed"] });
      receiver.answers = [{ status: 200, delayMs: 1_500 }];
      await h.sb.trigger("records.sync.failed");
      const why = new Map(
        tableOf(await section("Webhooks"), "Delivery attempts")!.map((row) => [/ to (wh_\S+)$/.exec(row[1]!)![1], [row[3], row[4]]]),
      );
      expect(why.get(refused.id)).toEqual([
        "unreachable",
        "the connection was refused: nothing listens at that address and port (ECONNREFUSED)",
      ]);
      expect(why.get(slow.id)).toEqual(["timeout", "no answer within 1000 ms"]);
      expect(why.get(remote.id)![0]).toBe("not sent");
      expect(why.get(remote.id)![1]).toMatch(/^not sent: hooks\.example\.com is not a loopback address/);
      h.reports.length = 0;
    },
  );

  it("keeps the latest attempts of an event, and says how many are no longer kept", async () => {
    const endpoint = await mb.webhooks.create({ url: receiver.url, events: ["records.sync.failed"] });
    receiver.answers = Array.from({ length: 30 }, () => ({ status: 500 }));
    await h.sb.trigger("records.sync.failed");
    const [record] = (await mb.webhooks.listEvents(endpoint.id)).data;
    // Redeliveries, a minute apart, past the schedule's nine attempts.
    for (let i = 0; i < ATTEMPT_HISTORY + 2; i++) {
      h.sb.clock.advance(61);
      await mb.events.redeliver(record!.id);
    }
    const event = await openFromTable(await section("Webhooks"), record!.id);
    const attempts = (await mb.webhooks.listEvents(endpoint.id)).data[0]!.attempts;
    expect(attempts).toBeGreaterThan(ATTEMPT_HISTORY);
    expect(event.headings(3).filter((heading) => heading.startsWith("Attempt"))).toHaveLength(ATTEMPT_HISTORY);
    expect(event.headings(3).at(-1)).toBe(`Attempt ${attempts}: failed 500`);
    expect(event.html).toContain(`The first ${attempts - ATTEMPT_HISTORY} attempts are no longer kept.`);
    expect(h.sb.exportState().workspace.events[0]!.delivery_attempts).toHaveLength(ATTEMPT_HISTORY);
  });

  it("shows an endpoint's secret only on Reveal secret (a POST), and Send test event fires the event at it", async () => {
    const endpoint = await mb.webhooks.create({ url: receiver.url, events: ["*"], description: "local" });
    const webhooks = await section("Webhooks");
    expect(tableOf(webhooks, "Endpoints")![0]!.slice(0, 5)).toEqual([endpoint.id, receiver.url, "*", "active", "local"]);
    expect(webhooks.html).not.toContain(endpoint.secret);
    const revealed = asPage(await browser.submit(webhooks, "Reveal secret"));
    expect(revealed.headings(1)).toEqual([`Signing secret of ${endpoint.id}`]);
    expect(revealed.html).toContain(`<pre>${endpoint.secret}</pre>`);
    expect(revealed.headers.get("cache-control")).toBe("no-store");
    const tested = asPage(await browser.submit(await section("Webhooks"), "Send test event", { "Event type": "records.sync.failed" }));
    expect(tested.html).toContain("The test event happened");
    expect(receiver.received.map((received) => received.json.type)).toEqual(["records.sync.failed"]);
    expect(tableOf(tested, "Delivery attempts")!.map((row) => row[3])).toEqual(["delivered 200"]);
  });
});

describe("the overview's controls", () => {
  it("injects and clears faults of API calls and of deliveries", async () => {
    const injected = asPage(
      await browser.submit(await overview(), "Inject fault", {
        Operation: "api.listPatients",
        "Answer with status": "503",
        "Calls to fail": "2",
      }),
    );
    expect([injected.status, injected.headings(1)[0]]).toEqual([400, "That did not work"]);
    expect(injected.html).toContain("`status` must be one api.listPatients declares");
    asPage(
      await browser.submit(await overview(), "Inject fault", {
        Operation: "api.listPatients",
        "Answer with status": "500",
        "Calls to fail": "2",
      }),
    );
    asPage(await browser.submit(await overview(), "Inject delivery fault", { "Delivery fault": "bad_signature" }));
    expect(h.sb.faults()).toEqual([
      { operation: "api.listPatients", times: 2, status: 500, code: "internal_error" },
      { delivery: "bad_signature", times: 1 },
    ]);
    const page = await overview();
    expect(tableOf(page, "Queued faults")).toEqual([
      ["API call", "api.listPatients", "answer 500 internal_error", "2"],
      ["Webhook delivery", "bad_signature", "signed with another secret", "1"],
    ]);
    expect((await h.raw("GET", "/patients")).status).toBe(500);
    const cleared = asPage(await browser.submit(page, "Clear faults"));
    expect(cleared.html).toContain("Every queued fault is cleared.");
    expect(h.sb.faults()).toEqual([]);
    expect((await h.raw("GET", "/patients")).status).toBe(200);
  });

  it("exports the state as a file, imports one into another workspace, and resets", async () => {
    await mb.patients.create({ patient_id: "user_export" });
    const page = await overview();
    const exported = await dashboardFetch(`${ORIGIN}${page.control("Export state").form.action}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, "sec-fetch-site": "same-origin" },
      body: new URLSearchParams({ form_token: page.control("Export state").form.controls[0]!.attrs.value! }),
    });
    expect(exported.headers.get("content-disposition")).toBe(
      `attachment; filename="medblocks-sandbox-workspace-${h.sb.apiKey.slice(-4)}.json"`,
    );
    const file = await exported.text();
    expect(JSON.parse(file)).toEqual(h.sb.exportState());

    const otherKey = "mb_sk_sbx_dashboard_import_test";
    const opened = asPage(
      await browser.submit(asPage(await browser.open(`${ORIGIN}/__sandbox/workspaces`)), "Open workspace", { "Sandbox API key": otherKey }),
    );
    expect(new URL(opened.url).pathname).not.toContain(otherKey);
    expect(opened.html).toContain(`Workspace …${otherKey.slice(-4)}`);
    const { form } = opened.control("Import state");
    const upload = new FormData();
    upload.append("form_token", form.controls.find((control) => control.attrs.name === "form_token")!.attrs.value!);
    upload.append("state", new Blob([file], { type: "application/json" }), "state.json");
    const imported = await dashboardFetch(`${ORIGIN}${form.action}`, {
      method: "POST",
      headers: { origin: ORIGIN, "sec-fetch-site": "same-origin" },
      body: upload,
      redirect: "manual",
    });
    expect(imported.status).toBe(303);
    expect((await h.sb.workspace(otherKey).exportState()).workspace.patients.map((patient) => patient.id)).toEqual(["user_export"]);

    asPage(await browser.submit(await overview(), "Reset workspace"));
    expect(h.sb.exportState().workspace.patients).toEqual([]);
    h.sb.workspace(otherKey).reset();
  });

  it("lists the workspaces used since start by the last 4 characters of their key; a wrong key is refused", async () => {
    const key = "mb_sk_sbx_listed_workspace_wxyz";
    await h.client({ key }).patients.create({ patient_id: "user_listed" });
    const page = asPage(await browser.open(`${ORIGIN}/__sandbox/workspaces`));
    expect(page.list("Known workspaces")).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Workspace …wxyz 1 patients?/),
        expect.stringMatching(new RegExp(`^Workspace …${h.sb.apiKey.slice(-4)} The ready key`)),
      ]),
    );
    expect(page.html).not.toContain(key);
    const refused = asPage(await browser.submit(page, "Open workspace", { "Sandbox API key": "mb_sk_live_nope" }));
    expect(refused.status).toBe(400);
    expect(refused.html).toContain("That is not a sandbox key");
    expect(refused.html).not.toContain("mb_sk_live_nope");
    h.sb.workspace(key).reset();
  });

  it("with a list of keys (--keys): the first is the ready key's workspace, every listed one is known, and only those open", async () => {
    const [first, second] = ["mb_sk_sbx_listed_first_a1b2", "mb_sk_sbx_listed_second_c3d4"];
    const listed = createSandbox({ keys: [first!, second!], seed: "listed" });
    const listedBrowser = new Browser(listed.fetch, ORIGIN);
    const start = await listed.fetch(`${ORIGIN}/__sandbox/`, { redirect: "manual" });
    const page = asPage(await listedBrowser.open(`${ORIGIN}/__sandbox/workspaces`));
    expect(page.list("Known workspaces")!.map((item) => item.split(" ").slice(0, 2).join(" "))).toEqual([
      "Workspace …a1b2",
      "Workspace …c3d4",
    ]);
    expect(page.link("Workspace …a1b2").href).toBe(start.headers.get("location"));
    const refused = asPage(await listedBrowser.submit(page, "Open workspace", { "Sandbox API key": "mb_sk_sbx_not_listed" }));
    expect([refused.status, refused.html.includes("That is not one of the keys this sandbox was started with (--keys).")]).toEqual([
      400,
      true,
    ]);
    await listed.close();
  });

  it(
    "the request log: method, route template, status, request id and time " + "of the workspace's calls, and of calls without a usable key",
    async () => {
      await mb.patients.create({ patient_id: "user_logged" });
      const missing = await h.raw("GET", "/patients/user_nobody");
      await h.raw("GET", "/patients", { key: null });
      const page = await section("Requests");
      const rows = tableOf(page, "API requests")!;
      expect(rows.slice(0, 2).map((row) => [row[1], row[2], row[3], row[5]])).toEqual([
        ["GET", "/patients/{id}", "404", missing.headers.get("x-request-id")],
        ["POST", "/patients", "200", expect.stringMatching(/^[0-9a-f-]{36}$/)],
      ]);
      expect(tableOf(page, "Requests without a usable key")![0]!.slice(1, 4)).toEqual(["GET", "/patients", "401"]);
      expect(page.html).not.toContain("user_nobody");
    },
  );
});

describe("who may use it", () => {
  it("refuses forms sent from another site, without the page's token, or with the token of another form, and changes nothing", async () => {
    const page = await overview();
    const { form } = page.control("Advance");
    const token = form.controls.find((control) => control.attrs.name === "form_token")!.attrs.value!;
    const post = (action: string, body: Record<string, string>, headers: Record<string, string>) =>
      dashboardFetch(`${ORIGIN}${action}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: new URLSearchParams(body),
        redirect: "manual",
      });
    const sameOrigin = { origin: ORIGIN, "sec-fetch-site": "same-origin" };
    const cases: [string, Response][] = [
      [
        "another site",
        await post(form.action, { form_token: token, seconds: "60" }, { origin: "https://evil.example", "sec-fetch-site": "cross-site" }),
      ],
      [
        "the same site, another origin",
        await post(
          form.action,
          { form_token: token, seconds: "60" },
          { origin: "http://other.sandbox.localhost", "sec-fetch-site": "same-site" },
        ),
      ],
      [
        "another origin, no Sec-Fetch-Site",
        await post(form.action, { form_token: token, seconds: "60" }, { origin: "https://evil.example" }),
      ],
      ["no token", await post(form.action, { seconds: "60" }, sameOrigin)],
      ["the token of another form", await post(form.action.replace(/\/clock$/, "/reset"), { form_token: token }, sameOrigin)],
    ];
    for (const [what, response] of cases) {
      expect([what, response.status]).toEqual([what, 403]);
      expect(await response.text()).toContain("This form cannot be sent from here");
    }
    expect(h.sb.clock.now().toISOString()).toBe("2026-04-25T09:00:00.000Z");
  });

  it("over a socket, answers loopback connections that name a loopback host only", async () => {
    const core = createCore({ store: new Store("socket"), time: () => T0, baseUrl: "http://127.0.0.1:4100", strict: false });
    const app = createApp(core);
    const get = (host: string, remoteAddress: string) =>
      app.fetch(new Request(`http://${host}/__sandbox/workspaces`), { incoming: { socket: { remoteAddress } }, outgoing: {} });
    expect((await get("127.0.0.1:4100", "127.0.0.1")).status).toBe(200);
    expect((await get("localhost:4100", "::ffff:127.0.0.1")).status).toBe(200);
    expect((await get("[::1]:4100", "::1")).status).toBe(200);
    const remote = await get("127.0.0.1:4100", "192.168.1.20");
    expect(remote.status).toBe(403);
    expect(await remote.text()).toContain("The dashboard answers connections from this machine only.");
    const tunnel = await get("sandbox.tunnel.example", "127.0.0.1");
    expect(tunnel.status).toBe(403);
    expect(await tunnel.text()).toContain("open it at one of those on this machine");
    await core.deliveries.close();
  });

  it(
    "a running server refuses the dashboard to a foreign Host (DNS " + "rebinding), and to --public-url's host, which the API answers",
    async () => {
      const server = await startServer({ port: 0, publicUrl: "https://sandbox.tunnel.example", report: () => {} });
      const get = (host: string, path: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const request = httpRequest({ host: "127.0.0.1", port: server.port, path, headers: { host } }, (response) => {
            let body = "";
            response.on("data", (chunk: Buffer) => (body += chunk.toString()));
            response.on("end", () => resolve({ status: response.statusCode!, body }));
          });
          request.on("error", reject);
          request.end();
        });
      try {
        expect((await get("rebound.example", "/__sandbox/workspaces")).status).toBe(403);
        expect((await get("sandbox.tunnel.example", "/health")).status).toBe(200);
        const tunnel = await get("sandbox.tunnel.example", "/__sandbox/workspaces");
        expect(tunnel.status).toBe(403);
        expect(tunnel.body).toContain("The dashboard answers at localhost, 127.0.0.1 or [::1] only");
        expect((await get(`127.0.0.1:${server.port}`, "/__sandbox/workspaces")).status).toBe(200);
        expect((await get(`localhost:${server.port}`, "/__sandbox/workspaces")).status).toBe(200);
      } finally {
        await server.close();
      }
    },
  );
});

describe("the API reference", () => {
  it("every error's doc_url is its code's entry in /docs, which the page has for every code", async () => {
    const answer = await h.raw("GET", "/patients/user_missing");
    expect(answer.body.error.doc_url).toBe(`${h.sb.baseUrl}/docs#/section/errors/resource_not_found`);
    const page = await h.sb.fetch(`${ORIGIN}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    // Redoc routes a heading `## code` under `# Errors` of the overview as `#/section/errors/<code>`.
    const definition = JSON.parse(/const __redoc_definition = (\{.*\});\n/.exec(html)![1]!) as { info: { description: string } };
    const errors = definition.info.description.split("\n# Errors\n")[1]!;
    for (const code of spec.components.schemas.ErrorCode.enum as string[]) expect(errors, code).toContain(`\n## ${code}\n`);
  });

  it("is served with what it imports, from this origin only, with a CSP that allows its own scripts by hash", async () => {
    const page = await h.sb.fetch(`${ORIGIN}/docs`);
    const html = await page.text();
    const policy = page.headers.get("content-security-policy")!;
    expect(policy).toMatch(
      /^default-src 'none'; script-src 'self'( 'sha256-[A-Za-z0-9+/=]{44}'){2}; style-src 'self' 'unsafe-inline'; img-src 'self' data:;/,
    );
    expect(html.replace(/<a [^>]*>/g, "")).not.toMatch(/(src|href)="(https?:)?\/\//);
    const [, script] = /import \{ hydrate \} from "\.\/(docs\/redoc-[0-9.]+\.standalone\.js)";/.exec(html)!;
    const redoc = await h.sb.fetch(`${ORIGIN}/${script}`);
    expect([redoc.status, redoc.headers.get("content-type")]).toEqual([200, "text/javascript; charset=utf-8"]);
    const version = /redoc-([0-9.]+)\.standalone/.exec(script!)![1]!;
    expect((await redoc.text()).slice(0, 200)).toContain(`Version: ${version}`);
    expect(reference()!.scriptPath).toBe(`/${script}`);
    expect((await h.sb.fetch(`${ORIGIN}/docs/redoc-0.0.0.standalone.js`)).status).toBe(404);
  });
});

it("loads state written before delivery attempts were kept", () => {
  const sb = createSandbox({ seed: "old-state" });
  const state = sb.exportState();
  state.workspace.webhooks.push({
    seq: 1,
    id: "wh_old",
    url: "http://127.0.0.1:1/hooks",
    events: ["*"],
    status: "active",
    description: null,
    metadata: {},
    api_version: "2026-04-25",
    secret: "whsec_old",
    created_at: "2026-04-25T09:00:00.000Z",
    updated_at: "2026-04-25T09:00:00.000Z",
  });
  state.workspace.events.push({
    seq: 2,
    id: "evt_old",
    webhook_endpoint_id: "wh_old",
    type: "records.sync.failed",
    data: { object: {} },
    api_version: "2026-04-25",
    attempts: 1,
    next_attempt_at: null,
    delivered_at: null,
    last_status_code: 500,
    last_response_body: null,
    last_redelivered_at: null,
    created_at: "2026-04-25T09:00:00.000Z",
  });
  state.workspace.seq = 2;
  expect(() => sb.importState(state)).not.toThrow();
  void sb.close();
});
