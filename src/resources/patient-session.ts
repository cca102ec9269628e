import { APIPromise, type WithResponse } from "../api-promise.js";
import { MedblocksError, unexpectedResponse } from "../errors.js";
import type { RequestOptions } from "../options.js";
import { MedblocksReturnUrlError, parseReturnUrl, type ReturnUrlInput } from "../return-url.js";
import type { Transport } from "../transport.js";
import type { PatientSession, ReturnUrlResult, SessionConnection } from "../types.js";
import { adopt, methodsOf, type ResourceMethods } from "./methods.js";

/** How a session ended, as the server sees it (the redirect alone proves nothing). */
export type ReturnOutcome = "connected" | "not_connected" | "failed" | "expired";

export interface VerifiedReturn {
  session: PatientSession;
  /** What the browser's return claimed; checked against `session`. */
  claimed: ReturnUrlResult;
  /**
   * From the session the server returned, never from the query string:
   * `connected`: at least one EHR link of this session is active (even if a
   * direct-mode return said `success=false`).
   * `failed`: none is, and a link needs the patient again (linking an EHR
   * failed, or access lapsed since) or a direct-mode return said
   * `success=false`.
   * `expired`: none is, nothing failed, and the session expired.
   * `not_connected`: the patient finished without connecting anything.
   */
  outcome: ReturnOutcome;
  /** The session's active links. */
  connected: SessionConnection[];
  /**
   * The session's links that need the patient again: those that `failed`
   * to be made, and those whose access lapsed since (`refresh_failed`, `expired`).
   */
  failed: SessionConnection[];
}

/** Who the return must belong to: your signed-in user, and the session your app started for them. */
export interface ExpectedReturn {
  /** The patient your app expects, from its own sign-in (never from the query string). */
  patientId: string;
  /** The `ps_` id of the session your app started for this user; any other session is refused. */
  sessionId?: string | undefined;
}

const LABEL = "mb.patientSession.verifyReturn";

/** A well-formed return that does not belong here: reason `mismatch`. */
const mismatch = (param: string, why: string) => new MedblocksReturnUrlError(param, "mismatch", `${LABEL}: ${why}`);

function requireString(value: unknown, param: string, what: string): void {
  if (typeof value !== "string" || value === "") {
    throw new MedblocksError({
      type: "invalid_request_error",
      code: "bad_request",
      message: `${LABEL}: \`${param}\` is required: ${what}`,
      param,
    });
  }
}

export interface PatientSessionResource extends ResourceMethods<"patientSession"> {}

/** `mb.patientSession`: start the hosted flow (`init`), and confirm how it ended (`verifyReturn`). */
export class PatientSessionResource {
  constructor(transport: Transport) {
    adopt(this, methodsOf(transport, "patientSession"));
  }

  /**
   * Confirms a return to your `return_url` with the server: parses it,
   * retrieves the session, and refuses the return unless it belongs to
   * `expected.patientId` (and, when given, is `expected.sessionId`) and the
   * session agrees with what the return claims (its id, its mode, the EHR a
   * direct-mode success names). The outcome comes from the session itself.
   *
   * @throws {MedblocksReturnUrlError} `reason` `missing`/`invalid`/… when
   *   the return is malformed; `mismatch` when it is another patient's or
   *   session's, or the session contradicts it (a replayed or forged return);
   *   `unknown_session` when the server knows no session by its id.
   */
  verifyReturn(input: ReturnUrlInput, expected: ExpectedReturn, options?: RequestOptions): APIPromise<VerifiedReturn> {
    return new APIPromise(this.#verify(input, expected, options));
  }

  async #verify(
    input: ReturnUrlInput,
    expected: ExpectedReturn,
    options: RequestOptions | undefined,
  ): Promise<WithResponse<VerifiedReturn>> {
    requireString(expected?.patientId, "patientId", "the patient your app expects, from its own session");
    if (expected.sessionId !== undefined)
      requireString(expected.sessionId, "sessionId", "the ps_ id of the session your app started, or left out");
    const claimed = parseReturnUrl(input);
    if (!claimed) {
      throw new MedblocksReturnUrlError("patient_session_id", "missing", `${LABEL}: the URL carries no Medblocks return`);
    }
    if (claimed.patient_id !== expected.patientId) throw mismatch("patient_id", "the return is for another patient than the one expected");
    if (expected.sessionId !== undefined && claimed.patient_session_id !== expected.sessionId) {
      throw mismatch("patient_session_id", "the return is for another session than the one your app started for this user");
    }
    const {
      data: session,
      response,
      requestId,
    } = await this.retrieve(claimed.patient_session_id, options)
      .withResponse()
      .catch((error: MedblocksError) => {
        // The API's own 404 (a proxy's page has no `code`): no session of this key stands behind the return.
        throw error.code === "resource_not_found"
          ? new MedblocksReturnUrlError("patient_session_id", "unknown_session", `${LABEL}: no such session for this API key`, error)
          : error;
      });
    const usable =
      typeof session.id === "string" &&
      typeof session.patient_id === "string" &&
      Array.isArray(session.connections) &&
      session.connections.every((connection) => typeof connection === "object" && connection !== null);
    if (!usable) throw unexpectedResponse(LABEL, "the session came back without its `id`, `patient_id` or `connections`", response.status);
    if (session.id !== claimed.patient_session_id)
      throw mismatch("patient_session_id", "the server returned another session than the one the return names");
    if (session.patient_id !== expected.patientId)
      throw mismatch("patient_id", "the session belongs to another patient than the one expected");
    const direct = typeof session.connection_id === "string";
    if ((claimed.mode === "direct") !== direct) {
      throw mismatch(
        "success",
        `the return says ${claimed.mode} mode, but the session was started in ${direct ? "direct" : "hosted"} mode`,
      );
    }
    if (claimed.success === true && !session.connections.some((connection) => connection.connection_id === claimed.connection_id)) {
      throw mismatch("connection_id", "the session has no connection to the EHR the return names");
    }
    const connected = session.connections.filter((connection) => connection.status === "active");
    // Every status but active and disconnected needs the patient to act again (reference §2.1).
    const failed = session.connections.filter((connection) => ["failed", "refresh_failed", "expired"].includes(connection.status));
    const outcome: ReturnOutcome =
      connected.length > 0
        ? "connected"
        : failed.length > 0 || claimed.success === false
          ? "failed"
          : session.status === "expired"
            ? "expired"
            : "not_connected";
    return { data: { session, claimed, outcome, connected, failed }, response, requestId };
  }
}
