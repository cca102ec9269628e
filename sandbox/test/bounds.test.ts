/**
 * Input that would break the sandbox later is refused where it comes in,
 * naming the field and the limit: a clock moved so far that its dates stop
 * being dates. And what runs with nobody awaiting it (the delivery worker)
 * reports a failure instead of ending the process. Real server processes
 * (stopped by pid after each test) show it survives and keeps answering.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_CLOCK_OFFSET_MS } from "../src/domain/clock.js";
import { CATALOG } from "../src/index.js";
import { expectNoViolations, harness, sessionBody } from "./support/harness.js";
import { alive, call, run, startCli, stoppedAfterEach } from "./support/process.js";
import { closedPort } from "./support/receiver.js";

const dir = mkdtempSync(join(tmpdir(), "medblocks-sandbox-bounds-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const track = stoppedAfterEach();

const TEN_YEARS = 10 * 365 * 86_400;

describe("the workspace clock", () => {
  const T0 = Date.UTC(2026, 3, 25, 12);
  const h = harness({ now: () => T0 });
  expectNoViolations(h);

  it("advances at most 100 years in all: past that a 400 names `seconds` and the limit, and the clock stays", async () => {
    for (let step = 0; step < 10; step++)
      expect((await h.raw("POST", "/__sandbox/clock/advance", { body: { seconds: TEN_YEARS } })).status).toBe(200);
    const before = (await h.raw("GET", "/__sandbox/clock")).body.now;
    const refused = await h.raw("POST", "/__sandbox/clock/advance", { body: { seconds: 1 } });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "invalid_data", param: "seconds" });
    expect(refused.body.error.message).toContain(String(MAX_CLOCK_OFFSET_MS));
    expect((await h.raw("GET", "/__sandbox/clock")).body.now).toBe(before);
    // In process the option is named the same; a reset starts the clock over.
    expect(() => h.sb.clock.advance(1)).toThrow(expect.objectContaining({ param: "seconds" }));
    h.sb.reset();
    expect(h.sb.clock.advance(60).getTime()).toBe(T0 + 60_000);
  });

  it("refuses an import whose offset is past the limit, naming `workspace.clock_offset_ms`", async () => {
    h.sb.reset();
    const state = h.sb.exportState();
    state.workspace.clock_offset_ms = 8.64e15;
    expect(() => h.sb.importState(state)).toThrow(expect.objectContaining({ param: "workspace.clock_offset_ms" }));
    const refused = await h.raw("PUT", "/__sandbox/state", { body: state });
    expect(refused.status).toBe(400);
    expect(refused.body.error.param).toBe("workspace.clock_offset_ms");
    expect(refused.body.error.message).toContain(String(MAX_CLOCK_OFFSET_MS));
  });
});

/** JSON text of an object nested `depth` levels deep, itself included: `{"a":{"a":…1}}` (5,000 levels are 25 kB). */
const deepText = (depth: number) => `${'{"a":'.repeat(depth - 1)}{"a":1}${"}".repeat(depth - 1)}`;
/** A body with `field` set to JSON text. */
const withField = (body: Record<string, unknown>, field: string, text: string) =>
  JSON.stringify({ ...body, [field]: 0 }).replace(/0}$/, `${text}}`);

describe("deep JSON", () => {
  const h = harness();
  expectNoViolations(h);

  it.each([
    ["POST", "/patients", { patient_id: "deep" }],
    ["PUT", "/patients/kept", { patient_id: "kept" }],
    ["POST", "/patient-sessions", sessionBody({ patient_id: "deep" })],
    ["POST", "/webhooks", { url: "https://app.example.com/hooks", events: ["*"] }],
    ["PATCH", "/webhooks/{hook}", {}],
  ] as const)("%s %s: metadata nested 5,000 levels is a 400 naming `metadata`, and nothing changes", async (method, template, body) => {
    h.sb.reset();
    await h.client().patients.create({ patient_id: "kept" });
    const hook = await h.client().webhooks.create({ url: "https://app.example.com/hooks", events: ["*"] });
    const before = h.sb.exportState();
    const path = template.replace("{hook}", hook.id);
    for (const depth of [21, 5_000]) {
      const refused = await h.raw(method, path, { text: withField(body, "metadata", deepText(depth)) });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: "invalid_data", param: "metadata" });
      expect(refused.body.error.message).toMatch(/`metadata` must nest objects and arrays at most 20 levels deep/);
    }
    expect(h.sb.exportState()).toEqual(before);
    // The limit itself is accepted, stored and echoed.
    const accepted = await h.raw(method, path, { text: withField(body, "metadata", deepText(20)) });
    expect(accepted.status).toBe(200);
    expect(accepted.body.metadata).toEqual(JSON.parse(deepText(20)));
  });

  it.each([
    [
      "a patient's metadata",
      (state: any) => `${JSON.stringify(state).replace('"metadata":{}', `"metadata":${deepText(5_000)}`)}`,
      "workspace.patients[0].metadata",
    ],
    [
      "an event's payload",
      (state: any) => `${JSON.stringify(state).replace('"data":{"object":{', `"data":{"deep":${deepText(5_000)},"object":{`)}`,
      "workspace.events[0].data",
    ],
  ])("an import with %s nested 5,000 levels is a 400 naming the field", async (_name, deepen, param) => {
    h.sb.reset();
    await h.client().webhooks.create({ url: "https://app.example.com/hooks", events: ["*"] });
    await h.client().patients.create({ patient_id: "p1" });
    const session = await h.client().patientSession.init(sessionBody({ patient_id: "p1" }));
    h.sb.completeSession(session.id);
    const before = h.sb.exportState();
    const refused = await h.raw("PUT", "/__sandbox/state", { text: deepen(before) });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "invalid_data", param });
    expect(refused.body.error.message).toMatch(/at most \d+ levels deep/);
    expect(h.sb.exportState()).toEqual(before);
    await h.sb.close();
  });
});

