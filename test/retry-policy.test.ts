/**
 * What bounds a call's waiting and reading, against a real loopback server:
 * `maxRetryWait` (the total sleep between attempts), `Retry-After` read
 * strictly, and `maxResponseBytes`. Lower bounds where a wait is the point;
 * upper bounds with a loaded machine's slack where not waiting is.
 */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { isMedblocksError, Medblocks, type MedblocksError, type MedblocksOptions, type RequestOptions } from "../src/index.js";
import { faults, faultServer, type Fault } from "./support/fault-server.js";
import { API_KEY, SESSION, INIT } from "./support/fake-fetch.js";

const ok = faults.json(200, SESSION);
const throttled = (retryAfter: string) => faults.error(429, "rate_limit_error", "throttled", { "retry-after": retryAfter });
const unavailable = (retryAfter: string) => faults.error(503, "api_error", "internal_error", { "retry-after": retryAfter });

async function call(script: Fault[], method: "GET" | "POST", client: MedblocksOptions = {}, options?: RequestOptions) {
  const server = await faultServer(script);
  const mb = new Medblocks(API_KEY, { baseUrl: server.url, ...client });
  const started = Date.now();
  try {
    const value = await (method === "POST" ? mb.patientSession.init(INIT, options) : mb.patientSession.retrieve(SESSION.id, options)).then(
      (data) => ({ data }),
      (error: unknown) => {
        if (!isMedblocksError(error)) throw error;
        return { error };
      },
    );
    return { ...value, ms: Date.now() - started, seen: server.seen } as {
      data?: unknown;
      error?: MedblocksError;
      ms: number;
      seen: typeof server.seen;
    };
  } finally {
    await server.close();
  }
}

describe.concurrent("maxRetryWait", () => {
  it("a throttled POST sleeps while the total stays within it, then the 429 is thrown at once with retryAfter", async () => {
    const result = await call([throttled("1"), throttled("1"), ok], "POST", { maxRetryWait: 1 });
    expect(result.error).toMatchObject({ statusCode: 429, code: "throttled", retryAfter: 1 });
    expect(result.seen).toHaveLength(2);
    expect(result.ms).toBeGreaterThanOrEqual(950);
    expect(result.ms).toBeLessThan(1_950 + 8_000);
  });

  it("a per-request maxRetryWait of 0 sleeps nothing: the first 429 is thrown with its retryAfter", async () => {
    const result = await call([throttled("2"), ok], "POST", {}, { maxRetryWait: 0 });
    expect(result.error).toMatchObject({ statusCode: 429, retryAfter: 2 });
    expect(result.seen).toHaveLength(1);
    expect(result.ms).toBeLessThan(1_900);
  });

  it("counts backoff waits too: a 503 GET with no budget is not retried", async () => {
    const result = await call([faults.error(503, "api_error", "internal_error"), ok], "GET", { maxRetryWait: 0 });
    expect(result.error).toMatchObject({ statusCode: 503 });
    expect(result.seen).toHaveLength(1);
  });

  it("a Retry-After beyond the default 30 s is not slept", async () => {
    const result = await call([throttled("31"), ok], "POST");
    expect(result.error).toMatchObject({ statusCode: 429, retryAfter: 31 });
    expect(result.seen).toHaveLength(1);
    expect(result.ms).toBeLessThan(10_000);
  });
});

describe.concurrent("Retry-After read strictly", () => {
  it.each(["-1", "1.5", "1 2", "5,6"])(
    "Retry-After: %s counts as absent: the normal backoff applies, never an immediate retry",
    async (value) => {
      const result = await call([unavailable(value), ok], "GET");
      expect(result.data).toEqual(SESSION);
      expect(result.seen).toHaveLength(2);
      // The first backoff waits at least 250 ms; an immediate retry would not.
      expect(result.ms).toBeGreaterThanOrEqual(240);
    },
  );

  it("an unreadable Retry-After does not make a 503 POST look refused: it is not retried", async () => {
    const result = await call([unavailable("soon"), ok], "POST");
    expect(result.error).toMatchObject({ statusCode: 503, retryAfter: null });
    expect(result.seen).toHaveLength(1);
  });
});

describe.concurrent("which answers are retried", () => {
  // A POST has no idempotency key: only answers that say the server did not act on it are retried.
  it.each([
    ["GET", 429, {}, 2],
    ["GET", 502, {}, 2],
    ["GET", 503, {}, 2],
    ["GET", 504, {}, 2],
    ["GET", 500, {}, 1],
    ["GET", 409, {}, 1],
    ["POST", 429, {}, 2],
    ["POST", 503, { "retry-after": "0" }, 2],
    ["POST", 503, {}, 1],
    ["POST", 502, {}, 1],
    ["POST", 504, {}, 1],
  ] as const)("%s answered %i %o: %i request(s), then the call's outcome", async (method, status, headers, requests) => {
    const result = await call([faults.error(status, "api_error", "internal_error", headers), ok], method, { maxNetworkRetries: 1 });
    expect(result.seen).toHaveLength(requests);
    if (requests === 2) expect(result.data).toEqual(SESSION);
    else expect(result.error).toMatchObject({ statusCode: status });
  });
});

