/**
 * verifyReturn trusts the server, not the query string: it retrieves the
 * session, refuses another patient's, and derives the outcome from the
 * session's status and connections.
 */
import { describe, expect, it } from "vitest";
import { buildReturnUrl, MedblocksReturnUrlError, type ReturnUrlResult } from "../src/index.js";
import { fakeClient, json, SESSION } from "./support/fake-fetch.js";

const RETURN = "https://app.example.com/connected";
const hosted: ReturnUrlResult = { mode: "hosted", patient_id: "user_42", patient_session_id: SESSION.id };
const directFailure: ReturnUrlResult = { ...hosted, mode: "direct", success: false, error: "user_denied", error_description: null };

const attempt = (status: string, id: string | null = "conn_1") => ({
  id,
  connection_id: "fhirsrc_1",
  status,
  failure_code: status === "failed" ? "user_denied" : null,
  failure_at: status === "failed" ? "2026-04-25T14:33:02.000Z" : null,
  created_at: "2026-04-25T14:32:40.000Z",
});

function verify(session: object, claimed: ReturnUrlResult = hosted, patientId = "user_42") {
  const { mb, requests } = fakeClient(() => json({ ...SESSION, ...session }));
  const result = mb.patientSession.verifyReturn(buildReturnUrl(RETURN, claimed), { patientId });
  return { result, requests };
}

describe("mb.patientSession.verifyReturn", () => {
  it.each([
    ["connected", { status: "complete", connections: [attempt("failed", null), attempt("active")] }, hosted, 1, 1],
    ["not_connected", { status: "complete", connections: [] }, hosted, 0, 0],
    ["not_connected", { status: "open", connections: [] }, hosted, 0, 0],
    ["failed", { status: "complete", connections: [attempt("failed", null)] }, hosted, 0, 1],
    ["failed", { status: "complete", connections: [] }, directFailure, 0, 0],
    ["expired", { status: "expired", connections: [] }, hosted, 0, 0],
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

  it("refuses a session that the server says belongs to another patient", async () => {
    const { result } = verify({ patient_id: "someone_else", connections: [attempt("active")] });
    await expect(result).rejects.toMatchObject({ name: "MedblocksReturnUrlError", param: "patient_id", reason: "invalid" });
  });

  it("refuses, without a request, a return that names another patient", async () => {
    const { result, requests } = verify({}, hosted, "user_43");
    await expect(result).rejects.toBeInstanceOf(MedblocksReturnUrlError);
    expect(requests).toHaveLength(0);
  });

  it("refuses a URL that is no Medblocks return", async () => {
    const { mb, requests } = fakeClient(() => json(SESSION));
    await expect(mb.patientSession.verifyReturn(RETURN, { patientId: "user_42" })).rejects.toMatchObject({
      param: "patient_session_id",
      reason: "missing",
    });
    await expect(mb.patientSession.verifyReturn(`${RETURN}?patient_session_id=${SESSION.id}&patient_id=user_42`, { patientId: "" })).rejects.toMatchObject({
      param: "patientId",
    });
    expect(requests).toHaveLength(0);
  });
});