describe("what nobody awaits", () => {
  it("a delivery worker that fails is reported, and the sandbox keeps answering and delivering", async () => {
    // A time source at the end of what Date can hold: the retry planned after a failed attempt is no date at all.
    let time = Date.UTC(2026, 3, 25);
    const posted: string[] = [];
    const h = harness({
      now: () => time,
      webhookFetch: async (_url, init) => (posted.push(JSON.parse(String(init.body)).type), new Response("no", { status: 500 })),
    });
    try {
      await h.client().webhooks.create({ url: "http://127.0.0.1:9/hooks", events: ["*"] });
      const session = await h.client().patientSession.init(sessionBody());
      h.sb.completeSession(session.id);
      // Deliveries start on the next turn of the event loop: by then the clock is there.
      time = 8.64e15 - 1_000;
      await expect
        .poll(() => h.reports.join("\n"), { timeout: 5_000 })
        .toMatch(/delivering webhooks to endpoint wh_\w+ failed \(a sandbox bug; the sandbox keeps serving/);
      expect(posted).toEqual(["patient_session.completed"]);
      time = Date.UTC(2026, 3, 26);
      expect((await h.client().patients.list()).data).toHaveLength(1);
      h.violations.length = 0;
    } finally {
      await h.sb.close();
    }
  });
});

describe("a server process", () => {
  it("refuses a far clock by import and by advance, keeps answering, and keeps a state file it can start from", async () => {
    const file = join(dir, "clock.json");
    const server = track(await startCli(["--quiet", "--state", file]));
    // A pending delivery, so that a worker computes dates from the workspace's clock at once.
    await call(server, "POST", "/webhooks", { url: `http://127.0.0.1:${await closedPort()}/hooks`, events: ["*"] });
    const session = await call(server, "POST", "/patient-sessions", { patient_id: "p1", return_url: "https://app.example.com/back" });
    await call(server, "POST", `/__sandbox/patient-sessions/${session.body.id}/complete`, {
      outcome: "approve",
      connection_id: CATALOG[0]!.id,
    });

    const state = (await call(server, "GET", "/__sandbox/state")).body;
    state.workspace.clock_offset_ms = 8.64e15;
    const imported = await call(server, "PUT", "/__sandbox/state", state);
    expect(imported.status).toBe(400);
    expect(imported.body.error.param).toBe("workspace.clock_offset_ms");

    let refused: { status: number; body: any } | undefined;
    for (let step = 0; step < 12 && !refused; step++) {
      const advanced = await call(server, "POST", "/__sandbox/clock/advance", { seconds: TEN_YEARS });
      if (advanced.status !== 200) refused = advanced;
    }
    expect(refused?.status).toBe(400);
    expect(refused?.body.error.param).toBe("seconds");
    // Deliveries ran on the far clock meanwhile; the process is still there and answers.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await call(server, "GET", "/patients")).body.data).toHaveLength(1);
    expect(alive(server.pid)).toBe(true);

    server.child.kill("SIGTERM");
    expect(await server.exited()).toBe(0);
    expect(JSON.parse(readFileSync(file, "utf8")).workspaces).not.toEqual({});
    const again = track(await startCli(["--quiet", "--state", file]));
    expect((await call(again, "GET", "/patients")).body.data).toHaveLength(1);
    again.child.kill("SIGTERM");
    expect(await again.exited()).toBe(0);
  }, 60_000);

  it("refuses deep metadata with a 400 and keeps every patient it answered 200 for in its state file", async () => {
    const file = join(dir, "deep.json");
    const server = track(await startCli(["--quiet", "--state", file]));
    expect((await call(server, "POST", "/patients", { patient_id: "before" })).status).toBe(200);
    const deep = await fetch(`${server.url}/patients`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: withField({ patient_id: "deep" }, "metadata", deepText(5_000)),
    });
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as any).error.param).toBe("metadata");
    expect((await call(server, "POST", "/patients", { patient_id: "after" })).status).toBe(200);
    // Past the state file's next write: the process is still there.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(alive(server.pid)).toBe(true);
    server.child.kill("SIGTERM");
    expect(await server.exited()).toBe(0);
    const again = track(await startCli(["--quiet", "--state", file]));
    expect((await call(again, "GET", "/patients")).body.data.map((patient: { id: string }) => patient.id)).toEqual(["after", "before"]);
    again.child.kill("SIGTERM");
    expect(await again.exited()).toBe(0);
  }, 30_000);

  it("refuses to start from a state file whose clock is past the limit, naming the field, and leaves the file as it was", async () => {
    const file = join(dir, "far.json");
    const first = track(await startCli(["--quiet", "--state", file]));
    await call(first, "POST", "/patients", { patient_id: "p1" });
    first.child.kill("SIGTERM");
    expect(await first.exited()).toBe(0);
    const data = JSON.parse(readFileSync(file, "utf8"));
    for (const workspace of Object.values<any>(data.workspaces)) workspace.clock_offset_ms = 8.64e15;
    const text = JSON.stringify(data);
    writeFileSync(file, text);
    const refused = track(run(["start", "--port", "0", "--quiet", "--state", file]));
    expect(await refused.exited()).toBe(1);
    expect(refused.output()).toMatch(/clock_offset_ms` must be between 0 and 3153600000000/);
    expect(readFileSync(file, "utf8")).toBe(text);
  }, 30_000);
});
