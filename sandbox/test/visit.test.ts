/**
 * `sb.visit(url, …)`: the hosted page driven as a patient's browser drives
 * it, for tests of apps that hand back only `{ url }`. It must go through the
 * page (its routes in the request log, its forms and their guards), reach
 * every outcome in both modes, pick the EHR from "Suggested" or by searching,
 * land where a browser lands, and refuse what a browser could not do with an
 * error naming the option.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { parseReturnUrl } from "../../src/index.js";
import { CATALOG, createSandbox, OUTCOME_NAMES, SandboxError, type RequestLogEntry } from "../src/index.js";
import { expectNoViolations, harness, sessionBody } from "./support/harness.js";
import { EXPECTED } from "./support/outcomes.js";

const routes: string[] = [];
const h = harness({
  log: (entry: RequestLogEntry) => void (entry.route.startsWith("/c/") && routes.push(`${entry.method} ${entry.route} ${entry.status}`)),
});
expectNoViolations(h);
const mb = h.client();
const [EHR, SECOND, THIRD] = CATALOG;
const RETURN_URL = "https://app.example.com/connected?tab=records";

beforeEach(() => {
  h.sb.reset();
  routes.length = 0;
});

/** An app under test: it starts a session and hands back only where to send the browser. */
async function connectButton(body: Record<string, unknown> = {}): Promise<{ url: string }> {
  const session = await mb.patientSession.init(sessionBody({ return_url: RETURN_URL, return_button_label: "Acme Health", ...body }));
  return { url: session.url };
}

async function rejection(promise: Promise<unknown>): Promise<SandboxError> {
  const error = await promise.then(
    () => expect.unreachable("the visit succeeded") as never,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SandboxError);
  return error as SandboxError;
}

describe("sb.visit in hosted mode", () => {
  it("picks a suggested EHR, approves, returns: through the page's own routes and forms", async () => {
    const { url } = await connectButton({ recommended_connection_ids: [SECOND!.id, EHR!.id] });
    const landing = await h.sb.visit(url, { outcome: "approve", connectionId: EHR!.id });
    expect(landing.startsWith(`${RETURN_URL}&patient_id=user_42&patient_session_id=ps_`)).toBe(true);
    const verified = await mb.patientSession.verifyReturn(landing, { patientId: "user_42" });
    expect(verified.outcome).toBe("connected");
    expect(verified.connected.map((link) => link.connection_id)).toEqual([EHR!.id]);
    expect(routes).toEqual([
      "GET /c/{token} 200",
      "GET /c/{token}/ehr/{connection_id} 200",
      "POST /c/{token}/ehr/{connection_id} 303",
      "GET /c/{token} 200",
      "POST /c/{token}/return 303",
    ]);
  });

  it("finds an EHR that is not suggested with the search box, as a patient would, by id or fhir_base_url", async () => {
    const { url } = await connectButton({ recommended_connection_ids: [SECOND!.id] });
    const landing = await h.sb.visit(url, { outcome: "approve", connectionId: THIRD!.fhir_base_url });
    expect(routes.slice(0, 3)).toEqual(["GET /c/{token} 200", "GET /c/{token} 200", "GET /c/{token}/ehr/{connection_id} 200"]);
    const verified = await mb.patientSession.verifyReturn(landing, { patientId: "user_42" });
    expect(verified.connected.map((link) => link.connection_id)).toEqual([THIRD!.id]);
  });

  it.each(OUTCOME_NAMES)("ends a visit in %s with the page's button for it", async (outcome) => {
    const { url } = await connectButton();
    const landing = await h.sb.visit(url, { outcome, connectionId: EHR!.id });
    const verified = await mb.patientSession.verifyReturn(landing, { patientId: "user_42" });
    expect(verified.outcome).toBe(EXPECTED[outcome].verified);
    expect(verified.session.connections).toEqual([
      expect.objectContaining({ connection_id: EHR!.id, failure_code: EXPECTED[outcome].failure }),
    ]);
  });

  it("without options, returns without connecting", async () => {
    const { url } = await connectButton();
    const landing = await h.sb.visit(url);
    expect(routes).toEqual(["GET /c/{token} 200", "POST /c/{token}/return 303"]);
    expect((await mb.patientSession.verifyReturn(landing, { patientId: "user_42" })).outcome).toBe("not_connected");
  });

  it("takes explicit undefined as left out, and a URL object", async () => {
    const { url } = await connectButton();
    const landing = await h.sb.visit(new URL(url), { outcome: undefined, connectionId: undefined });
    expect(parseReturnUrl(landing)).toMatchObject({ mode: "hosted", patient_id: "user_42" });
  });
});

