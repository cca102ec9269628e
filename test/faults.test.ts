/**
 * Fault injection against a real loopback server: for each fault, the
 * outcome, the exact number of requests the server saw (no POST is ever
 * sent twice unless it provably did not reach the server), lower bounds on
 * the time waited where a wait is the point, upper bounds with a loaded
 * machine's slack where not waiting is, and no unhandled rejection.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort } from "./support/closed-port.js";
import { isMedblocksError, Medblocks, MedblocksConnectionError, MedblocksError, type MedblocksLogEntry } from "../src/index.js";
import { faults, faultServer, type Fault } from "./support/fault-server.js";
import { API_KEY, SESSION, INIT } from "./support/fake-fetch.js";

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on("unhandledRejection", onUnhandled);
});
afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
  expect(unhandled).toEqual([]);
});

type Outcome = { value?: unknown; error?: MedblocksError; ms: number; attempts: MedblocksLogEntry[] };

async function run(
  baseUrl: string,
  method: "GET" | "POST",
  options: { timeout?: number; maxNetworkRetries?: number } = {},
): Promise<Outcome> {
  const attempts: MedblocksLogEntry[] = [];
  const mb = new Medblocks(API_KEY, { baseUrl, logger: (entry) => attempts.push(entry), ...options });
  const started = Date.now();
  try {
    const value = method === "POST" ? await mb.patientSession.init(INIT) : await mb.patientSession.retrieve(SESSION.id);
    return { value, ms: Date.now() - started, attempts };
  } catch (error) {
    if (!isMedblocksError(error)) throw error;
    return { error, ms: Date.now() - started, attempts };
  }
}

async function against(script: Fault[], method: "GET" | "POST", options?: { timeout?: number; maxNetworkRetries?: number }) {
  const server = await faultServer(script);
  try {
    const outcome = await run(server.url, method, options);
    return { ...outcome, seen: server.seen };
  } finally {
    await server.close();
  }
}

const ok = faults.json(200, SESSION);

describe.concurrent("faults", () => {
  it("503 then 200: a GET succeeds on the second attempt", async () => {
    const result = await against([faults.error(503, "api_error", "internal_error"), ok], "GET");
    expect(result.value).toEqual(SESSION);
    expect(result.seen).toHaveLength(2);
    expect(result.ms).toBeLessThan(10_000);
  });

  it("503 then 200: a POST is not retried when the 503 does not say the request was refused", async () => {
    const result = await against([faults.error(503, "api_error", "internal_error"), ok], "POST");
    expect(result.error).toMatchObject({ statusCode: 503, code: "internal_error" });
    expect(result.seen).toHaveLength(1);
  });

  it("503 with Retry-After then 200: a POST is retried, with the identical body", async () => {
    const result = await against([faults.error(503, "api_error", "internal_error", { "retry-after": "1" }), ok], "POST");
    expect(result.value).toEqual(SESSION);
    expect(result.seen).toHaveLength(2);
    expect(result.seen[1]!.body).toBe(result.seen[0]!.body);
    expect(result.ms).toBeGreaterThanOrEqual(950);
    expect(result.ms).toBeLessThan(10_000);
  });

  it.each(["GET", "POST"] as const)("429 with Retry-After: 1 then 200: %s waits a second and succeeds", async (method) => {
    const result = await against([faults.error(429, "rate_limit_error", "throttled", { "retry-after": "1" }), ok], method);
    expect(result.value).toEqual(SESSION);
    expect(result.seen).toHaveLength(2);
    expect(result.seen.map((seen) => seen.body)).toEqual([result.seen[0]!.body, result.seen[0]!.body]);
    expect(result.ms).toBeGreaterThanOrEqual(950);
    expect(result.ms).toBeLessThan(10_000);
    expect(result.attempts.map((attempt) => attempt.status)).toEqual([429, 200]);
  });

  it("429 with Retry-After: 3600: surfaced at once with retryAfter, not slept through", async () => {
    const result = await against([faults.error(429, "rate_limit_error", "throttled", { "retry-after": "3600" }), ok], "POST");
    expect(result.error).toBeInstanceOf(MedblocksError);
    expect(result.error).toMatchObject({ statusCode: 429, code: "throttled", retryAfter: 3600, requestId: "req_throttled" });
    expect(result.seen).toHaveLength(1);
    expect(result.ms).toBeLessThan(10_000);
  });

  it("a reset mid-response: a POST fails once with connection_lost and is not resent", async () => {
    const result = await against([faults.resetMidResponse(), ok], "POST");
    expect(result.error).toBeInstanceOf(MedblocksConnectionError);
    expect(result.error).toMatchObject({ code: "connection_lost", attempt: 1, statusCode: null });
    expect(result.error!.message).toMatch(
      new RegExp(
        /lost the connection while reading the 200 response on attempt 1 of 3, /.source +
          /\d+ ms after the call started \(POST http:\/\/127\.0\.0\.1:\d+\/patient-sessions\)/.source,
      ),
    );
    expect(result.seen).toHaveLength(1);
    expect(result.ms).toBeLessThan(10_000);
  });

  it("a reset mid-response: a GET is retried and succeeds", async () => {
    const result = await against([faults.resetMidResponse(), ok], "GET");
    expect(result.value).toEqual(SESSION);
    expect(result.seen).toHaveLength(2);
  });

  it.each(["GET", "POST"] as const)("a refused connection: %s is retried (it never left) and fails with connect_failed", async (method) => {
    const port = await closedPort();
    const result = await run(`http://127.0.0.1:${port}`, method);
    expect(result.error).toBeInstanceOf(MedblocksConnectionError);
    expect(result.error).toMatchObject({ code: "connect_failed", attempt: 3 });
    expect(result.error!.message).toMatch(
      new RegExp(
        /could not connect on attempt 3 of 3, \d+ ms after the call started /.source +
          /\((GET|POST) http:\/\/127\.0\.0\.1:\d+\/patient-sessions(\/\{id\})?\)/.source,
      ),
    );
    expect(result.attempts).toHaveLength(3);
    expect(result.ms).toBeLessThan(10_000);
  });

  it("a port fetch refuses to use (the Fetch standard's bad ports): connect_failed, nothing sent", async () => {
    const result = await run("http://127.0.0.1:1", "POST", { maxNetworkRetries: 0 });
    expect(result.error).toMatchObject({ code: "connect_failed", attempt: 1 });
    expect(result.error!.message).toMatch(/could not connect/);
  });

  // What other runtimes' fetch throws for a refused connection (as printed by
  // Bun 1.4 and Deno 2.9): Bun sets `code` on the error itself; Deno sets no
  // code and says so only in its cause's message.
  it.each([
    [
      "Bun",
      () =>
        Object.assign(new TypeError("ECONNREFUSED: Unable to connect. Is the computer able to access the url?"), { code: "ECONNREFUSED" }),
    ],
    [
      "Deno",
      () =>
        new TypeError("fetch failed", {
          cause: new Error(
            "error sending request for url (http://127.0.0.1:9/patient-sessions): client error (Connect): tcp connect error: " +
              "Connection refused (os error 111)",
          ),
        }),
    ],
  ])("a refused connection as %s reports it: a POST is retried (it never left), then connect_failed", async (_runtime, refusal) => {
    let calls = 0;
    const fetch = async (): Promise<Response> => {
      calls++;
      throw refusal();
    };
    const mb = new Medblocks(API_KEY, { baseUrl: "http://127.0.0.1:9", fetch, maxNetworkRetries: 1 });
    const error = await mb.patientSession.init(INIT).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(MedblocksConnectionError);
    expect(error).toMatchObject({ code: "connect_failed", attempt: 2 });
    expect(calls).toBe(2);
  });

  it("a connection lost after sending, as Deno reports it: a POST is not resent", async () => {
    const methods: string[] = [];
    const fetch = async (_url: string, init: RequestInit): Promise<Response> => {
      methods.push(init.method ?? "GET");
      throw new TypeError("fetch failed", { cause: new Error("error sending request: connection closed before message completed") });
    };
    const mb = new Medblocks(API_KEY, { baseUrl: "http://127.0.0.1:9", fetch, maxNetworkRetries: 2 });
    const error = await mb.patientSession.init(INIT).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: "connection_lost", attempt: 1 });
    // Sent once; the HEAD only asks whether the server redirects (it does not: connection_lost stands).
    expect(methods).toEqual(["POST", "HEAD"]);
  });

  it("headers slower than the timeout: a POST times out once and is not resent", async () => {
    const result = await against([faults.slowHeaders(30_000)], "POST", { timeout: 200 });
    expect(result.error).toBeInstanceOf(MedblocksConnectionError);
    expect(result.error).toMatchObject({ code: "timeout", attempt: 1 });
    expect(result.error!.message).toMatch(/timed out after 200 ms on attempt 1 of 3/);
    expect(result.seen).toHaveLength(1);
    expect(result.ms).toBeGreaterThanOrEqual(190);
    expect(result.ms).toBeLessThan(10_000);
  });

  it("headers slower than the timeout: a GET is retried, then times out", async () => {
    const result = await against([faults.slowHeaders(30_000)], "GET", { timeout: 200 });
    expect(result.error).toMatchObject({ code: "timeout", attempt: 3 });
    expect(result.seen).toHaveLength(3);
    expect(result.ms).toBeLessThan(15_000);
  });

  it("an HTML 502: a POST fails once with the status; a GET is retried to the limit", async () => {
    const post = await against([faults.html502()], "POST");
    expect(post.error).toMatchObject({ statusCode: 502, code: "unexpected_response" });
    expect(post.seen).toHaveLength(1);
    const get = await against([faults.html502()], "GET");
    expect(get.error).toMatchObject({ statusCode: 502, code: "unexpected_response" });
    expect(get.seen).toHaveLength(3);
    expect(get.ms).toBeLessThan(10_000);
  });

  it("an empty 500: not retried, the status kept", async () => {
    const result = await against([faults.empty(500), ok], "GET");
    expect(result.error).toMatchObject({ statusCode: 500, type: "api_error", code: "unexpected_response" });
    expect(result.error!.message).toMatch(/500 Internal Server Error with an empty body/);
    expect(result.seen).toHaveLength(1);
  });

  it.each([
    ["truncated JSON on a 200", faults.raw(200, '{"id":"ps_1","resource_type":"pat', "application/json")],
    ["a 200 that is not JSON", faults.raw(200, "<html>OK</html>", "text/html")],
  ])("%s: a typed error, not a SyntaxError, and no retry", async (_name, fault) => {
    const result = await against([fault, ok], "POST");
    expect(result.error).toMatchObject({ statusCode: 200, code: "unexpected_response" });
    expect(result.error!.message).toMatch(/not valid JSON/);
    expect(result.seen).toHaveLength(1);
  });

  it.each([
    ["GET", ["GET"]],
    // A request with a body is sent so that the Fetch standard need not copy its body: a redirect
    // then fails it without a response, and a HEAD asks the server whether it redirects.
    ["POST", ["POST", "HEAD"]],
  ] as const)("a redirect (which the API never sends): %s fails once, recognised from a response, naming baseUrl", async (method, sent) => {
    const result = await against([faults.redirect(), faults.redirect(), ok], method);
    expect(result.error).toMatchObject({ code: "unexpected_response", type: "api_error", statusCode: 302 });
    expect(result.error!.message).toMatch(/redirect.*baseUrl/);
    expect(result.seen.map((request) => request.method)).toEqual(sent);
  });

  it("a POST whose response broke off midway is connection_lost, with no HEAD: a response had begun, so it was no redirect", async () => {
    const result = await against([faults.resetMidResponse(), ok], "POST");
    expect(result.error).toMatchObject({ code: "connection_lost" });
    expect(result.seen.map((request) => request.method)).toEqual(["POST"]);
  });

  it("an abort during the retry wait stops at once", async () => {
    const server = await faultServer([faults.error(429, "rate_limit_error", "throttled", { "retry-after": "20" }), ok]);
    try {
      const mb = new Medblocks(API_KEY, { baseUrl: server.url });
      const controller = new AbortController();
      const reason = new Error("the user left");
      setTimeout(() => controller.abort(reason), 200);
      const started = Date.now();
      const error = await mb.patientSession.retrieve(SESSION.id, { signal: controller.signal }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(MedblocksConnectionError);
      // Aborted after attempt 1, during the wait: the caller's reason is the cause.
      expect(error).toMatchObject({ code: "aborted", attempt: 1, cause: reason });
      const where = String.raw`\(GET http://127\.0\.0\.1:\d+/patient-sessions/\{id\}\)`;
      expect((error as Error).message).toMatch(
        new RegExp(
          String.raw`^mb\.patientSession\.retrieve: was aborted by the caller on attempt 1 of 3, \d+ ms after the call started ${where}$`,
        ),
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(server.seen).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("an abort during the request stops it and is not retried", async () => {
    const server = await faultServer([faults.slowHeaders(5_000)]);
    try {
      const mb = new Medblocks(API_KEY, { baseUrl: server.url });
      const error = await mb.patientSession.retrieve(SESSION.id, { signal: AbortSignal.timeout(150) }).catch((thrown: unknown) => thrown);
      expect(error).toMatchObject({ code: "aborted", attempt: 1 });
      expect(server.seen).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
