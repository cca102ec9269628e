import { MedblocksError } from "../errors.js";
import { MedblocksReturnUrlError, parseReturnUrl, type ReturnUrlInput } from "../return-url.js";
import type { RequestOptions, Transport } from "../transport.js";
import type { PatientSession, PatientSessionInitParams, ReturnUrlResult, SessionConnection } from "../types.js";

/** How a session ended, as the server sees it (the redirect alone proves nothing). */
export type ReturnOutcome = "connected" | "not_connected" | "failed" | "expired";

export interface VerifiedReturn {
  session: PatientSession;
  /** What the browser's return claimed; verified against `session`. */
  claimed: ReturnUrlResult;
  /**
   * `connected`: at least one EHR link of this session is active.
   * `failed`: none is, and an attempt failed (or the direct-mode return said so).
   * `expired`: none is, and the session expired.
   * `not_connected`: the patient finished without connecting anything.
   */
  outcome: ReturnOutcome;
  /** The session's active links. */
  connected: SessionConnection[];
  /** The session's failed attempts. */
  failed: SessionConnection[];
}

/** `mb.patientSession`: start the hosted flow and confirm how it ended. */
export class PatientSessionResource {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Starts a session; send the patient's browser to the returned `url`.
   * Creates the patient when `patient_id` is new. Not retried after it may
   * have reached the server: the API has no idempotency key.
   */
  init(params: PatientSessionInitParams, options?: RequestOptions): Promise<PatientSession> {
    return this.#transport.request("api.initPatientSession", "mb.patientSession.init", { body: params }, options);
  }

  /** A session by its `ps_` id, with its status and connection attempts. */
  retrieve(id: string, options?: RequestOptions): Promise<PatientSession> {
    const path = { id };
    return this.#transport.request("api.retrievePatientSession", "mb.patientSession.retrieve", { path }, options);
  }

  /**
   * Confirms a return to your `return_url` with the server: parses it,
   * retrieves the session, refuses a session of any patient but `patientId`
   * (the query string is never trusted), and derives the outcome from the
   * session's status and connections.
   *
   * @throws {MedblocksReturnUrlError} when the return is missing, malformed,
   *   or names another patient (`reason` `invalid`, `param` `patient_id`).
   */
  async verifyReturn(
    input: ReturnUrlInput,
    expected: { patientId: string },
    options?: RequestOptions,
  ): Promise<VerifiedReturn> {
    const label = "mb.patientSession.verifyReturn";
    const claimed = parseReturnUrl(input);
    if (!claimed) {
      throw new MedblocksReturnUrlError("patient_session_id", "missing", `${label}: the URL carries no Medblocks return`);
    }
    if (typeof expected?.patientId !== "string" || expected.patientId === "") {
      throw new MedblocksError({
        type: "invalid_request_error",
        code: "bad_request",
        message: `${label}: \`patientId\` is required: the patient your app expects, from its own session`,
        param: "patientId",
      });
    }
    const mismatch = () =>
      new MedblocksReturnUrlError("patient_id", "invalid", `${label}: the return is for another patient than the one expected`);
    if (claimed.patient_id !== expected.patientId) throw mismatch();
    const session = await this.retrieve(claimed.patient_session_id, options);
    if (session.patient_id !== expected.patientId) throw mismatch();
    const connected = session.connections.filter((connection) => connection.status === "active");
    const failed = session.connections.filter((connection) => connection.status === "failed");
    const outcome: ReturnOutcome =
      connected.length > 0
        ? "connected"
        : failed.length > 0 || claimed.success === false
          ? "failed"
          : session.status === "expired"
            ? "expired"
            : "not_connected";
    return { session, claimed, outcome, connected, failed };
  }
}
