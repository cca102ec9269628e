/**
 * The error factory, driven through an injected fetch: envelopes become
 * typed errors; bodies that are not envelopes (a proxy's HTML, nothing,
 * truncated JSON) still become a MedblocksError with the status.
 */
import { describe, expect, it } from "vitest";
import { ERROR_TYPES } from "../generated/schemas.js";
import { parseRetryAfter } from "../src/errors.js";
import {
  isMedblocksError,
  Medblocks,
  MedblocksError,
  MedblocksReturnUrlError,
  MedblocksSignatureError,
  parseReturnUrl,
} from "../src/index.js";
import { API_KEY, fakeClient, json } from "./support/fake-fetch.js";

const ENVELOPE = {
  error: {
    type: "rate_limit_error",
    code: "throttled",
    message: "Too many requests.",
    param: null,
    doc_url: "https://medblocks.com/docs/reference/errors",
    request_id: "req_body",
  },
};

async function failure(response: () => Response): Promise<MedblocksError> {
  const { mb } = fakeClient(response);
  const error = await mb.patients.retrieve("user_42").then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(isMedblocksError(error), String(error)).toBe(true);
  return error as MedblocksError;
}

describe("errors from responses", () => {
  it("maps every field of the envelope", async () => {
    const error = await failure(() => json(ENVELOPE, 429, { "retry-after": "7", "x-request-id": "req_header" }));
    expect(error).toBeInstanceOf(MedblocksError);
    expect(error).toMatchObject({
      name: "MedblocksError",
      type: "rate_limit_error",
      code: "throttled",
      param: null,
      docUrl: "https://medblocks.com/docs/reference/errors",
      requestId: "req_body",
      statusCode: 429,
      retryAfter: 7,
      raw: ENVELOPE,
    });
    expect(error.message).toBe("mb.patients.retrieve: 429 throttled: Too many requests.");
  });

  it("takes the request id from X-Request-Id when the body has none", async () => {
    const body = { error: { ...ENVELOPE.error, type: "not_found_error", code: "resource_not_found", request_id: "" } };
    const error = await failure(() => json(body, 404, { "x-request-id": "req_header" }));
    expect(error.requestId).toBe("req_header");
    expect(error.retryAfter).toBeNull();
  });

  it("reads Retry-After given as an HTTP date", async () => {
    const date = new Date(Date.now() + 120_000).toUTCString();
    const error = await failure(() => json(ENVELOPE, 429, { "retry-after": date }));
    expect(error.retryAfter).toBeGreaterThanOrEqual(118);
    expect(error.retryAfter).toBeLessThanOrEqual(121);
  });

  it.each([
    [
      "an HTML 502 from a proxy",
      () =>
        new Response("<html><body>Bad gateway</body></html>", {
          status: 502,
          statusText: "Bad Gateway",
          headers: { "content-type": "text/html" },
        }),
      502,
      "ehr_error",
      /502 Bad Gateway with a body \(text\/html\) that is not valid JSON instead of the JSON error envelope/,
    ],
    ["an empty 500", () => new Response(null, { status: 500 }), 500, "api_error", /500 with an empty body/],
    [
      "an empty 401",
      () => new Response("", { status: 401, headers: { "content-length": "0" } }),
      401,
      "authentication_error",
      /401 with an empty body/,
    ],
    [
      "truncated JSON on a 400",
      () => new Response('{"error":{"type":"invalid_req', { status: 400, headers: { "content-type": "application/json" } }),
      400,
      "invalid_request_error",
      /not valid JSON/,
    ],
    ["JSON of another shape", () => json({ message: "nope" }, 403), 403, "permission_error", /JSON that is not the error envelope/],
    [
      "truncated JSON on a 200",
      () => new Response('{"id":"user_42","resou', { status: 200, headers: { "content-type": "application/json" } }),
      200,
      "api_error",
      /answered a success with a body \(application\/json\) that is not valid JSON/,
    ],
    [
      "a 200 that is not JSON",
      () => new Response("OK", { status: 200, headers: { "content-type": "text/plain" } }),
      200,
      "api_error",
      /not valid JSON/,
    ],
    ["an empty 200", () => new Response(null, { status: 200 }), 200, "api_error", /success with an empty body/],
  ])("turns %s into a MedblocksError with the status", async (_name, response, status, type, message) => {
    const error = await failure(response);
    expect(error).toBeInstanceOf(MedblocksError);
    expect(error.statusCode).toBe(status);
    expect(error.type).toBe(type);
    expect(error.code).toBe("unexpected_response");
    expect(error.message).toMatch(message);
    expect(error.raw).toBeNull();
  });

  it.each([
    [
      "an HTML 404",
      () =>
        new Response("<html><body>Cannot GET</body></html>", {
          status: 404,
          statusText: "Not Found",
          headers: { "content-type": "text/html" },
        }),
    ],
    ["an empty 404", () => new Response(null, { status: 404 })],
    ["a JSON 404 of another API", () => json({ message: "route not found" }, 404)],
  ])("blames a wrong baseUrl, not Medblocks, for %s, naming the path's template and never its values", async (_name, response) => {
    const { mb } = fakeClient(response, { baseUrl: "https://wrong.example.com/api" });
    const error = (await mb.patients.retrieve("user_42").then(
      () => undefined,
      (thrown: unknown) => thrown,
    )) as MedblocksError;
    expect(error).toMatchObject({ statusCode: 404, code: "unexpected_response", type: "not_found_error" });
    expect(error.message).toMatch(/^mb\.patients\.retrieve: GET https:\/\/wrong\.example\.com\/api\/patients\/\{id\} answered 404/);
    expect(error.message).toMatch(/check `baseUrl`/);
    expect(error.message).not.toMatch(/Medblocks answered/);
    expect(error.message).not.toContain("user_42");
  });

  it("never prints the body it could not read", async () => {
    const error = await failure(
      () => new Response("<p>patient Jane Doe, MRN 12345</p>", { status: 502, headers: { "content-type": "text/html" } }),
    );
    expect(error.message).not.toContain("Jane");
    expect(JSON.stringify(error)).not.toContain("Jane");
  });

  it("serializes to JSON without the key and with every field", async () => {
    const error = await failure(() => json(ENVELOPE, 429, { "retry-after": "7" }));
    const serialized = JSON.parse(JSON.stringify(error));
    expect(serialized).toMatchObject({ name: "MedblocksError", code: "throttled", statusCode: 429, retryAfter: 7, requestId: "req_body" });
    expect(JSON.stringify(error) + String(error.stack)).not.toContain(API_KEY);
  });

  it("isMedblocksError narrows only the client's errors", () => {
    expect(isMedblocksError(new MedblocksError({ type: "api_error", code: "internal_error", message: "x" }))).toBe(true);
    expect(isMedblocksError(new Error("x"))).toBe(false);
    expect(isMedblocksError(null)).toBe(false);
    expect(isMedblocksError({ code: "throttled" })).toBe(false);
    expect(isMedblocksError(Object.assign(new Error("x"), { code: "throttled" }))).toBe(false);
  });

  it("isMedblocksError knows an error from another copy of this package by its shape", () => {
    class FromAnotherCopy extends Error {
      override name = "MedblocksSignatureError";
      code = "invalid_signature";
    }
    expect(isMedblocksError(new FromAnotherCopy("x"))).toBe(true);
  });
});

