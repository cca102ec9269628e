/**
 * The hosted page at `session.url`, driven over HTTP as a browser would
 * (src/page/browser.ts: names as assistive technology reads them, forms
 * submitted with their buttons): its markup and headers, every outcome in
 * hosted and direct mode, each return URL read back with `parseReturnUrl`
 * and confirmed by `verifyReturn` with the session id, expiry by the clock,
 * 410 once a session is over, and forms that only the page itself can send.
 */
import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { parseReturnUrl, type PatientSession } from "../../src/index.js";
import { CATALOG, OUTCOME_NAMES, type OutcomeName } from "../src/index.js";
import { ajv } from "../src/validation/ajv.js";
import { asLanding, asPage, Browser, Page } from "../src/page/browser.js";
import { expectNoViolations, harness, sessionBody } from "./support/harness.js";
import { EXPECTED } from "./support/outcomes.js";

const h = harness({ now: () => Date.UTC(2026, 3, 25, 14, 30) });
expectNoViolations(h);
const mb = h.client();
const [EHR, SECOND, THIRD] = CATALOG;
const RETURN_URL = "https://app.example.com/connected?tab=records";

/** Every page answer carries the sandbox's headers and the page's protections; a violation fails the test. */
const pageFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const response = await h.sb.fetch(input, init);
  const where = `${init?.method ?? "GET"} ${new URL(String(input)).pathname} → ${response.status}`;
  for (const header of ["x-request-id", "x-medblocks-sandbox", "content-security-policy"]) {
    if (!response.headers.get(header)) h.violations.push(`${where}: no ${header}`);
  }
  if (response.headers.get("cache-control") !== "no-store") h.violations.push(`${where}: cacheable`);
  for (const [name] of response.headers) if (name.startsWith("access-control-")) h.violations.push(`${where}: CORS header ${name}`);
  return response;
};
const browser = new Browser(pageFetch, new URL(h.sb.baseUrl).origin);

beforeEach(() => h.sb.reset());

const hosted = (overrides: Record<string, unknown> = {}) =>
  mb.patientSession.init(
    sessionBody({
      return_url: RETURN_URL,
      return_button_label: "Back to Acme Health",
      recommended_connection_ids: [SECOND!.id, EHR!.id],
      ...overrides,
    }),
  );
const direct = (overrides: Record<string, unknown> = {}) =>
  mb.patientSession.init(sessionBody({ return_url: RETURN_URL, connection_id: EHR!.id, ...overrides }));

/** Matches a list item that starts with the EHR's name, then says how it went. */
const itemOf = (name: string) => expect.stringMatching(new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\S`));

/** The button that ends a visit in `outcome`, and the fields it needs. */
const choose = (outcome: OutcomeName): [string, Record<string, string>] =>
  outcome === "approve"
    ? ["Approve access", {}]
    : outcome === "deny"
      ? ["Deny access", {}]
      : ["Continue with this outcome", { "Simulated outcome": outcome }];

/** The return's own parameters, checked against the schema the spec's callback gives them. */
function returnViolations(landing: string, schema: "ReturnHostedQuery" | "ReturnDirectSuccessQuery" | "ReturnDirectErrorQuery"): string[] {
  const params = Object.fromEntries([...new URL(landing).searchParams].filter(([name]) => name !== "tab"));
  const validate = ajv().getSchema(`spec#/components/schemas/${schema}`)!;
  return validate(params) ? [] : (validate.errors ?? []).map((error) => `${schema}${error.instancePath} ${error.message}`);
}

async function eventTypes(endpointId: string): Promise<string[]> {
  return (await mb.webhooks.listEvents(endpointId, { limit: 100 })).data.reverse().map((event) => event.type);
}

