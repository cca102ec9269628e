/**
 * Messages that were once cut short to keep the bundle under a byte budget,
 * pinned whole: each says what was wrong and what to do instead. The bundle
 * budget has room for them (docs/performance.md); a message is never the
 * place to save bytes. The messages of verifyReturn, pagination and
 * `maxResponseBytes` are pinned where those are tested.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { buildReturnUrl, Medblocks, type RequestOptions } from "../src/index.js";
import { API_KEY, fakeClient, INIT, json, SESSION } from "./support/fake-fetch.js";

const RETURN = "https://app.example.com/connected";

/** The message of what `run` throws or rejects with (it must fail). */
async function messageOf(run: () => unknown): Promise<string> {
  let thrown: unknown;
  try {
    await run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(Error);
  return (thrown as Error).message;
}

afterEach(() => void vi.unstubAllGlobals());

describe("messages say what to do, in full", () => {
  const withHeaders = (headers: unknown) => () =>
    fakeClient(() => json(SESSION)).mb.patientSession.retrieve(SESSION.id, { headers } as RequestOptions);

  it.each([
    [
      "a baseUrl with credentials",
      () => new Medblocks(API_KEY, { baseUrl: "https://admin:pw@app.medblocks.com" }),
      "without a user name or password (Medblocks authenticates with the API key)",
    ],
    ["headers that are a Map", withHeaders(new Map([["x-trace", "t"]])), "must be a plain object of header names and string values"],
    ["a header name with a space", withHeaders({ "X Trace": "t" }), "keyed by valid header names (letters, digits and !#$%&'*+.^_`|~-)"],
    [
      "a header value that is a number",
      withHeaders({ "X-Count": 3 }),
      "must be a string of Latin-1 characters without line breaks or control characters",
    ],
    [
      "autoPagingToArray past its limit",
      () =>
        fakeClient(() => json(SESSION))
          .mb.connections.list()
          .autoPagingToArray({ limit: 0 }),
      "(walk longer lists with autoPagingEach or for await)",
    ],
    [
      "a since that is no real instant",
      () => fakeClient(() => json(SESSION)).mb.patients.records("user_42", { since: "2026-02-31T10:00:00Z" }),
      "a real ISO 8601 date-time (YYYY-MM-DDThh:mm:ssZ, or an offset)",
    ],
    [
      "a return URL that already holds a parameter",
      () => buildReturnUrl(`${RETURN}?patient_id=x`, { mode: "hosted", patient_id: "user_42", patient_session_id: SESSION.id }),
      "is already in returnUrl; Medblocks would send it twice",
    ],
    [
      "a body with a BigInt",
      () => fakeClient(() => json(SESSION)).mb.patientSession.init({ ...INIT, metadata: { visits: 10n } } as never),
      "cannot be written as JSON (does it hold a BigInt or a circular reference?)",
    ],
    [
      "a success that is a JSON array",
      () => fakeClient(() => json([SESSION])).mb.patientSession.retrieve(SESSION.id),
      "Medblocks answered a success with JSON that is not an object",
    ],
    [
      "a redirect",
      () =>
        fakeClient(
          () => new Response(null, { status: 302, headers: { location: "https://elsewhere.example/" } }),
        ).mb.patientSession.retrieve(SESSION.id),
      "with a redirect, which the Medblocks API never sends; check `baseUrl`",
    ],
  ])("%s", async (_case, run, words) => {
    expect(await messageOf(run)).toContain(words);
  });

  it("a key in a browser", async () => {
    vi.stubGlobal("window", {});
    vi.stubGlobal("document", {});
    expect(await messageOf(() => new Medblocks(API_KEY))).toContain(
      "where every visitor could read the API key: call Medblocks from your server instead",
    );
  });

  it("a webhook signed with another secret", async () => {
    const secret = "whsec_5f3c9a1e7b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f3a5b7c";
    const body = JSON.stringify({ id: "evt_1" });
    const header = await Medblocks.webhooks.generateTestHeaderString({ payload: body, secret: `${secret}0` });
    expect(await messageOf(() => Medblocks.webhooks.constructEvent(body, header, secret))).toContain(
      "no v1 signature matches this body and secret: use the raw body as received and the endpoint's current secret",
    );
  });
});