describe("one error family", () => {
  const SECRET = "whsec_family_test";

  it("MedblocksReturnUrlError and MedblocksSignatureError are MedblocksErrors with their own type, code and reason", async () => {
    const returnError = (() => {
      try {
        parseReturnUrl("?patient_id=u&patient_session_id=sess_1");
      } catch (error) {
        return error;
      }
    })();
    expect(returnError).toBeInstanceOf(MedblocksReturnUrlError);
    expect(returnError).toBeInstanceOf(MedblocksError);
    expect(isMedblocksError(returnError)).toBe(true);
    expect(returnError).toMatchObject({
      type: "return_url_error",
      code: "invalid_return_url",
      reason: "invalid",
      param: "patient_session_id",
      statusCode: null,
    });
    expect(JSON.parse(JSON.stringify(returnError))).toMatchObject({ name: "MedblocksReturnUrlError", reason: "invalid" });

    const signatureError = await Medblocks.webhooks.constructEvent("{}", "t=1,v1=00", SECRET).catch((error: unknown) => error);
    expect(signatureError).toBeInstanceOf(MedblocksSignatureError);
    expect(signatureError).toBeInstanceOf(MedblocksError);
    expect(isMedblocksError(signatureError)).toBe(true);
    expect(signatureError).toMatchObject({
      type: "signature_verification_error",
      code: "invalid_signature",
      reason: "no_matching_signature",
      statusCode: null,
    });
  });

  it.each<[string, () => Promise<unknown>, string]>([
    [
      "constructEvent without a raw body (a parsed object)",
      () => Medblocks.webhooks.constructEvent({ id: "evt_1" } as never, "t=1,v1=00", SECRET),
      "rawBody",
    ],
    ["constructEvent without a secret", () => Medblocks.webhooks.constructEvent("{}", "t=1,v1=00", undefined as never), "secret"],
    ["constructEvent with tolerance 0", () => Medblocks.webhooks.constructEvent("{}", "t=1,v1=00", SECRET, { tolerance: 0 }), "tolerance"],
    [
      "generateTestHeaderString with a negative timestamp",
      () => Medblocks.webhooks.generateTestHeaderString({ payload: "{}", secret: SECRET, timestamp: -5 }),
      "timestamp",
    ],
    ["parseReturnUrl of a number", async () => parseReturnUrl(42 as never), "input"],
    ["parseReturnUrl of nothing outside a browser", async () => parseReturnUrl(), "input"],
  ])("%s is a MedblocksError naming the argument, never a bare TypeError", async (_name, run, param) => {
    const error = await Promise.resolve()
      .then(run)
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).not.toBeInstanceOf(TypeError);
    expect(isMedblocksError(error), String(error)).toBe(true);
    expect((error as MedblocksError).param).toBe(param);
  });
});

