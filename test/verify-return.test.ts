/**
 * verifyReturn trusts the server, not the query string: it retrieves the
 * session, refuses a return that is another patient's or session's or that
 * the session contradicts (reason `mismatch`) or the server does not know
 * (reason `unknown_session`), and derives the outcome from the session's
 * status and connections.
 */
import { describe, expect, it } from "vitest";
import { buildReturnUrl, isMedblocksError, MedblocksReturnUrlError, type ReturnUrlResult } from "../src/index.js";
import { fakeClient, json, SESSION } from "./support/fake-fetch.js";

const RETURN = "https://app.example.com/connected";
const EHR = "fhirsrc_02Zh2bnvRoWQJYgOAkI0Twcc";
const OTHER_EHR = "fhirsrc_0a9Ea55aR4u7HaWMyFBN8wcc";
const OLDER_SESSION = "ps_01J9YP0000OLDERSESSION00000";
const hosted: ReturnUrlResult = { mode: "hosted", patient_id: "user_42", patient_session_id: SESSION.id };
const directSuccess: ReturnUrlResult = { ...hosted, mode: "direct", success: true, connection_id: EHR };
const directFailure: ReturnUrlResult = { ...hosted, mode: "direct", success: false, error: "user_denied", error_description: null };
/** A session started in direct mode for EHR. */
const DIRECT = { connection_id: EHR, recommended_connection_ids: null };

const attempt = (status: string, id: string | null = "conn_1", connectionId = EHR) => ({
  id,
  connection_id: connectionId,
  status,
  failure_code: status === "failed" ? "user_denied" : null,
  failure_at: status === "failed" ? "2026-04-25T14:33:02.000Z" : null,
  created_at: "2026-04-25T14:32:40.000Z",
});

function verify(
  session: object,
  claimed: ReturnUrlResult = hosted,
  expected: { patientId: string; sessionId?: string } = { patientId: "user_42" },
) {
  const { mb, requests } = fakeClient(() => json({ ...SESSION, ...session }));
  const result = mb.patientSession.verifyReturn(buildReturnUrl(RETURN, claimed), expected);
  return { result, requests };
}

async function refusal(result: Promise<unknown>): Promise<MedblocksReturnUrlError> {
  const error = await result.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(MedblocksReturnUrlError);
  return error as MedblocksReturnUrlError;
}