describe("sb.visit in direct mode", () => {
  it("answers the EHR's sign-in and lands with the direct-mode return", async () => {
    const { url } = await connectButton({ connection_id: EHR!.id });
    const landing = await h.sb.visit(url, { outcome: "approve" });
    expect(parseReturnUrl(landing)).toMatchObject({ mode: "direct", success: true, connection_id: EHR!.id });
    expect(routes).toEqual(["GET /c/{token} 200", "POST /c/{token}/ehr/{connection_id} 303"]);
    const failed = await h.sb.visit((await connectButton({ connection_id: EHR!.id })).url, {
      outcome: "ehr_unavailable",
      connectionId: EHR!.id,
    });
    expect(parseReturnUrl(failed)).toMatchObject({ mode: "direct", success: false, error: "ehr_unavailable" });
  });
});

describe("sb.visit refuses what a browser could not do, by rejecting with the option named", () => {
  it.each([
    ["an outcome without an EHR in hosted mode", {}, { outcome: "approve" }, 400, "connectionId"],
    ["an EHR without an outcome", {}, { connectionId: EHR!.id }, 400, "outcome"],
    ["an EHR the catalog lacks", {}, { outcome: "approve", connectionId: "fhirsrc_nope" }, 404, "connectionId"],
    ["an outcome the sandbox does not know", {}, { outcome: "shrug", connectionId: EHR!.id }, 400, "outcome"],
    ["no outcome in direct mode", { connection_id: EHR!.id }, {}, 400, "outcome"],
    ["another EHR in direct mode", { connection_id: EHR!.id }, { outcome: "approve", connectionId: SECOND!.id }, 400, "connectionId"],
  ] as const)("%s", async (_name, body, options, status, param) => {
    const { url } = await connectButton(body);
    const visit = h.sb.visit(url, options as never);
    expect(visit).toBeInstanceOf(Promise);
    expect(await rejection(visit)).toMatchObject({ status, param });
    expect((await mb.patients.listPatientSessions("user_42")).data.map((session) => session.status)).toEqual(["open"]);
  });

  it("a URL that is no session page of this sandbox", async () => {
    const { url } = await connectButton();
    const error = await rejection(h.sb.visit(url.replace(h.sb.baseUrl, "https://app.medblocks.com")));
    expect(error).toMatchObject({ status: 400, code: "invalid_data", param: "url" });
  });

  it("a page that names no session, and a session that is over", async () => {
    expect(await rejection(h.sb.visit(`${h.sb.baseUrl}/c/${"0".repeat(32)}`))).toMatchObject({
      status: 404,
      code: "resource_not_found",
      param: "url",
    });
    const { url } = await connectButton();
    await h.sb.visit(url);
    const again = await rejection(h.sb.visit(url, { outcome: "approve", connectionId: EHR!.id }));
    expect(again).toMatchObject({ status: 409, code: "resource_conflict", param: "url" });
    expect(again.message).toMatch(/This link was already used/);
    expect(again.message).not.toContain(new URL(url).pathname);
  });
});

it("visits a session of any workspace: the page needs no key", async () => {
  const sb = createSandbox({ seed: "visit" });
  const theirs = h.client({ key: "mb_sk_sbx_another_workspace" });
  const session = await theirs.patientSession.init(sessionBody());
  // Another sandbox (at the same default baseUrl) knows no such page.
  await expect(sb.visit(session.url)).rejects.toMatchObject({ status: 404, param: "url" });
  await sb.close();
  const landing = await h.sb.visit(session.url, { outcome: "deny", connectionId: EHR!.id });
  expect((await theirs.patientSession.verifyReturn(landing, { patientId: "user_42" })).outcome).toBe("failed");
});