/** Valid session JSON of about `bytes` bytes (padded metadata), so only the limit can refuse it. */
const padded = (bytes: number) => JSON.stringify({ ...SESSION, metadata: { pad: "x".repeat(bytes) } });

/** A 200 whose body, valid JSON, streams `chunks` chunks of `size` bytes without a declared length. */
const streamed =
  (chunks: number, size: number): Fault =>
  (_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    const [head, tail] = padded(0).split('"pad":""');
    response.write(`${head}"pad":"`);
    let sent = 0;
    const pump = () => {
      while (sent < chunks) {
        sent++;
        if (!response.write(Buffer.alloc(size, 0x78))) return void response.once("drain", pump);
      }
      response.end(`"${tail}`);
    };
    response.on("close", () => (sent = chunks));
    pump();
  };

describe.concurrent("maxResponseBytes", () => {
  it("a declared length past the limit fails at once with unexpected_response, and a GET is not retried", async () => {
    const result = await call([faults.raw(200, padded(5_000), "application/json"), ok], "GET", {
      maxResponseBytes: 1_000,
    });
    expect(result.error).toMatchObject({ code: "unexpected_response", type: "api_error", statusCode: 200 });
    expect(result.error!.message).toMatch(/is larger than `maxResponseBytes` \(1000 bytes\); stopped reading it/);
    expect(result.seen).toHaveLength(1);
  });

  it("a body streamed without a length stops being read past the limit (here 64 MB on offer, 1 MB allowed)", async () => {
    const result = await call([streamed(1_024, 65_536)], "GET", { maxResponseBytes: 1_000_000 });
    expect(result.error).toMatchObject({ code: "unexpected_response", statusCode: 200 });
    expect(result.seen).toHaveLength(1);
  });

  it("a small compressed body that expands past the limit is caught as it is decoded", async () => {
    const bomb = gzipSync(padded(5_000_000));
    const result = await call(
      [
        (_request, response) =>
          response
            .writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": String(bomb.length) })
            .end(bomb),
      ],
      "GET",
      { maxResponseBytes: 1_000_000 },
    );
    expect(bomb.length).toBeLessThan(1_000_000);
    expect(result.error).toMatchObject({ code: "unexpected_response", statusCode: 200 });
  });

  it("an error body past the limit is unexpected_response too, with its status", async () => {
    const envelope = {
      error: { type: "api_error", code: "internal_error", message: "x".repeat(20_000), param: null, doc_url: "d", request_id: "r" },
    };
    const result = await call([faults.json(500, envelope)], "GET", { maxResponseBytes: 10_000 });
    expect(result.error).toMatchObject({ code: "unexpected_response", statusCode: 500 });
  });

  // The limit is on the body as decoded, and a body of exactly the limit is read: pinned in each shape.
  const exactly: Record<string, (body: Buffer) => Fault> = {
    "a declared length": (body) => (_request, response) =>
      response.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) }).end(body),
    "chunked, in two chunks": (body) => (_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write(body.subarray(0, 100));
      setTimeout(() => response.end(body.subarray(100)), 5);
    },
    gzip: (body) => (_request, response) => {
      const gz = gzipSync(body);
      response
        .writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": String(gz.length) })
        .end(gz);
    },
  };
  it.each(Object.keys(exactly))("%s: a body of exactly maxResponseBytes is read; one byte over is unexpected_response", async (shape) => {
    const body = Buffer.from(padded(3_000));
    const fault = exactly[shape]!(body);
    expect((await call([fault], "GET", {}, { maxResponseBytes: body.length })).data).toMatchObject({ id: SESSION.id });
    const over = await call([fault, ok], "GET", {}, { maxResponseBytes: body.length - 1 });
    expect(over.error).toMatchObject({ code: "unexpected_response", statusCode: 200 });
    expect(over.error!.message).toContain(`\`maxResponseBytes\` (${body.length - 1} bytes)`);
    expect(over.seen).toHaveLength(1);
  });

  it("defaults to 10 MB and can be set per request", async () => {
    const big = faults.raw(200, padded(10_500_000), "application/json");
    expect((await call([big], "GET")).error).toMatchObject({ code: "unexpected_response" });
    expect((await call([big], "GET", {}, { maxResponseBytes: 20_000_000 })).data).toMatchObject({ id: SESSION.id });
  });
});