describe("the picker's page", () => {
  it("is plain HTML with lang, one h1, landmarks, no script, marked as the sandbox, and no patient or session id", async () => {
    const session = await hosted();
    const page = asPage(await browser.open(session.url));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.lang).toBe("en");
    expect(page.headings(1)).toEqual(["Connect your health records"]);
    expect(page.landmarks()).toEqual(["header", "main", "footer"]);
    expect(page.html).toMatch(/<meta name="viewport" content="width=device-width, initial-scale=1">/);
    expect(page.html).toMatch(/<title>[^<]*Medblocks sandbox<\/title>/);
    expect(page.html).toMatch(/<header><p class="sandbox">Medblocks sandbox: a simulation\./);
    expect(page.html).not.toMatch(/<script|\son[a-z]+=|javascript:/i);
    // Every link and form stays on the sandbox: nothing is loaded from elsewhere.
    expect(page.html).not.toMatch(/(src|href|action)="(https?:)?\/\//);
    for (const secret of ["user_42", session.id]) expect(page.html).not.toContain(secret);
  });

  it("sends a strict CSP that allows its own stylesheet by hash and forms to itself and the return URL's origin", async () => {
    const session = await hosted();
    const page = asPage(await browser.open(session.url));
    const style = /<style>([\s\S]*?)<\/style>/.exec(page.html)![1]!;
    const hash = createHash("sha256").update(style).digest("base64");
    expect(page.headers.get("content-security-policy")).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; form-action 'self' http: https:; frame-ancestors 'none'; base-uri 'none'`,
    );
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("referrer-policy")).toBe("same-origin");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("names its controls as promised: the search box, Suggested first and in order, every EHR once as a link by its name", async () => {
    const session = await hosted();
    const page = asPage(await browser.open(session.url));
    const { form, control } = page.control("Search for your health system");
    expect([form.method, control.kind, control.attrs.type]).toEqual(["get", "input", "search"]);
    expect(page.list("Suggested")).toEqual([SECOND!.name, EHR!.name]);
    expect(page.html.indexOf('id="suggested"')).toBeLessThan(page.html.indexOf('id="all"'));
    const names = page.links().map((link) => link.name);
    expect([...names].sort()).toEqual(CATALOG.map((source) => source.name).sort());
    expect(page.list("All health systems")).toHaveLength(CATALOG.length - 2);
    // The label is the button's whole text, as given.
    expect(page.control("Back to Acme Health").control.kind).toBe("button");
    expect(page.html).not.toContain("Return to Back");
    // Nothing attempted yet: no Connected or Not connected list.
    expect([page.list("Connected"), page.list("Not connected")]).toEqual([undefined, undefined]);
  });

  it("lists an EHR recommended twice once", async () => {
    const session = await hosted({ recommended_connection_ids: [EHR!.id, SECOND!.id, EHR!.id] });
    expect(asPage(await browser.open(session.url)).list("Suggested")).toEqual([EHR!.name, SECOND!.name]);
  });

  it("searches with a GET form: a case-insensitive part of the name, the suggested ones not repeated", async () => {
    const session = await hosted();
    const page = asPage(await browser.open(session.url));
    const query = SECOND!.name.split(" ")[0]!.toUpperCase();
    const results = asPage(await browser.submit(page, "Search", { "Search for your health system": query }));
    expect(new URL(results.url).searchParams.get("q")).toBe(query);
    const expected = CATALOG.filter(
      (source) => source.name.toLowerCase().includes(query.toLowerCase()) && source.id !== SECOND!.id && source.id !== EHR!.id,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(results.list("Search results")).toEqual(expected.map((source) => source.name));
    expect(results.list("Suggested")).toEqual([SECOND!.name, EHR!.name]);
    expect(results.control("Search for your health system").control.attrs.value).toBe(query);
    const none = asPage(await browser.submit(page, "Search", { "Search for your health system": "no such system anywhere" }));
    expect(none.list("Search results")).toBeUndefined();
    expect(none.html).toContain("No other health system matches your search.");
  });

  it("changes nothing by being opened: every change is a POST", async () => {
    const session = await hosted();
    const before = h.sb.exportState();
    const page = asPage(await browser.open(session.url));
    asPage(await browser.follow(page, EHR!.name));
    asPage(await browser.submit(page, "Search", { "Search for your health system": "health" }));
    expect(h.sb.exportState()).toEqual(before);
  });
});

describe("the EHR's sign-in page", () => {
  it("shows the EHR's name, Approve and Deny, and every other outcome in a select", async () => {
    const session = await hosted();
    const login = asPage(await browser.follow(asPage(await browser.open(session.url)), EHR!.name));
    expect(login.headings(1)).toEqual([EHR!.name]);
    expect(login.lang).toBe("en");
    expect(login.control("Approve access").control.attrs).toMatchObject({ name: "outcome", value: "approve" });
    expect(login.control("Deny access").control.attrs).toMatchObject({ name: "outcome", value: "deny" });
    const { control } = login.control("Simulated outcome");
    expect(control.kind).toBe("select");
    expect(control.options.map((option) => option.value)).toEqual(OUTCOME_NAMES.filter((name) => name !== "approve" && name !== "deny"));
    expect(login.link("Back to health systems").href).toBe(new URL(session.url).pathname);
    // Its forms come back to the sandbox (then the picker): no other origin is needed.
    expect(login.headers.get("content-security-policy")).toContain("form-action 'self';");
  });
});

describe.each(OUTCOME_NAMES)("outcome %s", (outcome) => {
  const expected = EXPECTED[outcome];

  it("hosted: picked, signed in, listed back on the picker, returned, verified", async () => {
    const endpoint = await mb.webhooks.create({ url: "https://app.example.com/hooks", events: ["*"] });
    const session = await hosted();
    const login = asPage(await browser.follow(asPage(await browser.open(session.url)), EHR!.name));
    const back = asPage(await browser.submit(login, ...choose(outcome)));
    expect(back.url).toBe(session.url);
    expect(back.headings(1)).toEqual(["Connect your health records"]);
    const list = expected.failure === null ? "Connected" : "Not connected";
    expect(back.list(list)).toEqual([itemOf(EHR!.name)]);
    expect(back.list(list === "Connected" ? "Not connected" : "Connected")).toBeUndefined();
    const open = await mb.patientSession.retrieve(session.id);
    expect(open.status).toBe("open");
    expect(open.connections).toEqual([expect.objectContaining({ connection_id: EHR!.id, failure_code: expected.failure })]);
    expect(await eventTypes(endpoint.id)).toEqual(expected.events);

    const landing = asLanding(await browser.submit(back, "Back to Acme Health"));
    expect(landing).toBe(`${RETURN_URL}&patient_id=user_42&patient_session_id=${session.id}`);
    expect(returnViolations(landing, "ReturnHostedQuery")).toEqual([]);
    expect(parseReturnUrl(landing)).toEqual({ mode: "hosted", patient_id: "user_42", patient_session_id: session.id });
    const verified = await mb.patientSession.verifyReturn(landing, { patientId: "user_42", sessionId: session.id });
    expect(verified.outcome).toBe(expected.verified);
    expect(verified.session.status).toBe("complete");
    expect((await mb.patients.retrieve("user_42")).connections[0]).toMatchObject({ status: expected.link, failure_code: expected.failure });
    expect(await eventTypes(endpoint.id)).toEqual([...expected.events, "patient_session.completed"]);

    const after = asPage(await browser.open(session.url));
    expect([after.status, after.headings(1)]).toEqual([410, ["This link was already used"]]);
    expect(after.forms()).toEqual([]);
  });

  it("direct: straight to the EHR, then back to the app with the spec's return parameters", async () => {
    const session = await direct();
    const login = asPage(await browser.open(session.url));
    expect(login.url).toBe(session.url);
    expect(login.headings(1)).toEqual([EHR!.name]);
    expect(login.links()).toEqual([]);
    expect(login.headers.get("content-security-policy")).toContain("form-action 'self' http: https:;");
    const landing = asLanding(await browser.submit(login, ...choose(outcome)));

    const authorized = expected.failure === null;
    const claimed = parseReturnUrl(landing);
    expect(landing.startsWith(`${RETURN_URL}&patient_id=user_42&patient_session_id=${session.id}&success=${authorized}`)).toBe(true);
    if (authorized) {
      expect(returnViolations(landing, "ReturnDirectSuccessQuery")).toEqual([]);
      expect(claimed).toEqual({
        mode: "direct",
        success: true,
        patient_id: "user_42",
        patient_session_id: session.id,
        connection_id: EHR!.id,
      });
    } else {
      expect(returnViolations(landing, "ReturnDirectErrorQuery")).toEqual([]);
      expect(claimed).toMatchObject({
        mode: "direct",
        success: false,
        error: expected.failure,
        error_description: expect.stringMatching(/\w/),
      });
    }
    const verified = await mb.patientSession.verifyReturn(landing, { patientId: "user_42", sessionId: session.id });
    expect(verified.outcome).toBe(expected.verified);
    expect(verified.session.status).toBe("complete");
    const after = asPage(await browser.open(session.url));
    expect([after.status, after.headings(1), after.forms()]).toEqual([410, ["This link was already used"], []]);
  });
});

describe("the return", () => {
  it("reads the label as written, whatever it says", async () => {
    for (const label of ["Continue", "Return to intake", "Zurück zur Praxis"]) {
      const page = asPage(await browser.open((await hosted({ return_button_label: label })).url));
      expect(page.control(label).control.kind, label).toBe("button");
    }
  });

  it("without connecting: 'Return to app' when no label, the session complete and nothing connected", async () => {
    const session = await hosted({ return_button_label: undefined, recommended_connection_ids: undefined });
    const page = asPage(await browser.open(session.url));
    expect(page.list("Suggested")).toBeUndefined();
    const landing = asLanding(await browser.submit(page, "Return to app"));
    const verified = await mb.patientSession.verifyReturn(landing, { patientId: "user_42", sessionId: session.id });
    expect([verified.outcome, verified.session.status, verified.session.connections]).toEqual(["not_connected", "complete", []]);
  });

  it("after several EHRs: each listed by how it went, every attempt in the session", async () => {
    const session = await hosted();
    let page = asPage(await browser.open(session.url));
    for (const [source, outcome] of [
      [EHR!, "approve"],
      [SECOND!, "deny"],
      [THIRD!, "token_refresh_failed"],
    ] as const) {
      page = asPage(await browser.submit(asPage(await browser.follow(page, source.name)), ...choose(outcome)));
    }
    expect(page.list("Connected")).toEqual([itemOf(EHR!.name), itemOf(THIRD!.name)]);
    expect(page.list("Not connected")).toEqual([`${SECOND!.name} The patient declined to share their records.`]);
    const landing = asLanding(await browser.submit(page, "Back to Acme Health"));
    const verified = await mb.patientSession.verifyReturn(landing, { patientId: "user_42", sessionId: session.id });
    expect(verified.outcome).toBe("connected");
    expect(verified.session.connections.map((connection) => [connection.connection_id, connection.status])).toEqual([
      [EHR!.id, "active"],
      [SECOND!.id, "failed"],
      [THIRD!.id, "refresh_failed"],
    ]);
  });

  it("an EHR approved and then denied in the same visit stays connected, as its link does", async () => {
    const session = await hosted();
    let page = asPage(await browser.open(session.url));
    for (const outcome of ["approve", "deny"] as const)
      page = asPage(await browser.submit(asPage(await browser.follow(page, EHR!.name)), ...choose(outcome)));
    expect(page.list("Connected")).toEqual([itemOf(EHR!.name)]);
    expect(page.list("Not connected")).toBeUndefined();
    const landing = asLanding(await browser.submit(page, "Back to Acme Health"));
    expect((await mb.patientSession.verifyReturn(landing, { patientId: "user_42", sessionId: session.id })).outcome).toBe("connected");
  });

  it("keeps the app's own query byte for byte, whatever its encoding, and its fragment", async () => {
    const own = "https://app.example.com/back?flag&sig=abc%3D%3D&t=~x&p=a%20b&list=a,b#done";
    const session = await hosted({ return_url: own });
    const landing = asLanding(await browser.submit(asPage(await browser.open(session.url)), "Back to Acme Health"));
    expect(landing).toBe(
      `https://app.example.com/back?flag&sig=abc%3D%3D&t=~x&p=a%20b&list=a,b&patient_id=user_42&patient_session_id=${session.id}#done`,
    );
  });

  it("a return replayed for another session or patient is refused by verifyReturn", async () => {
    const first = await hosted();
    const landing = asLanding(await browser.submit(asPage(await browser.open(first.url)), "Back to Acme Health"));
    const second = await hosted();
    await expect(mb.patientSession.verifyReturn(landing, { patientId: "user_42", sessionId: second.id })).rejects.toMatchObject({
      reason: "mismatch",
    });
    await expect(mb.patientSession.verifyReturn(landing, { patientId: "user_7", sessionId: first.id })).rejects.toMatchObject({
      reason: "mismatch",
    });
  });
});