describe("status → type", () => {
  it("is the error catalog's, for an envelope-less answer of every catalog status", async () => {
    for (const [status, type] of Object.entries(ERROR_TYPES)) {
      const error = await failure(
        () => new Response("<html>proxy</html>", { status: Number(status), headers: { "content-type": "text/html" } }),
      );
      expect(error.type, status).toBe(type);
      expect(error.code).toBe("unexpected_response");
    }
    expect((await failure(() => new Response(null, { status: 504 }))).type).toBe("api_error");
  });
});

describe("Retry-After is read strictly", () => {
  const now = Date.parse("2026-04-25T14:30:00.000Z");
  it.each([
    ["0", 0],
    ["7", 7],
    [" 30 ", 30],
    ["\t12\t", 12],
    ["Sat, 25 Apr 2026 14:31:00 GMT", 60],
    ["Sat, 25 Apr 2026 14:00:00 GMT", 0],
  ])("%j is %d seconds", (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds);
  });

  it.each([
    ...["-1", "1.5", "1 2", "5,6", "", "soon", "2026-04-25", "1e3", "+5", "0x10", "Sat, 25 Apr 2026 14:31:00"],
    // Only spaces and tabs are optional whitespace in HTTP.
    ...["\v3", "\f3", "3\u00a0", "\u00a03", "\u30003"],
    // A date that is not a real day, or whose weekday is wrong.
    ...["Sat, 31 Feb 2026 14:31:00 GMT", "Mon, 25 Apr 2026 14:31:00 GMT", "Sat, 25 Apr 2026 24:31:00 GMT"],
    // RFC 9110's obsolete forms: Medblocks sends seconds, and a sender of dates must use the fixed form.
    ...["Saturday, 25-Apr-26 14:31:00 GMT", "Sat Apr 25 14:31:00 2026"],
  ])("%j counts as absent", (value) => {
    expect(parseRetryAfter(value, now)).toBeNull();
  });
});
