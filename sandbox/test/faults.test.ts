/**
 * Faults on demand, seen through the client: statuses (and the client's
 * retries of them), delays against the client's timeout, dropped
 * connections; and how a fault is scoped and checked.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { expectNoViolations, failure, harness, sessionBody } from "./support/harness.js";

const h = harness();
expectNoViolations(h);

beforeEach(() => {
  h.sb.reset();
  h.exchanges.length = 0;
});

const statuses = (operationId: string) =>
  h.exchanges.filter((exchange) => exchange.operationId === operationId).map((exchange) => exchange.status);

describe("status faults", () => {
  it("answer the next N calls with the status, then the operation works again", async () => {
    const mb = h.client();
    h.sb.injectFault({ operation: "api.listPatients", status: 500, times: 2 });
    expect(await failure(mb.patients.list())).toMatchObject({ statusCode: 500, type: "api_error", code: "internal_error" });
    expect(await failure(mb.patients.list())).toMatchObject({ statusCode: 500 });
    expect((await mb.patients.list()).data).toEqual([]);
  });

  it("a 429 carries Retry-After (1 s unless set) and the chosen code", async () => {
    const mb = h.client();
    h.sb.injectFault({ operation: "api.listPatients", status: 429 });
    h.sb.injectFault({ operation: "api.listPatients", status: 429, code: "quota_exceeded", retryAfter: 120 });
    expect(await failure(mb.patients.list())).toMatchObject({ statusCode: 429, code: "throttled", retryAfter: 1 });
    expect(await failure(mb.patients.list())).toMatchObject({ statusCode: 429, code: "quota_exceeded", retryAfter: 120 });
  });

  it("the client retries a 429 on init after Retry-After, and the refused call created nothing", async () => {
    const mb = h.client({ maxNetworkRetries: 2 });
    h.sb.injectFault({ operation: "api.initPatientSession", status: 429, retryAfter: 1 });
    const session = await mb.patientSession.init(sessionBody());
    expect(statuses("api.initPatientSession")).toEqual([429, 200]);
    expect((await mb.patients.listPatientSessions("user_42")).data.map((item) => item.id)).toEqual([session.id]);
  });

  it("the client retries a 502 on a read, and does not retry a 500", async () => {
    const mb = h.client({ maxNetworkRetries: 2 });
    await mb.patients.create({ patient_id: "p1" });
    h.sb.injectFault({ operation: "api.getPatientRecords", status: 502, times: 2 });
    expect((await mb.patients.records("p1")).data).toEqual([]);
    expect(statuses("api.getPatientRecords")).toEqual([502, 502, 200]);
    h.sb.injectFault({ operation: "api.getPatientRecords", status: 500 });
    expect(await failure(mb.patients.records("p1"))).toMatchObject({ statusCode: 500 });
    expect(statuses("api.getPatientRecords")).toEqual([502, 502, 200, 500]);
  });
});

describe("dropped connections and delays", () => {
  it("a drop is a lost connection: the client retries a read", async () => {
    const mb = h.client({ maxNetworkRetries: 1 });
    h.sb.injectFault({ operation: "api.listFhirSources", drop: true });
    expect((await mb.connections.list({ limit: 1 })).data).toHaveLength(1);
  });

  it("a drop on init is connection_lost and not retried; the dropped call created nothing", async () => {
    const mb = h.client({ maxNetworkRetries: 2 });
    h.sb.injectFault({ operation: "api.initPatientSession", drop: true });
    expect(await failure(mb.patientSession.init(sessionBody()))).toMatchObject({ type: "connection_error", code: "connection_lost" });
    expect(await failure(mb.patients.retrieve("user_42"))).toMatchObject({ statusCode: 404 });
  });

  it("a delay longer than the client's timeout is a timeout; a short one only delays", async () => {
    h.sb.injectFault({ operation: "api.listPatients", delayMs: 5_000 });
    expect(await failure(h.client({ timeout: 100 }).patients.list())).toMatchObject({ code: "timeout" });
    h.sb.injectFault({ operation: "api.listPatients", delayMs: 30 });
    const started = performance.now();
    expect((await h.client().patients.list()).data).toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });
});

describe("scope and checks", () => {
  it("applies to its operation in its workspace only", async () => {
    const other = "mb_sk_sbx_fault_scope_other";
    h.sb.injectFault({ operation: "api.listPatients", status: 500 });
    expect((await h.client({ key: other }).patients.list()).data).toEqual([]);
    expect((await h.client().webhooks.list()).data).toEqual([]);
    expect(h.sb.faults()).toEqual([{ operation: "api.listPatients", times: 1, status: 500, code: "internal_error" }]);
    h.sb.clearFaults();
    expect(h.sb.faults()).toEqual([]);
  });

  it.each([
    ["a status the operation does not declare", { operation: "api.listPatients", status: 503 }, "status"],
    ["a status with a drop", { operation: "api.listPatients", status: 500, drop: true }, "drop"],
    ["nothing to do", { operation: "api.listPatients" }, "status"],
    ["retryAfter without a status", { operation: "api.listPatients", drop: true, retryAfter: 3 }, "retryAfter"],
    ["retryAfter on a status that is not 429", { operation: "api.listPatients", status: 500, retryAfter: 3 }, "retryAfter"],
    ["a code the spec shows with another status", { operation: "api.listPatients", status: 500, code: "throttled" }, "code"],
    ["an authentication code on a 400", { operation: "api.listPatients", status: 400, code: "missing_api_key" }, "code"],
    ["an unknown operation", { operation: "api.listEverything", status: 500 }, "operation"],
    ["/health, which answers without a workspace", { operation: "api.health", status: 500 }, "operation"],
    ["a delay over a minute", { operation: "api.listPatients", delayMs: 60_001 }, "delayMs"],
    ["an unknown option", { operation: "api.listPatients", status: 500, statusText: "x" }, "statusText"],
  ])("refuses %s, naming the option", (_name, fault, param) => {
    expect(() => h.sb.injectFault(fault as never)).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/bad_request|invalid_data/), param }),
    );
  });
});
