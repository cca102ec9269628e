/**
 * The contract suite's second target: stateful scenarios through the client
 * against the in-process sandbox, where Prism (documented responses, no
 * state) cannot go. Every response of every scenario is checked against the
 * spec with Ajv, and for X-Request-Id = error.request_id.
 */
import { describe, expect, it } from "vitest";
import { buildReturnUrl, isMedblocksError, Medblocks, type MedblocksError } from "../src/index.js";
import { expectNoViolations, failure, harness } from "../sandbox/test/support/harness.js";

const now = Date.UTC(2026, 3, 25, 9);
const h = harness({ now: () => now });
expectNoViolations(h);

describe("the journey", () => {
  it("hosted: find the EHR, start, return, verify, read every record, see the events", async () => {
    const mb = h.client();
    const endpoint = await mb.webhooks.create({ url: "https://app.example.com/webhooks/medblocks", events: ["*"] });
    const found = await mb.connections.list({ q: "mychart", limit: 20 });
    const ehr = found.data[0]!;
    const session = await mb.patientSession.init({
      patient_id: "journey_1",
      patient_email: "journey@example.com",
      recommended_connection_ids: found.data.slice(0, 3).map((source) => source.id),
      return_url: "https://app.example.com/connected",
      return_button_label: "Back to Acme Health",
      metadata: { signup_source: "checkout" },
    });
    expect(session.status).toBe("open");

    const landing = h.sb.completeSession(session.id, { outcome: "approve", connectionId: ehr.id });
    const verified = await mb.patientSession.verifyReturn(landing, { patientId: "journey_1" });
    expect(verified.outcome).toBe("connected");
    expect(verified.connected.map((connection) => connection.connection_id)).toEqual([ehr.id]);

    let count = 0;
    const types = new Set<string>();
    for await (const record of mb.patients.records("journey_1", { count: 40 })) {
      count++;
      types.add(record.resource.resourceType);
    }
    expect(count).toBeGreaterThanOrEqual(50);
    expect(types.has("Patient")).toBe(true);

    const events = (await mb.webhooks.listEvents(endpoint.id)).data;
    const synced = events.find((event) => event.type === "records.sync.completed")!.data.object as { total: number };
    expect(synced.total).toBe(count);
    const completed = events.find((event) => event.type === "patient_session.completed")!.data.object as { metadata: unknown };
    expect(completed.metadata).toEqual({ signup_source: "checkout" });
  });

  it("direct: the patient declines; the return says so and the server agrees", async () => {
    const mb = h.client();
    const [ehr] = (await mb.connections.list({ type: "athena", limit: 1 })).data;
    const session = await mb.patientSession.init({
      patient_id: "journey_2",
      connection_id: ehr!.id,
      return_url: "https://app.example.com/connected",
    });
    const landing = h.sb.completeSession(session.id, { outcome: "deny" });
    const verified = await mb.patientSession.verifyReturn(landing, { patientId: "journey_2" });
    expect(verified).toMatchObject({ outcome: "failed", claimed: { mode: "direct", success: false, error: "user_denied" } });
    expect(verified.failed).toHaveLength(1);
    await expect(mb.patientSession.verifyReturn(landing, { patientId: "someone_else" })).rejects.toMatchObject({ reason: "mismatch" });
  });
});

describe("paging to the end", () => {
  it("patients, a patient's sessions, the catalog and an endpoint's events each walk every item once", async () => {
    const mb = h.client({ key: "mb_sk_sbx_contract_paging" });
    for (let index = 0; index < 23; index++) await mb.patients.create({ patient_id: `page_${index}` });
    for (let index = 0; index < 12; index++)
      await mb.patientSession.init({ patient_id: "page_0", return_url: "https://app.example.com/back" });
    const ids = async <T extends { id: string }>(list: AsyncIterable<T>) => {
      const seen: string[] = [];
      for await (const item of list) seen.push(item.id);
      return seen;
    };
    const patients = await ids(mb.patients.list({ limit: 4 }));
    expect(patients).toHaveLength(23);
    expect(new Set(patients).size).toBe(23);
    expect(await ids(mb.patients.listPatientSessions("page_0", { limit: 5 }))).toHaveLength(12);
    const catalog = await ids(mb.connections.list({ limit: 9 }));
    expect(catalog.length).toBeGreaterThanOrEqual(100);
    expect(new Set(catalog).size).toBe(catalog.length);
  });
});

