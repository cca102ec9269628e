/**
 * The second review of the hardening (issue 10), with cases that were not in
 * the issue: each finding is a test that failed before its fix. Every bad
 * input is a MedblocksError naming the field and refused before anything is
 * sent; a server's broken answer is `unexpected_response`; no wait outlives
 * its `timeout`; no error carries a path value.
 */
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { buildReturnUrl, isMedblocksError, Medblocks, MedblocksReturnUrlError, type RequestOptions } from "../src/index.js";
import { fakeClient, json, SESSION } from "./support/fake-fetch.js";

const PATIENT = {
  id: "alice@example.com",
  resource_type: "patient",
  email: null,
  name: null,
  metadata: {},
  created_at: SESSION.created_at,
  connections: [],
};

/** The error a call ends with (it must end with one). */
async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(Error);
  return outcome as Error & Record<string, unknown>;
}

describe("a logger that fails asynchronously", () => {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown) => void seen.push(reason);
  afterEach(() => void process.off("unhandledRejection", onRejection));

  it("leaves no unhandled rejection behind and changes nothing", async () => {
    process.on("unhandledRejection", onRejection);
    const { mb, requests } = fakeClient(() => json(PATIENT), {
      logger: async () => {
        throw new Error("log sink down");
      },
    });
    expect((await mb.patients.retrieve(PATIENT.id)).id).toBe(PATIENT.id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toEqual([]);
    expect(requests).toHaveLength(1);
  });
});

describe("request options the client cannot send are refused before sending", () => {
  it.each<[string, unknown, string]>([
    ["a symbol-keyed header", { [Symbol("x")]: "1" }, "headers"],
    ["headers as a Map", new Map([["X-Trace", "1"]]), "headers"],
    ["headers as a Headers object", new Headers({ "X-Trace": "1" }), "headers"],
  ])("%s", async (_, headers, param) => {
    const { mb, requests } = fakeClient(() => json(PATIENT), { maxNetworkRetries: 2 });
    const error = await failure(mb.patients.retrieve(PATIENT.id, { headers } as RequestOptions));
    expect(isMedblocksError(error) && error.code).toBe("invalid_data");
    expect(error.param).toBe(param);
    expect(requests).toHaveLength(0);
  });

  it.each(["constructor", "toString", "hasOwnProperty", "__proto__"])("an option named %j is unknown, not a crash", async (name) => {
    const { mb, requests } = fakeClient(() => json(PATIENT));
    const options = JSON.parse(`{"${name}": 1}`) as RequestOptions;
    const error = await failure(mb.patients.retrieve(PATIENT.id, options));
    expect(error).toMatchObject({ code: "invalid_data", param: name });
    expect(() => new Medblocks("mb_sk_sbx_x", JSON.parse(`{"${name}": 1}`))).toThrow(expect.objectContaining({ param: name }));
    expect(requests).toHaveLength(0);
  });

  it("a signal-like object without removeEventListener is refused, not sent", async () => {
    const { mb, requests } = fakeClient(() => json(PATIENT));
    const signal = { aborted: false, addEventListener() {} } as unknown as AbortSignal;
    expect(await failure(mb.patients.retrieve(PATIENT.id, { signal }))).toMatchObject({ code: "invalid_data", param: "signal" });
    expect(requests).toHaveLength(0);
  });

  it.each([5, "x", [1]])("list params %j are refused (an object or nothing)", async (params) => {
    const { mb, requests } = fakeClient(() => json({ resource_type: "list", data: [], has_more: false, next_cursor: null }));
    const list = mb.connections.list(params as never);
    expect(await failure(list)).toMatchObject({ code: "bad_request", param: "params" });
    expect(requests).toHaveLength(0);
  });

  it("webhooks.listEvents without params in an object is refused, not a TypeError", async () => {
    const { mb } = fakeClient(() => json({ resource_type: "list", data: [], has_more: false, next_cursor: null }));
    expect(await failure(mb.webhooks.listEvents("wh_1", 5 as never))).toMatchObject({ code: "bad_request", param: "params" });
  });
});

describe("timeout bounds an attempt whatever fetch does", () => {
  it("with a fetch that ignores its signal", async () => {
    const { mb } = fakeClient(() => new Promise<Response>(() => {}), { timeout: 50 });
    expect(await failure(mb.patients.retrieve(PATIENT.id))).toMatchObject({ code: "timeout" });
  });

  it("with a body that never ends and is not tied to the signal", async () => {
    const endless = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
    const { mb } = fakeClient(() => new Response(endless, { headers: { "content-type": "application/json" } }), { timeout: 50 });
    expect(await failure(mb.patients.retrieve(PATIENT.id))).toMatchObject({ code: "timeout" });
  });

  it("and an abort by the caller ends it too", async () => {
    const { mb } = fakeClient(() => new Promise<Response>(() => {}));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    expect(await failure(mb.patients.retrieve(PATIENT.id, { signal: controller.signal }))).toMatchObject({ code: "aborted" });
  });
});

