/**
 * Every method returns an APIPromise: a real Promise of the data with
 * `.withResponse()`. And what comes back is checked: a 2xx body that is not
 * the object the spec promises is `unexpected_response`, never a TypeError;
 * a logger that throws never changes a call's outcome.
 */
import { describe, expect, it } from "vitest";
import { APIPromise, isMedblocksError, type PatientSession } from "../src/index.js";
import { fakeClient, json, SESSION } from "./support/fake-fetch.js";

describe("APIPromise", () => {
  it("is a real Promise that resolves to the data, however often awaited", async () => {
    const { mb, requests } = fakeClient(() => json(SESSION, 200, { "x-request-id": "req_1" }));
    const call = mb.patientSession.retrieve(SESSION.id);
    expect(call).toBeInstanceOf(Promise);
    expect(call).toBeInstanceOf(APIPromise);
    const asPromise: Promise<PatientSession> = call;
    expect(await asPromise).toEqual(SESSION);
    expect(await call).toEqual(SESSION);
    expect(await Promise.all([call, Promise.resolve(call)])).toEqual([SESSION, SESSION]);
    expect(requests).toHaveLength(1);
  });

  it("withResponse() gives the data, the response and its request id", async () => {
    const { mb } = fakeClient(() => json(SESSION, 200, { "x-request-id": "req_42" }));
    const { data, response, requestId } = await mb.patientSession.retrieve(SESSION.id).withResponse();
    expect(data).toEqual(SESSION);
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(requestId).toBe("req_42");
  });

  it("starts the call at once, like any promise-returning function", async () => {
    const { mb, requests } = fakeClient(() => json(SESSION));
    const call = mb.patientSession.retrieve(SESSION.id);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(requests).toHaveLength(1);
    await call;
  });

  it("rejects through then, catch, finally and withResponse alike", async () => {
    const { mb } = fakeClient(() =>
      json(
        { error: { type: "not_found_error", code: "resource_not_found", message: "m", param: null, doc_url: "d", request_id: "r" } },
        404,
      ),
    );
    const call = mb.patients.retrieve("user_42");
    await expect(call).rejects.toMatchObject({ code: "resource_not_found" });
    expect(await call.catch((error: unknown) => isMedblocksError(error) && error.statusCode)).toBe(404);
    await expect(call.withResponse()).rejects.toMatchObject({ statusCode: 404 });
    let ran = false;
    await expect(call.finally(() => (ran = true))).rejects.toBeTruthy();
    expect(ran).toBe(true);
  });

  it("then() returns a plain Promise, as a derived promise should", async () => {
    const { mb } = fakeClient(() => json(SESSION));
    const derived = mb.patientSession.retrieve(SESSION.id).then((session) => session.id);
    expect(derived).not.toBeInstanceOf(APIPromise);
    expect(await derived).toBe(SESSION.id);
  });
});

describe("2xx bodies the client cannot use", () => {
  it.each([
    ["null", "null"],
    ["an array", "[]"],
    ["a string", '"ok"'],
    ["a number", "42"],
  ])("a 200 whose JSON is %s is unexpected_response, not a TypeError later", async (_name, body) => {
    const { mb } = fakeClient(() => new Response(body, { status: 200, headers: { "content-type": "application/json" } }));
    const error = await mb.patientSession.retrieve(SESSION.id).catch((thrown: unknown) => thrown);
    expect(isMedblocksError(error) && error.code).toBe("unexpected_response");
    expect(error).toMatchObject({ statusCode: 200 });
  });
});

describe("a logger that throws", () => {
  const broken = () => {
    throw new Error("logger broke");
  };

  it("never loses a successful POST's result (a once-only webhook secret), and nothing is sent twice", async () => {
    const created = {
      id: "wh_1",
      resource_type: "webhook_endpoint",
      url: "https://app.example.com/hooks",
      events: ["*"],
      status: "active",
      description: null,
      metadata: {},
      api_version: "2026-04-25",
      created_at: "2026-04-25T14:30:00.000Z",
      updated_at: "2026-04-25T14:30:00.000Z",
      secret: "whsec_shown_once",
    };
    const { mb, requests } = fakeClient(() => json(created), { logger: broken, maxNetworkRetries: 2 });
    const endpoint = await mb.webhooks.create({ url: "https://app.example.com/hooks", events: ["*"] });
    expect(endpoint.secret).toBe("whsec_shown_once");
    expect(requests).toHaveLength(1);
  });

  it("does not change a failure either", async () => {
    const { mb, requests } = fakeClient(
      () => json({ error: { type: "api_error", code: "internal_error", message: "m", param: null, doc_url: "d", request_id: "r" } }, 500),
      { logger: broken, maxNetworkRetries: 2 },
    );
    await expect(mb.patientSession.retrieve(SESSION.id)).rejects.toMatchObject({ code: "internal_error", statusCode: 500 });
    expect(requests).toHaveLength(1);
  });
});