describe("a session that is over", () => {
  it("expires by the clock: 410 for the page and for every form loaded before, and nothing changes", async () => {
    const session: PatientSession = await hosted({ expires_in: 60 });
    const picker = asPage(await browser.open(session.url));
    const login = asPage(await browser.follow(picker, EHR!.name));
    h.sb.clock.advance(59);
    expect(asPage(await browser.open(session.url)).status).toBe(200);
    h.sb.clock.advance(1);
    for (const page of [
      await browser.open(session.url),
      await browser.follow(picker, EHR!.name),
      await browser.submit(login, "Approve access"),
      await browser.submit(picker, "Back to Acme Health"),
    ]) {
      expect([asPage(page).status, asPage(page).headings(1), asPage(page).forms()]).toEqual([410, ["This link has expired"], []]);
    }
    expect(await mb.patientSession.retrieve(session.id)).toMatchObject({ status: "expired", connections: [] });
  });

  it("a completed one refuses the forms loaded before it completed", async () => {
    const session = await hosted();
    const picker = asPage(await browser.open(session.url));
    const login = asPage(await browser.follow(picker, EHR!.name));
    h.sb.completeSession(session.id);
    expect(asPage(await browser.submit(login, "Approve access")).status).toBe(410);
    expect(asPage(await browser.submit(picker, "Back to Acme Health")).status).toBe(410);
    expect((await mb.patientSession.retrieve(session.id)).connections).toEqual([]);
  });

  it("two returns sent at once complete the session once", async () => {
    const endpoint = await mb.webhooks.create({ url: "https://app.example.com/hooks", events: ["patient_session.completed"] });
    const session = await hosted();
    const picker = asPage(await browser.open(session.url));
    const results = await Promise.all([browser.submit(picker, "Back to Acme Health"), browser.submit(picker, "Back to Acme Health")]);
    expect(results.map((result) => ("landing" in result ? 303 : result.status)).sort()).toEqual([303, 410]);
    expect(await eventTypes(endpoint.id)).toEqual(["patient_session.completed"]);
  });

  it("a link that names no session, or an EHR outside a direct session, is 404 as a page", async () => {
    const session = await direct();
    const unknown = asPage(await browser.open(`${h.sb.baseUrl}/c/${"0".repeat(32)}`));
    expect([unknown.status, unknown.headings(1)]).toEqual([404, ["This link is not valid"]]);
    expect(asPage(await browser.open(`${session.url}/ehr/${SECOND!.id}`)).status).toBe(404);
    expect(asPage(await browser.open(`${session.url}/ehr/fhirsrc_nope`)).status).toBe(404);
  });
});

