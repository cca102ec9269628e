/**
 * Patient sessions: their EHRs, and how they complete.
 */
import { ID_PREFIXES } from "../spec.js";
import { findSource, type FhirSource } from "./catalog.js";
import { iso } from "./clock.js";
import { ApiError, notFound } from "../errors.js";
import { urlToken } from "./random.js";
import type { SessionRow } from "../state/rows.js";
import type { Workspace } from "../state/workspace.js";
import { sessionStatus, sessionObject } from "../api/objects.js";
import { emit } from "./events.js";
import { attempt, returnUrl, type OutcomeName } from "./outcomes.js";

/** A catalog EHR named in a request by `fhirsrc_` id or `fhir_base_url`; 404 naming `param` otherwise. */
export function sourceParam(idOrBaseUrl: string, param: string): FhirSource {
  const source = findSource(idOrBaseUrl);
  if (!source) throw notFound("EHR in the catalog", param);
  return source;
}

export function requireSession(workspace: Workspace, id: string): SessionRow {
  const session = workspace.sessions.get(id);
  if (!session) throw notFound("patient session");
  return session;
}

/** What a new session is made of (EHRs by `fhirsrc_` id), and how long it lasts in seconds. */
export type NewSession = Pick<
  SessionRow,
  "patient_id" | "connection_id" | "recommended_connection_ids" | "return_url" | "return_button_label" | "metadata"
> & {
  expires_in: number;
};

/** Opens a session; its `url` carries a fresh unguessable token. */
export function openSession(workspace: Workspace, fields: NewSession, now: number): SessionRow {
  const { expires_in: expiresIn, ...rest } = fields;
  return workspace.addSession({
    seq: workspace.nextSeq(),
    id: workspace.newId(ID_PREFIXES.PatientSessionId),
    token: urlToken(),
    ...rest,
    created_at: iso(now),
    expires_at: iso(now + expiresIn * 1000),
    completed_at: null,
    attempts: [],
  });
}

export interface Completion {
  /** How the visit to the EHR ended; leave out (hosted mode only) for a patient who returns without connecting. */
  outcome?: OutcomeName;
  /** The EHR (`fhirsrc_` id or `fhir_base_url`): required with an outcome in hosted mode; in direct mode, the session's own. */
  connection_id?: string;
}

/**
 * The EHR a completion visits, checked against what a browser could do: in
 * direct mode (`own`, the session's EHR) only that one, and always with an
 * outcome; in hosted mode, an outcome needs an EHR and an EHR an outcome.
 * Undefined: the patient returns without visiting one (hosted mode).
 */
export function completionSource(completion: Completion, own: string | null): FhirSource | undefined {
  const source =
    completion.connection_id !== undefined
      ? sourceParam(completion.connection_id, "connection_id")
      : own !== null
        ? findSource(own)
        : undefined;
  if (own !== null && source && source.id !== own) {
    throw new ApiError(
      400,
      "invalid_data",
      "`connection_id` must be the session's own EHR: a direct-mode session connects only to it.",
      "connection_id",
    );
  }
  if (completion.outcome === undefined) {
    if (own !== null) throw new ApiError(400, "bad_request", "`outcome` is required: a direct-mode session ends at its EHR.", "outcome");
    if (source)
      throw new ApiError(400, "bad_request", "`outcome` is required with `connection_id`: how did the visit to the EHR end?", "outcome");
  } else if (!source) {
    throw new ApiError(
      400,
      "bad_request",
      "`connection_id` is required with an `outcome` in hosted mode: which EHR did the patient pick?",
      "connection_id",
    );
  }
  return source;
}

/**
 * The patient leaves: the session completes, `patient_session.completed` is
 * announced, and the URL the browser lands on is returned. `direct` is the
 * visit that ended a direct-mode session.
 */
export function finishSession(
  workspace: Workspace,
  session: SessionRow,
  now: number,
  baseUrl: string,
  direct?: { source: FhirSource; outcome: OutcomeName },
): string {
  // What could fail is made before the session changes: the landing URL, then the announcement.
  const completedAt = iso(now);
  const landing = returnUrl(session, direct);
  emit(workspace, "patient_session.completed", sessionObject(workspace, { ...session, completed_at: completedAt }, now, baseUrl), now);
  workspace.sessions.update(session, { completed_at: completedAt });
  return landing;
}

/**
 * Completes an open session as the patient's browser would: the visit to one
 * EHR with its outcome, then the return. Announces `patient_session.completed`
 * and returns the URL the browser lands on.
 */
export function completeSession(workspace: Workspace, session: SessionRow, completion: Completion, now: number, baseUrl: string): string {
  const status = sessionStatus(session, now);
  if (status !== "open") {
    throw new ApiError(409, "resource_conflict", `The patient session is ${status}: only an open session can complete.`, "id");
  }
  const source = completionSource(completion, session.connection_id);
  if (!source || completion.outcome === undefined) return finishSession(workspace, session, now, baseUrl);
  attempt(workspace, session, source, completion.outcome, now);
  return finishSession(
    workspace,
    session,
    now,
    baseUrl,
    session.connection_id !== null ? { source, outcome: completion.outcome } : undefined,
  );
}