describe("maxResponseBytes whatever Content-Length says", () => {
  it.each(["abc", "", "-1", "10, 10"])("a malformed Content-Length (%j) does not switch the count off", async (length) => {
    const big = "x".repeat(4096);
    const { mb } = fakeClient(() => new Response(big, { headers: { "content-type": "application/json", "content-length": length } }), {
      maxResponseBytes: 1024,
    });
    expect(await failure(mb.patients.retrieve(PATIENT.id))).toMatchObject({
      code: "unexpected_response",
      message: expect.stringContaining("maxResponseBytes"),
    });
  });
});

describe("a runtime error that names the URL", () => {
  it("is kept as the cause with the path value replaced by the template", async () => {
    // Deno words a refused connection this way; Node's errors name no URL.
    const { mb } = fakeClient((request) => {
      throw Object.assign(new TypeError(`error sending request for url (${request.url.href}): client error (Connect)`), {
        code: "ECONNREFUSED",
      });
    });
    const error = await failure(mb.patients.retrieve(PATIENT.id));
    expect(error.code).toBe("connect_failed");
    const printed = [error.message, error.stack, JSON.stringify(error), inspect(error, { depth: 10 })].join("\n");
    expect(printed).not.toContain("alice");
    expect(inspect(error, { depth: 10 })).toContain("/patients/{id}");
    expect((error.cause as { code?: unknown }).code).toBe("ECONNREFUSED");
  });
});

describe("pages that say there is more must say where", () => {
  const page = (extra: object) => json({ resource_type: "list", data: [{ id: "fhirsrc_1" }], ...extra });

  it.each([
    ["no cursor", { has_more: true, next_cursor: null }],
    ["an empty cursor", { has_more: true, next_cursor: "" }],
    ["a number", { has_more: true, next_cursor: 7 }],
  ])("has_more with %s is unexpected_response, not the end of the list", async (_, extra) => {
    const { mb, requests } = fakeClient(() => page(extra));
    const error = await failure(mb.connections.list().autoPagingToArray({ limit: 100 }));
    expect(error).toMatchObject({ code: "unexpected_response" });
    expect(requests).toHaveLength(1);
  });

  it("a direction that is not one is refused before any request", async () => {
    const { mb, requests } = fakeClient(() => page({ has_more: false, next_cursor: null }));
    const error = await failure(mb.connections.list().autoPagingToArray({ limit: 5, direction: "sideways" as never }));
    expect(error).toMatchObject({ code: "invalid_data", param: "direction" });
    expect(requests).toHaveLength(0);
  });

  it("backward is refused on a list that is not records", async () => {
    const { mb } = fakeClient(() => page({ has_more: false, next_cursor: null }));
    const error = await failure(mb.connections.list().autoPagingToArray({ limit: 5, direction: "backward" }));
    expect(error).toMatchObject({ code: "invalid_data", param: "direction" });
  });
});

describe("buildReturnUrl refuses what is not a return", () => {
  const url = "https://app.example.com/connected";
  const base = { patient_id: "user_42", patient_session_id: SESSION.id };

  it.each<[string, unknown, string]>([
    ["no params", null, "mode"],
    ["an unknown mode", { ...base, mode: "weird" }, "mode"],
    ["success as a string", { ...base, mode: "direct", success: "true", connection_id: "fhirsrc_1" }, "success"],
    ["a number for patient_id", { ...base, mode: "hosted", patient_id: 42 }, "patient_id"],
  ])("%s", (_, params, param) => {
    let thrown: unknown;
    try {
      buildReturnUrl(url, params as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MedblocksReturnUrlError);
    expect(thrown).toMatchObject({ param, reason: "invalid" });
  });
});

describe("webhook helpers refuse bad arguments with the argument's name", () => {
  it("generateTestHeaderString without params, or with a parsed payload", async () => {
    await expect(Medblocks.webhooks.generateTestHeaderString(null as never)).rejects.toMatchObject({
      code: "invalid_data",
      param: "params",
    });
    await expect(Medblocks.webhooks.generateTestHeaderString({ payload: {} as never, secret: "whsec_x" })).rejects.toMatchObject({
      param: "payload",
    });
  });

  it("constructEvent with an unknown option (a misspelt tolerance)", async () => {
    await expect(Medblocks.webhooks.constructEvent("{}", "t=1,v1=00", "whsec_x", { tolerence: 0 } as never)).rejects.toMatchObject({
      code: "invalid_data",
      param: "tolerence",
    });
    await expect(Medblocks.webhooks.constructEvent("{}", "t=1,v1=00", "whsec_x", 5 as never)).rejects.toMatchObject({ param: "options" });
  });
});
