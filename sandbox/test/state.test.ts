/**
 * State: workspaces isolated by key, plain JSON that exports and imports
 * (into the same or another workspace, or another sandbox), seeded ids,
 * reset; imports that are not state are refused naming the field.
 */
import { describe, expect, it } from "vitest";
import { CATALOG, createSandbox } from "../src/index.js";
import { expectNoViolations, harness, sessionBody } from "./support/harness.js";

const h = harness({ seed: "state-test" });
expectNoViolations(h);

async function populate(target = h) {
  const mb = target.client();
  await mb.patients.create({ patient_id: "p1", email: "p1@example.com" });
  const session = await mb.patientSession.init(sessionBody({ patient_id: "p1" }));
  target.sb.completeSession(session.id, { outcome: "approve", connectionId: CATALOG[0]!.id });
  await mb.webhooks.create({ url: "https://app.example.com/hooks", events: ["*"] });
  target.sb.createLaunchContext({ connectionId: CATALOG[1]!.id, patientId: "p1" });
  target.sb.injectFault({ operation: "api.getWebhook", status: 500, times: 3 });
  target.sb.injectFault({ delivery: "duplicate", times: 2 });
  target.sb.clock.advance(120);
  return session;
}

describe("workspaces", () => {
  it("are isolated by key: each key sees only its own data", async () => {
    const other = "mb_sk_sbx_state_isolation";
    await h.client().patients.create({ patient_id: "mine" });
    expect((await h.client({ key: other }).patients.list()).data).toEqual([]);
    await h.client({ key: other }).patients.create({ patient_id: "mine" });
    expect((await h.client().patients.list({ patient_id: "mine" })).data).toHaveLength(1);
    h.sb.reset();
    expect((await h.client().patients.list()).data).toEqual([]);
    expect((await h.client({ key: other }).patients.list()).data).toHaveLength(1);
  });

  it("refuses a key that is not a sandbox key for workspace controls", () => {
    expect(() => h.sb.workspace("mb_sk_live_x")).toThrow(/sandbox keys only/);
  });
});

describe("export and import", () => {
  it("round-trips through JSON text, into the same workspace and into another sandbox", async () => {
    h.sb.reset();
    const session = await populate();
    const exported = h.sb.exportState();
    const text = JSON.stringify(exported);
    expect(text).not.toContain(h.sb.apiKey);

    h.sb.reset();
    expect((await h.client().patients.list()).data).toEqual([]);
    h.sb.importState(JSON.parse(text));
    expect(h.sb.exportState()).toEqual(exported);
    expect((await h.client().patientSession.retrieve(session.id)).connections[0]!.status).toBe("active");
    const faults = [
      { operation: "api.getWebhook", times: 3, status: 500, code: "internal_error" },
      { delivery: "duplicate", times: 2 },
    ];
    expect(h.sb.faults()).toEqual(faults);

    const elsewhere = harness();
    elsewhere.sb.importState(JSON.parse(text));
    expect((await elsewhere.client().patients.retrieve("p1")).email).toBe("p1@example.com");
    // Faults of both kinds came along, delivery faults too.
    expect(elsewhere.sb.faults()).toEqual(faults);
    // The workspace's clock offset came along.
    expect(elsewhere.sb.clock.now().getTime() - Date.now()).toBeGreaterThan(119_000);
    expect(elsewhere.violations).toEqual([]);
  });

  it("exports a copy: changing it changes nothing in the sandbox", async () => {
    h.sb.reset();
    await h.client().patients.create({ patient_id: "p1" });
    const exported = h.sb.exportState();
    exported.workspace.patients[0]!.email = "changed@example.com";
    expect((await h.client().patients.retrieve("p1")).email).toBeNull();
  });

  it.each([
    ["not an object", 42, null],
    ["another format", { format: "something", version: 1, workspace: {} }, "format"],
    ["a record missing a field", "patients.0.email", "workspace.patients[0].email"],
    ["a malformed session id", "sessions.0.id", "workspace.sessions[0].id"],
    ["a link with an unknown status", "links.0.status", "workspace.links[0].status"],
    ["a duplicate id", "duplicate", "workspace.patients[1].id"],
    // EHRs the catalog lacks: the session's hosted page could not show them.
    ["a direct-mode EHR not in the catalog", "sessions.0.connection_id", "workspace.sessions[0].connection_id"],
    [
      "a recommended EHR not in the catalog",
      "sessions.0.recommended_connection_ids.1",
      "workspace.sessions[0].recommended_connection_ids[1]",
    ],
    ["an attempt at an EHR not in the catalog", "sessions.0.attempts.0.connection_id", "workspace.sessions[0].attempts[0].connection_id"],
    ["a link to an EHR not in the catalog", "links.0.connection_id", "workspace.links[0].connection_id"],
    ["a launch from an EHR not in the catalog", "launch_contexts.0.fhir_source", "workspace.launch_contexts[0].fhir_source"],
  ])("refuses %s, naming the field", async (_name, broken, param) => {
    h.sb.reset();
    await populate();
    const state = h.sb.exportState() as any;
    let input: unknown = broken;
    if (broken === "patients.0.email") delete state.workspace.patients[0].email;
    if (broken === "sessions.0.id") state.workspace.sessions[0].id = "session-1";
    if (broken === "links.0.status") state.workspace.links[0].status = "connected";
    if (broken === "duplicate") state.workspace.patients.push({ ...state.workspace.patients[0], seq: state.workspace.seq });
    const unknown = "fhirsrc_NotInTheCatalog0000000";
    if (broken === "sessions.0.connection_id")
      Object.assign(state.workspace.sessions[0], { connection_id: unknown, recommended_connection_ids: null });
    if (broken === "sessions.0.recommended_connection_ids.1")
      state.workspace.sessions[0].recommended_connection_ids = [CATALOG[0]!.id, unknown];
    if (broken === "sessions.0.attempts.0.connection_id") state.workspace.sessions[0].attempts[0].connection_id = unknown;
    if (broken === "links.0.connection_id") state.workspace.links[0].connection_id = unknown;
    if (broken === "launch_contexts.0.fhir_source") state.workspace.launch_contexts[0].fhir_source = unknown;
    if (typeof broken === "string") input = state;
    const before = h.sb.exportState();
    expect(() => h.sb.importState(input as never)).toThrow(expect.objectContaining({ param }));
    expect(h.sb.exportState()).toEqual(before);
  });
});

describe("seeded ids", () => {
  it("the same seed and the same calls give the same ids and key; another seed does not", async () => {
    const run = async (seed: string) => {
      const sandbox = createSandbox({ seed, now: () => Date.UTC(2026, 0, 1) });
      const mb = (await import("../../src/index.js")).Medblocks;
      const client = new mb(sandbox.apiKey, { baseUrl: sandbox.baseUrl, fetch: sandbox.fetch });
      const session = await client.patientSession.init(sessionBody());
      const endpoint = await client.webhooks.create({ url: "https://app.example.com/hooks", events: ["*"] });
      return { key: sandbox.apiKey, session: session.id, endpoint: endpoint.id, url: session.url, secret: endpoint.secret };
    };
    const [a, b, c] = [await run("seed-1"), await run("seed-1"), await run("seed-2")];
    expect([b.key, b.session, b.endpoint]).toEqual([a.key, a.session, a.endpoint]);
    expect([c.key, c.session, c.endpoint]).not.toContain(a.session);
    // Secrets and hosted-page tokens stay unguessable whatever the seed.
    expect(b.url).not.toBe(a.url);
    expect(b.secret).not.toBe(a.secret);
  });
});
