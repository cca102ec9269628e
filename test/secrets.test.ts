/**
 * The API key never shows: not in an error's message, JSON, stack or
 * util.inspect; not in util.inspect or JSON of the client; not in a log line.
 */
import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Medblocks, MedblocksSignatureError, type MedblocksLogEntry } from "../src/index.js";
import { faults, faultServer } from "./support/fault-server.js";
import { API_KEY, fakeClient, json, SESSION } from "./support/fake-fetch.js";

afterEach(() => vi.restoreAllMocks());

function everyRendering(value: unknown): string[] {
  const error = value as Error;
  return [
    String(error?.message),
    String(error?.stack),
    JSON.stringify(value),
    inspect(value, { depth: Infinity, showHidden: true }),
    String(value),
  ];
}

async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error,
  );
}

describe("the API key", () => {
  it("is not in util.inspect or JSON of the client or its resources", () => {
    const mb = new Medblocks(API_KEY);
    for (const value of [mb, mb.patientSession, mb.patients, mb.connections]) {
      for (const text of everyRendering(value)) expect(text).not.toContain(API_KEY);
    }
  });

  it("is not in any error, whatever failed", async () => {
    const errors: unknown[] = [];
    const envelope = (status: number, type: string, code: string) =>
      json({ error: { type, code, message: `Bad key ${code}`, param: null, doc_url: "d", request_id: "r" } }, status);
    for (const response of [
      () => envelope(401, "authentication_error", "invalid_api_key"),
      () => new Response("<html>proxy</html>", { status: 502, headers: { "content-type": "text/html" } }),
      () => new Response('{"trunc', { status: 200 }),
    ]) {
      const { mb } = fakeClient(response);
      errors.push(await failureOf(() => mb.patients.retrieve("user_42")));
    }
    const { mb } = fakeClient(() => json(SESSION));
    errors.push(await failureOf(() => mb.patientSession.init({ patient_id: "u", return_url: "/nope" })));
    const refused = new Medblocks(API_KEY, { baseUrl: "http://127.0.0.1:9", maxNetworkRetries: 0 });
    errors.push(await failureOf(() => refused.patientSession.retrieve(SESSION.id)));
    const server = await faultServer([faults.slowHeaders(2_000)]);
    try {
      const slow = new Medblocks(API_KEY, { baseUrl: server.url, maxNetworkRetries: 0, timeout: 50 });
      errors.push(await failureOf(() => slow.patientSession.retrieve(SESSION.id)));
    } finally {
      await server.close();
    }
    const missingKey = (() => {
      try {
        return new Medblocks("bad key with " + API_KEY);
      } catch (error) {
        return error;
      }
    })();
    errors.push(missingKey);

    expect(errors).toHaveLength(7);
    for (const error of errors) for (const text of everyRendering(error)) expect(text).not.toContain(API_KEY);
  });

  it("is not in a log line, by function or by console", async () => {
    const entries: MedblocksLogEntry[] = [];
    const lines: string[] = [];
    vi.spyOn(console, "debug").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    const server = await faultServer([
      faults.error(429, "rate_limit_error", "throttled", { "retry-after": "0" }),
      faults.json(200, SESSION),
    ]);
    try {
      await new Medblocks(API_KEY, { baseUrl: server.url, logger: (entry) => entries.push(entry) }).patientSession.retrieve(SESSION.id);
      await new Medblocks(API_KEY, { baseUrl: server.url, logger: "debug" }).patientSession.init({
        patient_id: "user_42",
        patient_email: "jane@example.com",
        return_url: "https://app.example.com/connected",
      });
    } finally {
      await server.close();
    }
    expect(entries.map((entry) => [entry.method, entry.path, entry.status, entry.attempt])).toEqual([
      ["GET", "/patient-sessions/{id}", 429, 1],
      ["GET", "/patient-sessions/{id}", 200, 2],
    ]);
    expect(entries[0]).toMatchObject({ operation: "mb.patientSession.retrieve", requestId: "req_throttled", code: "throttled" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[medblocks\] POST \/patient-sessions 200 attempt=1 \d+ms request_id=/);
    const logged = JSON.stringify(entries) + lines.join("\n");
    expect(logged).not.toContain(API_KEY);
    expect(logged).not.toContain("jane@example.com");
  });

  it("MEDBLOCKS_LOG=debug turns console logging on", async () => {
    vi.stubEnv("MEDBLOCKS_LOG", "debug");
    const lines: unknown[] = [];
    vi.spyOn(console, "debug").mockImplementation((...args: unknown[]) => void lines.push(args));
    const { mb } = fakeClient(() => json(SESSION));
    await mb.patientSession.retrieve(SESSION.id);
    vi.unstubAllEnvs();
    expect(lines).toHaveLength(1);
  });
});

describe("patient identifiers in path values", () => {
  // A patient id can be an email address or a medical record number.
  const PATIENT = "jane.doe+mrn-884422@example.com";
  const traces = [PATIENT, encodeURIComponent(PATIENT), "884422", "jane"];

  it("are not in connection errors, timeouts or log lines: those name the operation and the path template", async () => {
    const entries: MedblocksLogEntry[] = [];
    const lines: string[] = [];
    vi.spyOn(console, "debug").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    const errors: unknown[] = [];
    const refused = new Medblocks(API_KEY, { baseUrl: "http://127.0.0.1:9", maxNetworkRetries: 0, logger: (entry) => entries.push(entry) });
    errors.push(await failureOf(() => refused.patients.retrieve(PATIENT)));
    const server = await faultServer([faults.slowHeaders(5_000), faults.resetMidResponse()]);
    try {
      const slow = new Medblocks(API_KEY, { baseUrl: server.url, maxNetworkRetries: 0, timeout: 50, logger: "debug" });
      errors.push(await failureOf(() => slow.patients.records(PATIENT, { count: 5 }).then((page) => page)));
      errors.push(await failureOf(() => slow.patients.delete(PATIENT)));
    } finally {
      await server.close();
    }
    expect(errors.map((error) => (error as { code?: string }).code)).toEqual(["connect_failed", "timeout", "connection_lost"]);
    expect((errors[0] as Error).message).toContain("GET http://127.0.0.1:9/patients/{id}");
    expect(entries.map((entry) => entry.path)).toEqual(["/patients/{id}"]);
    expect(lines).toHaveLength(2);
    const rendered = [...errors.flatMap(everyRendering), JSON.stringify(entries), ...lines];
    for (const text of rendered) for (const trace of traces) expect(text).not.toContain(trace);
  });
});

describe("webhook secrets", () => {
  const SECRET = "whsec_never_print_me_5f3c9a1e7b2d4c6e8f0a1b3c5d7e9f1a";

  it("are not in any verification error", async () => {
    const body = JSON.stringify({ id: "evt_1", type: "records.sync.failed", data: { object: {} } });
    const t = Math.floor(Date.now() / 1000);
    const valid = await Medblocks.webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp: t });
    const errors: unknown[] = [];
    for (const [raw, header, secret] of [
      [body, undefined, SECRET],
      [body, "t=x", SECRET],
      [body, `t=${t}`, SECRET],
      [`${body} `, valid, SECRET],
      [body, await Medblocks.webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp: t - 3_600 }), SECRET],
      ["not json", await Medblocks.webhooks.generateTestHeaderString({ payload: "not json", secret: SECRET }), SECRET],
      [body, valid, `${SECRET}_rotated`],
    ] as const) {
      errors.push(await failureOf(() => Medblocks.webhooks.constructEvent(raw, header, secret)));
    }
    expect(errors.every((error) => error instanceof MedblocksSignatureError)).toBe(true);
    expect(new Set(errors.map((error) => (error as MedblocksSignatureError).reason)).size).toBe(6);
    for (const error of errors) for (const text of everyRendering(error)) expect(text).not.toContain(SECRET);
  });

  it("are not in inspect or JSON of a client's webhooks resource", () => {
    const mb = new Medblocks(API_KEY);
    for (const text of everyRendering(mb.webhooks)) expect(text).not.toContain(API_KEY);
  });
});