describe("forms only from the page", () => {
  const attempts = async (id: string) => (await mb.patientSession.retrieve(id)).connections.length;

  it.each([
    ["another site, by Sec-Fetch-Site", { "sec-fetch-site": "cross-site" }],
    // Same-site is not same-origin: another port of this host, or a sibling subdomain, is another app.
    ["the same site but another origin, by Sec-Fetch-Site alone", { "sec-fetch-site": "same-site" }],
    ["another port of this host", { "sec-fetch-site": "same-site", origin: "http://sandbox.localhost:3000" }],
    ["another origin", { origin: "https://evil.example" }],
    ["an opaque origin", { origin: "null" }],
  ])("refuses a form from %s with 403", async (_name, headers) => {
    const session = await hosted();
    const login = asPage(await browser.follow(asPage(await browser.open(session.url)), EHR!.name));
    const refused = asPage(await browser.submit(login, "Approve access", {}, headers));
    expect([refused.status, refused.headings(1)]).toEqual([403, ["This form cannot be sent from here"]]);
    expect(await attempts(session.id)).toBe(0);
  });

  it("refuses a form without this page's form token, or with another form's", async () => {
    const session = await hosted();
    const picker = asPage(await browser.open(session.url));
    const login = asPage(await browser.follow(picker, EHR!.name));
    const returnToken = picker.control("Back to Acme Health").form.controls.find((control) => control.attrs.name === "form_token")!.attrs
      .value!;
    const action = new URL(login.forms()[0]!.action, login.url).href;
    for (const body of ["outcome=approve", `outcome=approve&form_token=${returnToken}`]) {
      const response = await pageFetch(action, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
      expect(response.status).toBe(403);
    }
    expect(await attempts(session.id)).toBe(0);
  });

  it("refuses an outcome it does not know, or two, with 400", async () => {
    const session = await hosted();
    const login = asPage(await browser.follow(asPage(await browser.open(session.url)), EHR!.name));
    const token = login.forms()[0]!.controls.find((control) => control.attrs.name === "form_token")!.attrs.value!;
    const action = new URL(login.forms()[0]!.action, login.url).href;
    for (const body of [`form_token=${token}&outcome=shrug`, `form_token=${token}&outcome=approve&outcome=deny`]) {
      const response = await pageFetch(action, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
      expect(response.status).toBe(400);
      expect(new Page(action, 400, response.headers, await response.text()).headings(1)).toEqual(["This form could not be read"]);
    }
    expect(await attempts(session.id)).toBe(0);
  });
});
