/**
 * Patient sessions: the upsert, both modes, expiry by the clock, and every
 * outcome of a visit to an EHR — the link it leaves, the session's attempt,
 * the return URL (read back with the client's parseReturnUrl) and the events.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { parseReturnUrl, type PatientConnectionRef } from "../../src/index.js";
import { CATALOG, OUTCOME_NAMES, type OutcomeName } from "../src/index.js";
import { deliveryViolations, expectNoViolations, failure, harness, sessionBody } from "./support/harness.js";
import { EXPECTED } from "./support/outcomes.js";
import { completeSession, openSession } from "../src/domain/sessions.js";
import { addEndpoint } from "../src/api/webhooks.js";
import { Workspace } from "../src/state/workspace.js";

let now = Date.UTC(2026, 3, 25, 14, 30);
const h = harness({ now: () => now });
expectNoViolations(h);
const mb = h.client();
const [EHR, OTHER] = CATALOG.filter((source) => source.type === "epic");

beforeEach(() => h.sb.reset());

describe("init", () => {
  it("opens a hosted session and creates its patient", async () => {
    const session = await mb.patientSession.init({ ...sessionBody(), patient_email: "jane@example.com", patient_name: "Jane" });
    expect(session).toMatchObject({
      status: "open",
      patient_id: "user_42",
      connection_id: null,
      recommended_connection_ids: [],
      return_button_label: null,
      connections: [],
      metadata: {},
      created_at: "2026-04-25T14:30:00.000Z",
      // The spec's default expires_in: 1800 s.
      expires_at: "2026-04-25T15:00:00.000Z",
    });
    expect(await mb.patients.retrieve("user_42")).toMatchObject({ email: "jane@example.com", name: "Jane", connections: [] });
  });

  it("gives each session its own unguessable URL on the sandbox", async () => {
    const first = await mb.patientSession.init(sessionBody());
    const second = await mb.patientSession.init(sessionBody());
    for (const session of [first, second]) expect(session.url).toMatch(new RegExp(`^${h.sb.baseUrl}/c/[0-9a-f]{32}$`));
    expect(first.url).not.toBe(second.url);
    expect(first.id).not.toBe(second.id);
  });

  it("updates the patient's email and name when given, and keeps them when not", async () => {
    await mb.patientSession.init({ ...sessionBody(), patient_email: "old@example.com", patient_name: "Old" });
    await mb.patientSession.init({ ...sessionBody(), patient_name: "New" });
    expect(await mb.patients.retrieve("user_42")).toMatchObject({ email: "old@example.com", name: "New" });
  });

  it("opens a direct session, taking the EHR by id or by fhir_base_url", async () => {
    const byUrl = await mb.patientSession.init({ ...sessionBody(), connection_id: EHR!.fhir_base_url, expires_in: 600 });
    expect(byUrl).toMatchObject({ connection_id: EHR!.id, recommended_connection_ids: null, expires_at: "2026-04-25T14:40:00.000Z" });
  });

  it("answers 404 naming the field for an EHR that is not in the catalog, and creates nothing", async () => {
    const error = await failure(mb.patientSession.init({ ...sessionBody(), recommended_connection_ids: [EHR!.id, "fhirsrc_nope"] }));
    expect(error).toMatchObject({ statusCode: 404, code: "resource_not_found", param: "recommended_connection_ids[1]" });
    expect(await failure(mb.patients.retrieve("user_42"))).toMatchObject({ statusCode: 404 });
  });

  it("refuses a new patient id with a reserved prefix", async () => {
    const error = await failure(mb.patientSession.init(sessionBody({ patient_id: "conn_42" })));
    expect(error).toMatchObject({ statusCode: 400, code: "invalid_data", param: "patient_id" });
  });
});

describe("expiry by the clock", () => {
  it("reads open until expires_at, then expired, and cannot complete", async () => {
    const session = await mb.patientSession.init({ ...sessionBody(), expires_in: 60 });
    h.sb.clock.advance(59);
    expect((await mb.patientSession.retrieve(session.id)).status).toBe("open");
    h.sb.clock.advance(1);
    expect((await mb.patientSession.retrieve(session.id)).status).toBe("expired");
    expect((await mb.patients.listPatientSessions("user_42", { status: "expired" })).data.map((item) => item.id)).toEqual([session.id]);
    expect((await mb.patients.listPatientSessions("user_42", { status: "open" })).data).toEqual([]);
    expect(() => h.sb.completeSession(session.id, { outcome: "approve", connectionId: EHR!.id })).toThrow(/expired/);
  });

  it("moves only the workspace whose clock was advanced", async () => {
    const other = h.sb.workspace("mb_sk_sbx_other_workspace");
    h.sb.clock.advance(3600);
    expect(h.sb.clock.now().toISOString()).toBe("2026-04-25T15:30:00.000Z");
    expect(other.clock.now().toISOString()).toBe("2026-04-25T14:30:00.000Z");
  });
});

describe.each(["hosted", "direct"] as const)("every outcome, %s mode", (mode) => {
  it("the expectations cover every outcome the sandbox knows", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...OUTCOME_NAMES].sort());
  });

  it.each(OUTCOME_NAMES)("%s", async (outcome) => {
    const expected = EXPECTED[outcome];
    const endpoint = await mb.webhooks.create({ url: "https://app.example.com/hooks", events: ["*"] });
    const session = await mb.patientSession.init(
      sessionBody(mode === "direct" ? { connection_id: EHR!.id } : { recommended_connection_ids: [EHR!.id] }),
    );
    const landing = h.sb.completeSession(session.id, mode === "direct" ? { outcome } : { outcome, connectionId: EHR!.id });

    const after = await mb.patientSession.retrieve(session.id);
    expect(after.status).toBe("complete");
    expect(after.connections).toHaveLength(1);
    expect(after.connections[0]).toMatchObject({
      connection_id: EHR!.id,
      status: expected.failure ? "failed" : expected.link,
      failure_code: expected.failure,
    });
    // The attempt failed before any link existed: no conn_ id in the session, a failed link on the patient.
    expect(after.connections[0]!.id === null).toBe(expected.failure !== null);
    const [link] = (await mb.patients.retrieve("user_42")).connections;
    expect(link).toMatchObject({ connection_id: EHR!.id, status: expected.link, failure_code: expected.failure });
    expect((await mb.patients.records("user_42", { count: 1 })).data.length).toBe(expected.records ? 1 : 0);

    const parsed = parseReturnUrl(landing);
    expect(landing.startsWith("https://app.example.com/connected?patient_id=user_42&patient_session_id=")).toBe(true);
    if (mode === "hosted") expect(parsed).toMatchObject({ mode: "hosted", patient_id: "user_42", patient_session_id: session.id });
    else if (expected.failure)
      expect(parsed).toMatchObject({ mode: "direct", success: false, error: expected.failure, patient_session_id: session.id });
    else expect(parsed).toMatchObject({ mode: "direct", success: true, connection_id: EHR!.id });
    if (mode === "direct" && expected.failure) expect(new URL(landing).searchParams.get("error_description")).toMatch(/\w/);

    const events = (await mb.webhooks.listEvents(endpoint.id, { limit: 100 })).data.reverse();
    expect(events.map((event) => event.type)).toEqual([...expected.events, "patient_session.completed"]);
    for (const event of events) expect(deliveryViolations(event)).toEqual([]);
    const completed = events.at(-1)!.data.object as { id: string; status: string; connections: unknown[] };
    expect(completed).toMatchObject({ id: session.id, status: "complete", connections: after.connections });
  });
});

describe("completing", () => {
  it("a hosted session left without connecting: complete, nothing connected, a plain return", async () => {
    const session = await mb.patientSession.init(sessionBody({ return_url: "https://app.example.com/back?tab=records" }));
    const landing = h.sb.completeSession(session.id);
    expect(landing).toBe(`https://app.example.com/back?tab=records&patient_id=user_42&patient_session_id=${session.id}`);
    const verified = await mb.patientSession.verifyReturn(landing, { patientId: "user_42" });
    expect(verified.outcome).toBe("not_connected");
    expect(verified.session.status).toBe("complete");
  });

  it("keeps an active link active when a later authorization of the same EHR fails", async () => {
    const first = await mb.patientSession.init(sessionBody());
    h.sb.completeSession(first.id, { outcome: "approve", connectionId: EHR!.id });
    const second = await mb.patientSession.init(sessionBody());
    h.sb.completeSession(second.id, { outcome: "deny", connectionId: EHR!.id });
    const detail = await mb.patients.retrieve("user_42");
    expect(detail.connections).toHaveLength(1);
    expect(detail.connections[0]).toMatchObject({ status: "active", patient_session_id: first.id });
    const attempt = (await mb.patientSession.retrieve(second.id)).connections[0];
    expect(attempt).toMatchObject({ id: detail.connections[0]!.id, status: "failed", failure_code: "user_denied" });
  });

  it("lists the patient's links newest first, one per EHR", async () => {
    const session = await mb.patientSession.init(sessionBody());
    h.sb.completeSession(session.id, { outcome: "approve", connectionId: EHR!.id });
    now += 1000;
    const again = await mb.patientSession.init(sessionBody());
    h.sb.completeSession(again.id, { outcome: "approve", connectionId: OTHER!.id });
    const links = (await mb.patients.retrieve("user_42")).connections;
    expect(links.map((link) => link.connection_id)).toEqual([OTHER!.id, EHR!.id]);
  });

  it("refuses what a browser could not do, naming the option", async () => {
    const hosted = await mb.patientSession.init(sessionBody());
    const direct = await mb.patientSession.init(sessionBody({ connection_id: EHR!.id }));
    expect(() => h.sb.completeSession(hosted.id, { outcome: "approve" })).toThrow(expect.objectContaining({ param: "connectionId" }));
    expect(() => h.sb.completeSession(direct.id)).toThrow(expect.objectContaining({ param: "outcome" }));
    expect(() => h.sb.completeSession(direct.id, { outcome: "approve", connectionId: OTHER!.id })).toThrow(
      expect.objectContaining({ param: "connectionId" }),
    );
    expect(() => h.sb.completeSession(hosted.id, { outcome: "shrug" as OutcomeName, connectionId: EHR!.id })).toThrow(
      expect.objectContaining({ param: "outcome", code: "invalid_data" }),
    );
    expect(() => h.sb.completeSession("ps_unknown", { outcome: "approve", connectionId: EHR!.id })).toThrow(
      expect.objectContaining({ code: "resource_not_found" }),
    );
    h.sb.completeSession(hosted.id);
    expect(() => h.sb.completeSession(hosted.id)).toThrow(/complete/);
  });
});

describe("completing by id or url, in the right workspace", () => {
  const OTHER_KEY = "mb_sk_sbx_other_team_workspace_7";

  it("takes the session's url as well as its id", async () => {
    const byUrl = await mb.patientSession.init(sessionBody());
    const landing = h.sb.completeSession(byUrl.url, { outcome: "approve", connectionId: EHR!.id });
    expect((await mb.patientSession.verifyReturn(landing, { patientId: "user_42", sessionId: byUrl.id })).outcome).toBe("connected");
    const direct = await mb.patientSession.init(sessionBody({ connection_id: EHR!.id }));
    expect(parseReturnUrl(h.sb.completeSession(direct.url, { outcome: "deny" }))).toMatchObject({ success: false, error: "user_denied" });
  });

  it("refuses a URL that is no session page of this sandbox, and a page that names no session", async () => {
    const session = await mb.patientSession.init(sessionBody());
    const elsewhere = session.url.replace(h.sb.baseUrl, "https://app.medblocks.com");
    expect(() => h.sb.completeSession(elsewhere)).toThrow(expect.objectContaining({ status: 400, code: "invalid_data", param: "id" }));
    expect(() => h.sb.completeSession(elsewhere)).toThrow(
      /`ps_` id or its `url`, a page of this sandbox \(http:\/\/sandbox\.localhost\/c\/…\)/,
    );
    expect(() => h.sb.completeSession(`${h.sb.baseUrl}/c/${"0".repeat(32)}`)).toThrow(
      expect.objectContaining({ status: 404, code: "resource_not_found" }),
    );
  });

  it.each(["id", "url"] as const)(
    "says another key's session, by its %s, is in another workspace and how to reach it, never naming the key or the patient",
    async (by) => {
      const theirs = await h.client({ key: OTHER_KEY }).patientSession.init(sessionBody({ patient_id: "their_patient_9" }));
      const error = (() => {
        try {
          h.sb.completeSession(theirs[by], { outcome: "approve", connectionId: EHR!.id });
        } catch (thrown) {
          return thrown as Error & { status: number; code: string; param: string };
        }
        return expect.unreachable("completed another workspace's session");
      })();
      expect(error).toMatchObject({ status: 404, code: "resource_not_found", param: "id" });
      expect(error.message).toMatch(/belongs to another API key's workspace/);
      expect(error.message).toContain("sb.workspace(key).completeSession(…)");
      for (const secret of [OTHER_KEY, "their_patient_9", theirs.id]) expect(error.message).not.toContain(secret);
      // The right workspace completes it.
      const landing = h.sb.workspace(OTHER_KEY).completeSession(theirs[by], { outcome: "approve", connectionId: EHR!.id });
      expect(parseReturnUrl(landing)).toMatchObject({ patient_id: "their_patient_9", patient_session_id: theirs.id });
    },
  );

  it("says so over the control API too", async () => {
    const theirs = await h.client({ key: OTHER_KEY }).patientSession.init(sessionBody());
    const answer = await h.raw("POST", `/__sandbox/patient-sessions/${theirs.id}/complete`, { body: {} });
    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatchObject({
      code: "resource_not_found",
      param: "id",
      message: expect.stringMatching(/another API key's workspace/),
    });
    expect(JSON.stringify(answer.body)).not.toContain(OTHER_KEY);
  });
});

describe("an earlier session's attempt after its link changed", () => {
  it("shows the link as it is now, and a failed link always with its code and time", async () => {
    const first = await mb.patientSession.init(sessionBody());
    h.sb.completeSession(first.id, { outcome: "approve", connectionId: EHR!.id });
    const link = (await mb.patientSession.retrieve(first.id)).connections[0]!;
    await mb.patients.disconnectConnection("user_42", link.id as PatientConnectionRef);
    const second = await mb.patientSession.init(sessionBody());
    h.sb.completeSession(second.id, { outcome: "deny", connectionId: EHR!.id });
    const [earlier] = (await mb.patientSession.retrieve(first.id)).connections;
    expect(earlier).toMatchObject({ id: link.id, status: "failed", failure_code: "user_denied", failure_at: expect.any(String) });
    const [own] = (await mb.patientSession.retrieve(second.id)).connections;
    expect(own).toMatchObject({ status: "failed", failure_code: "user_denied" });
  });
});

describe("a completion that cannot be announced", () => {
  it("changes nothing: the session stays open, no event is recorded, and the completion can be made again", () => {
    const workspace = Workspace.empty([1, 2, 3, 4]);
    addEndpoint(workspace, { url: "https://app.example.com/hooks", events: ["*"] }, now, "2026-04-25");
    const session = openSession(
      workspace,
      { ...sessionBody(), connection_id: null, recommended_connection_ids: [], return_button_label: null, metadata: {}, expires_in: 1800 },
      now,
    );
    // A value the announcement's copy refuses (only a bug could store one: requests and imports are JSON).
    session.metadata = { callback: () => {} };
    expect(() => completeSession(workspace, session, {}, now, "http://sandbox.localhost")).toThrow();
    expect(session.completed_at).toBeNull();
    expect(workspace.events.size).toBe(0);
    session.metadata = {};
    expect(completeSession(workspace, session, {}, now, "http://sandbox.localhost")).toMatch(
      /^https:\/\/app\.example\.com\/connected\?patient_id=user_42/,
    );
    expect(workspace.events.size).toBe(1);
  });
});
