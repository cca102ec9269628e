/**
 * Per-request and client options: a request the client cannot build is
 * refused before anything is sent, with a MedblocksError naming the option —
 * never retried, never reported as a lost connection.
 */
import { describe, expect, it } from "vitest";
import { isMedblocksError, Medblocks, MedblocksConnectionError, type MedblocksError, type RequestOptions } from "../src/index.js";
import { API_KEY, fakeClient, fakeFetch, json, SESSION, INIT } from "./support/fake-fetch.js";

async function refusedBeforeSending(options: unknown, maxNetworkRetries = 2): Promise<MedblocksError> {
  const { mb, requests } = fakeClient(() => json(SESSION), { maxNetworkRetries });
  const error = await mb.patientSession.retrieve(SESSION.id, options as RequestOptions).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(isMedblocksError(error), String(error)).toBe(true);
  expect(error).not.toBeInstanceOf(MedblocksConnectionError);
  expect(requests).toHaveLength(0);
  return error as MedblocksError;
}

describe("per-request options", () => {
  it.each([
    [
      "a header value with CR/LF",
      { headers: { "X-Trace": "a\r\nInjected: 1" } },
      "headers.X-Trace",
      /a string of Latin-1 characters without line breaks/,
    ],
    ["a header value with a NUL", { headers: { "X-Trace": "a\u0000b" } }, "headers.X-Trace", /without line breaks or control characters/],
    ["a header value outside Latin-1", { headers: { "X-Name": "Jürgen ✓" } }, "headers.X-Name", /Latin-1/],
    ["a header value that is not a string", { headers: { "X-Count": 3 } }, "headers.X-Count", /a string of Latin-1 characters/],
    ["a header name with a space", { headers: { "X Trace": "t" } }, "headers", /valid header names/],
    ["Authorization in headers", { headers: { Authorization: "Bearer other" } }, "headers.Authorization", /the `apiKey` option sets it/],
    ["version in headers, any case", { headers: { version: "2026-04-25" } }, "headers.version", /the `version` option sets it/],
    [
      "an unknown option",
      { retries: 3 },
      "retries",
      /not an option \(known: timeout, maxNetworkRetries, maxRetryWait, maxResponseBytes, version, apiKey, signal, headers\)/,
    ],
    ["a timeout given as a string", { timeout: "5000" }, "timeout", /number of milliseconds/],
    ["a negative maxRetryWait", { maxRetryWait: -1 }, "maxRetryWait", /seconds from 0/],
    ["a fractional maxResponseBytes", { maxResponseBytes: 1.5 }, "maxResponseBytes", /whole number of bytes/],
    ["a signal that is not an AbortSignal", { signal: { aborted: "no" } }, "signal", /an AbortSignal/],
    ["an apiKey with a space", { apiKey: "mb_sk_sbx_a b" }, "apiKey", /printable characters without spaces/],
    ["options that are not an object", "fast", "options", /an object/],
  ])("refuses %s, naming the option", async (_name, options, param, message) => {
    const error = await refusedBeforeSending(options);
    expect(error).toMatchObject({ type: "invalid_request_error", code: "invalid_data", param, statusCode: null });
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("Injected");
    expect(error.message).not.toContain("Bearer other");
  });

  it("takes explicit undefined values as absent", async () => {
    const { mb, requests } = fakeClient(() => json(SESSION));
    await mb.patientSession.retrieve(SESSION.id, { timeout: undefined, headers: undefined, version: undefined, apiKey: undefined });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.headers.get("version")).toBe("2026-04-25");
  });

  it("sends a per-request apiKey instead of the client's, for that call only", async () => {
    const other = "mb_sk_sbx_other_workspace_key_77";
    const { mb, requests } = fakeClient(() => json(SESSION));
    await mb.patientSession.retrieve(SESSION.id, { apiKey: other });
    await mb.patientSession.retrieve(SESSION.id);
    expect(requests.map((request) => request.headers.get("authorization"))).toEqual([`Bearer ${other}`, `Bearer ${API_KEY}`]);
  });

  it("refuses a request body that cannot be written as JSON (a BigInt), before sending", async () => {
    const { mb, requests } = fakeClient(() => json(SESSION));
    const error = await mb.patientSession.init({ ...INIT, metadata: { visits: 10n } }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: "invalid_data", statusCode: null });
    expect((error as Error).message).toMatch(/cannot be written as JSON/);
    expect(requests).toHaveLength(0);
  });

  it("sends a User-Agent naming the client and its version", async () => {
    const { mb, requests } = fakeClient(() => json(SESSION));
    await mb.patientSession.retrieve(SESSION.id);
    await mb.health({ headers: { "X-Trace": "t" } });
    for (const request of requests) expect(request.headers.get("user-agent")).toMatch(/^medblocks-client\/\d+\.\d+\.\d+/);
  });
});

describe("client options", () => {
  it.each([
    [
      "a baseUrl with a user name and password",
      { baseUrl: "https://admin:hunter2@app.medblocks.com" },
      "baseUrl",
      /without a user name or password/,
    ],
    ["a baseUrl with only a user name", { baseUrl: "https://token@app.medblocks.com" }, "baseUrl", /without a user name or password/],
    ["a version that is no real date", { version: "2026-02-30" }, "version", /real date/],
    ["an unknown option", { maxRetries: 5 }, "maxRetries", /not an option/],
    ["a maxRetryWait that is not a number", { maxRetryWait: "30" }, "maxRetryWait", /seconds/],
  ])("refuses %s at construction, without echoing it", (_name, options, param, message) => {
    let error: unknown;
    try {
      new Medblocks(API_KEY, options as never);
    } catch (thrown) {
      error = thrown;
    }
    expect(isMedblocksError(error)).toBe(true);
    expect(error).toMatchObject({ param, code: "invalid_data" });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("hunter2");
    expect((error as Error).message).not.toContain("token@");
  });

  it("takes explicit undefined values as absent", () => {
    const { fetch } = fakeFetch(() => json(SESSION));
    const mb = new Medblocks(API_KEY, { fetch, baseUrl: undefined, version: undefined, timeout: undefined, logger: undefined });
    expect(mb.baseUrl).toBe("https://app.medblocks.com");
  });
});