describe("expiry by the clock", () => {
  it("an unused session expires; its return then verifies as expired", async () => {
    const mb = h.client();
    const session = await mb.patientSession.init({
      patient_id: "expiry_1",
      return_url: "https://app.example.com/connected",
      expires_in: 300,
    });
    h.sb.clock.advance(301);
    const landing = buildReturnUrl(session.return_url, { mode: "hosted", patient_id: "expiry_1", patient_session_id: session.id });
    const verified = await mb.patientSession.verifyReturn(landing, { patientId: "expiry_1" });
    expect(verified.outcome).toBe("expired");
    expect(verified.session.status).toBe("expired");
  });
});

describe("errors by code", () => {
  const code = (error: unknown) => (isMedblocksError(error) ? [error.statusCode, error.type, error.code, error.param] : error);

  it("gives each failure its status, type, code and param, with the request id", async () => {
    const mb = h.client();
    await mb.patients.create({ patient_id: "errors_1" });
    const cases: [PromiseLike<unknown>, unknown[]][] = [
      [mb.patients.retrieve("nobody"), [404, "not_found_error", "resource_not_found", "id"]],
      [mb.patients.create({ patient_id: "errors_1" }), [409, "conflict_error", "external_id_already_exists", "patient_id"]],
      [mb.patients.create({ patient_id: "evt_1" }), [400, "invalid_request_error", "invalid_data", "patient_id"]],
      [
        mb.patientSession.init({ patient_id: "errors_1", connection_id: "fhirsrc_none", return_url: "https://a.example/x" }),
        [404, "not_found_error", "resource_not_found", "connection_id"],
      ],
      [
        new Medblocks("mb_sk_live_not_here", { baseUrl: h.sb.baseUrl, fetch: h.fetch }).patients.list(),
        [401, "authentication_error", "invalid_api_key", null],
      ],
      [mb.patients.list({}, { version: "2024-01-01" }), [400, "invalid_request_error", "unsupported_api_version", "Version"]],
    ];
    for (const [call, expected] of cases) {
      const error = await failure(call);
      expect(code(error)).toEqual(expected);
      expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("a second redelivery within a minute is 429 with retryAfter; a minute later it works", async () => {
    const mb = h.client({ key: "mb_sk_sbx_contract_redeliver" });
    const controls = h.sb.workspace("mb_sk_sbx_contract_redeliver");
    const endpoint = await mb.webhooks.create({ url: "https://app.example.com/hooks", events: ["patient_session.completed"] });
    const session = await mb.patientSession.init({ patient_id: "redeliver_1", return_url: "https://app.example.com/back" });
    controls.completeSession(session.id);
    const [event] = (await mb.webhooks.listEvents(endpoint.id)).data;
    await mb.events.redeliver(event!.id);
    const error: MedblocksError = await failure(mb.events.redeliver(event!.id));
    expect([error.statusCode, error.code, error.retryAfter]).toEqual([429, "throttled", 60]);
    controls.clock.advance(60);
    expect((await mb.events.redeliver(event!.id)).id).toBe(event!.id);
  });
});

describe("faults and the client's retries", () => {
  it("retries what the server did not act on, and not a POST that may have", async () => {
    const key = "mb_sk_sbx_contract_faults";
    const controls = h.sb.workspace(key);
    const mb = h.client({ key, maxNetworkRetries: 2 });
    controls.injectFault({ operation: "api.initPatientSession", status: 429, retryAfter: 1 });
    const session = await mb.patientSession.init({ patient_id: "faults_1", return_url: "https://app.example.com/back" });
    controls.completeSession(session.id, { outcome: "approve", connectionId: (await mb.connections.list({ limit: 1 })).data[0]!.id });
    controls.injectFault({ operation: "api.getPatientRecords", status: 502, times: 2 });
    expect((await mb.patients.records("faults_1", { count: 1 })).data).toHaveLength(1);
    controls.injectFault({ operation: "api.getPatient", drop: true });
    expect((await mb.patients.retrieve("faults_1")).id).toBe("faults_1");
    controls.injectFault({ operation: "api.createPatient", drop: true });
    expect(await failure(mb.patients.create({ patient_id: "faults_2" }))).toMatchObject({ code: "connection_lost" });
    // Each operation was answered as the faults said, then normally.
    const answered = (operationId: string) =>
      h.exchanges.filter((exchange) => exchange.operationId === operationId).map((exchange) => exchange.status);
    expect(answered("api.getPatientRecords").slice(-3)).toEqual([502, 502, 200]);
    expect((await mb.patientSession.retrieve(session.id)).status).toBe("complete");
    expect((await mb.patients.listPatientSessions("faults_1")).data).toHaveLength(1);
  });
});