describe("mb.patientSession.verifyReturn", () => {
  it.each([
    ["connected", { status: "complete", connections: [attempt("failed", null), attempt("active")] }, hosted, 1, 1],
    ["not_connected", { status: "complete", connections: [] }, hosted, 0, 0],
    ["not_connected", { status: "open", connections: [] }, hosted, 0, 0],
    ["failed", { status: "complete", connections: [attempt("failed", null)] }, hosted, 0, 1],
    ["failed", { ...DIRECT, status: "complete", connections: [] }, directFailure, 0, 0],
    ["connected", { ...DIRECT, status: "complete", connections: [attempt("active")] }, directSuccess, 1, 0],
    ["expired", { status: "expired", connections: [] }, hosted, 0, 0],
    ["failed", { status: "complete", connections: [attempt("refresh_failed")] }, hosted, 0, 1],
    ["failed", { status: "complete", connections: [attempt("expired")] }, hosted, 0, 1],
  ] as const)("derives %s", async (outcome, session, claimed, connected, failed) => {
    const { result, requests } = verify(session, claimed);
    const verified = await result;
    expect(verified.outcome).toBe(outcome);
    expect(verified.connected).toHaveLength(connected);
    expect(verified.failed).toHaveLength(failed);
    expect(verified.session.id).toBe(SESSION.id);
    expect(verified.claimed).toEqual(claimed);
    expect(requests[0]!.url.pathname).toBe(`/patient-sessions/${SESSION.id}`);
  });

  it("does not take a complete session alone for a connection", async () => {
    const { result } = verify({ status: "complete", connections: [attempt("disconnected")] });
    expect((await result).outcome).toBe("not_connected");
  });

  it("follows the session when a direct-mode failure return meets an active link: connected", async () => {
    const { result } = verify({ ...DIRECT, status: "complete", connections: [attempt("active")] }, directFailure);
    expect((await result).outcome).toBe("connected");
  });

  it("follows the session when a direct-mode success return meets a failed link: failed", async () => {
    const { result } = verify({ ...DIRECT, status: "complete", connections: [attempt("failed", null)] }, directSuccess);
    expect((await result).outcome).toBe("failed");
  });

  it("gives the session's response and request id with withResponse()", async () => {
    const { mb } = fakeClient(() => json({ ...SESSION, connections: [attempt("active")] }, 200, { "x-request-id": "req_verify" }));
    const { data, response, requestId } = await mb.patientSession
      .verifyReturn(buildReturnUrl(RETURN, hosted), { patientId: "user_42" })
      .withResponse();
    expect(data.outcome).toBe("connected");
    expect(response.status).toBe(200);
    expect(requestId).toBe("req_verify");
  });

  describe("refuses with reason mismatch", () => {
    it("a session the server says belongs to another patient", async () => {
      const error = await refusal(verify({ patient_id: "someone_else", connections: [attempt("active")] }).result);
      expect(error).toMatchObject({ param: "patient_id", reason: "mismatch", type: "return_url_error", code: "invalid_return_url" });
      expect(error.message).toContain("the session belongs to another patient than the one expected");
    });

    it("a return that names another patient, without a request", async () => {
      const { result, requests } = verify({}, hosted, { patientId: "user_43" });
      const error = await refusal(result);
      expect(error).toMatchObject({ param: "patient_id", reason: "mismatch" });
      expect(error.message).toContain("the return is for another patient than the one expected");
      expect(requests).toHaveLength(0);
    });

    it("a retrieved session whose id differs from the returned patient_session_id", async () => {
      const error = await refusal(verify({ id: OLDER_SESSION, connections: [attempt("active")] }).result);
      expect(error).toMatchObject({ param: "patient_session_id", reason: "mismatch" });
      expect(error.message).toContain("the server returned another session than the one the return names");
    });

    it("an older successful session of the same patient when the app's session is expected (a replay)", async () => {
      const replay: ReturnUrlResult = { ...hosted, patient_session_id: OLDER_SESSION };
      const { result, requests } = verify({ id: OLDER_SESSION, status: "complete", connections: [attempt("active")] }, replay, {
        patientId: "user_42",
        sessionId: SESSION.id,
      });
      const error = await refusal(result);
      expect(error).toMatchObject({ param: "patient_session_id", reason: "mismatch" });
      expect(error.message).toContain("the return is for another session than the one your app started for this user");
      expect(error.message).not.toContain(OLDER_SESSION);
      expect(requests).toHaveLength(0);
    });

    it("accepts the expected session", async () => {
      const { result } = verify({ status: "complete", connections: [attempt("active")] }, hosted, {
        patientId: "user_42",
        sessionId: SESSION.id,
      });
      expect((await result).outcome).toBe("connected");
    });

    it("a direct-mode success naming an EHR none of the session's connections holds", async () => {
      const claimed: ReturnUrlResult = { ...directSuccess, connection_id: OTHER_EHR };
      const error = await refusal(verify({ ...DIRECT, status: "complete", connections: [attempt("active")] }, claimed).result);
      expect(error).toMatchObject({ param: "connection_id", reason: "mismatch" });
      expect(error.message).toContain("the session has no connection to the EHR the return names");
    });

    it("a direct-mode return for a session started in hosted mode", async () => {
      const error = await refusal(verify({ status: "complete", connections: [attempt("active")] }, directSuccess).result);
      expect(error).toMatchObject({ param: "success", reason: "mismatch" });
      expect(error.message).toContain("the return says direct mode, but the session was started in hosted mode");
    });

    it("a hosted-page return for a session started in direct mode", async () => {
      const error = await refusal(verify({ ...DIRECT, status: "complete", connections: [attempt("active")] }, hosted).result);
      expect(error).toMatchObject({ param: "success", reason: "mismatch" });
    });
  });

  describe("refuses with reason unknown_session", () => {
    const NOT_FOUND = {
      error: {
        type: "not_found_error",
        code: "resource_not_found",
        message: "No such patient session.",
        param: "id",
        doc_url: null,
        request_id: "req_404",
      },
    };

    it("a well-formed session id the server does not know, with the API's 404 as its cause", async () => {
      const { mb } = fakeClient(() => json(NOT_FOUND, 404));
      const error = await refusal(mb.patientSession.verifyReturn(buildReturnUrl(RETURN, hosted), { patientId: "user_42" }));
      expect(error).toMatchObject({
        param: "patient_session_id",
        reason: "unknown_session",
        type: "return_url_error",
        code: "invalid_return_url",
      });
      expect(isMedblocksError(error)).toBe(true);
      expect(error.cause).toMatchObject({ statusCode: 404, code: "resource_not_found", requestId: "req_404" });
      expect(error.message).toMatch(/no such session for this API key/);
      expect(error.message).not.toContain(SESSION.id);
    });

    it("but a 404 that is not the API's envelope (a wrong baseUrl) stays what it is", async () => {
      const { mb } = fakeClient(() => new Response("<h1>Not Found</h1>", { status: 404, headers: { "content-type": "text/html" } }));
      const error = await mb.patientSession.verifyReturn(buildReturnUrl(RETURN, hosted), { patientId: "user_42" }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).not.toBeInstanceOf(MedblocksReturnUrlError);
      expect(error).toMatchObject({ statusCode: 404, code: "unexpected_response" });
    });
  });

  it.each([
    ["no connections list", { connections: undefined }],
    ["a null connection", { connections: [null] }],
    ["no id", { id: undefined }],
  ])("answers a session body with %s with unexpected_response, not a TypeError", async (_name, session) => {
    const error = await verify(session).result.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(isMedblocksError(error) && error.code).toBe("unexpected_response");
    expect((error as Error).message).toContain("the session came back without its `id`, `patient_id` or `connections`");
  });

  it("refuses a URL that is no Medblocks return, and a missing patientId or bad sessionId, before any request", async () => {
    const { mb, requests } = fakeClient(() => json(SESSION));
    await expect(mb.patientSession.verifyReturn(RETURN, { patientId: "user_42" })).rejects.toMatchObject({
      param: "patient_session_id",
      reason: "missing",
    });
    const url = `${RETURN}?patient_session_id=${SESSION.id}&patient_id=user_42`;
    await expect(mb.patientSession.verifyReturn(url, { patientId: "" })).rejects.toMatchObject({ param: "patientId", code: "bad_request" });
    await expect(mb.patientSession.verifyReturn(url, { patientId: "user_42", sessionId: "" })).rejects.toMatchObject({
      param: "sessionId",
    });
    expect(requests).toHaveLength(0);
  });
});
