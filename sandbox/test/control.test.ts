/**
 * The control API over HTTP (`/__sandbox/…`): the same controls as the
 * in-process methods, authorised by the workspace's own key, with the API's
 * envelope and snake_case names.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { CATALOG } from "../src/index.js";
import { expectNoViolations, harness, sessionBody } from "./support/harness.js";

const h = harness({ now: () => Date.UTC(2026, 3, 25, 12) });
expectNoViolations(h);

beforeEach(() => h.sb.reset());

describe("the control API", () => {
  it("needs the workspace's sandbox key", async () => {
    expect((await h.raw("POST", "/__sandbox/reset", { key: null })).body.error.code).toBe("missing_api_key");
    expect((await h.raw("POST", "/__sandbox/reset", { key: "mb_sk_live_abc" })).body.error.code).toBe("invalid_api_key");
  });

  it("advances and reads the workspace's clock", async () => {
    expect((await h.raw("POST", "/__sandbox/clock/advance", { body: { seconds: 90 } })).body).toEqual({ now: "2026-04-25T12:01:30.000Z" });
    expect((await h.raw("GET", "/__sandbox/clock")).body).toEqual({ now: "2026-04-25T12:01:30.000Z" });
    const backwards = await h.raw("POST", "/__sandbox/clock/advance", { body: { seconds: -1 } });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error).toMatchObject({ code: "invalid_data", param: "seconds" });
  });

  it("queues, lists and clears faults", async () => {
    const fault = await h.raw("POST", "/__sandbox/faults", {
      body: { operation: "api.listPatients", status: 429, retry_after: 2, times: 2 },
    });
    expect(fault.body).toMatchObject({ operation: "api.listPatients", remaining: 2, status: 429, code: "throttled", retry_after: 2 });
    const throttled = await h.raw("GET", "/patients");
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("2");
    expect((await h.raw("GET", "/__sandbox/faults")).body.data).toEqual([{ ...fault.body, remaining: 1 }]);
    expect((await h.raw("DELETE", "/__sandbox/faults")).body).toEqual({ cleared: true });
    expect((await h.raw("GET", "/patients")).status).toBe(200);
    const wrong = await h.raw("POST", "/__sandbox/faults", { body: { operation: "api.listPatients", status: 500, retry_after: 0 } });
    expect(wrong.body.error).toMatchObject({ code: "invalid_data", param: "retry_after" });
  });

  it("completes a session, naming fields as the API does", async () => {
    const session = (await h.raw("POST", "/patient-sessions", { body: sessionBody() })).body;
    const missing = await h.raw("POST", `/__sandbox/patient-sessions/${session.id}/complete`, { body: { outcome: "approve" } });
    expect(missing.body.error).toMatchObject({ code: "bad_request", param: "connection_id" });
    const done = await h.raw("POST", `/__sandbox/patient-sessions/${session.id}/complete`, {
      body: { outcome: "deny", connection_id: CATALOG[1]!.id },
    });
    expect(done.body.return_url).toBe(`https://app.example.com/connected?patient_id=user_42&patient_session_id=${session.id}`);
    expect(done.body.session).toMatchObject({ id: session.id, status: "complete", connections: [{ failure_code: "user_denied" }] });
    // Another workspace cannot see the session.
    const other = await h.raw("POST", `/__sandbox/patient-sessions/${session.id}/complete`, { key: "mb_sk_sbx_someone_else", body: {} });
    expect(other.status).toBe(404);
  });

  it("makes a launch context that GET /launch-contexts/{id} resolves", async () => {
    const source = CATALOG[2]!;
    const launch = await h.raw("POST", "/__sandbox/launch-contexts", {
      body: { connection_id: source.fhir_base_url, patient_id: "user_42", encounter: "Encounter/9" },
    });
    expect(launch.body).toMatchObject({
      status: "ready",
      fhir_source: source.id,
      fhir_base_url: source.fhir_base_url,
      encounter: "Encounter/9",
    });
    expect(launch.body.patient).toMatch(/^Patient\/pat-/);
    expect((await h.raw("GET", `/launch-contexts/${launch.body.id}`)).body).toEqual(launch.body);
    expect((await h.raw("GET", "/launch-contexts/0b6c1a2e-3f4d-4e5a-9b8c-7d6e5f4a3b2c")).status).toBe(404);
  });

  it("exports, imports and resets the workspace's state", async () => {
    await h.raw("POST", "/patients", { body: { patient_id: "p1" } });
    const exported = (await h.raw("GET", "/__sandbox/state")).body;
    expect((await h.raw("POST", "/__sandbox/reset")).body).toEqual({ reset: true });
    expect((await h.raw("GET", "/patients/p1")).status).toBe(404);
    expect((await h.raw("PUT", "/__sandbox/state", { body: exported })).body).toEqual({ imported: true });
    expect((await h.raw("GET", "/patients/p1")).status).toBe(200);
    const corrupt = await h.raw("PUT", "/__sandbox/state", { body: { ...exported, version: 2 } });
    expect(corrupt.body.error).toMatchObject({ code: "invalid_data", param: "version" });
    expect((await h.raw("PUT", "/__sandbox/state", { text: "{" })).body.error).toMatchObject({ code: "bad_request" });
  });
});
