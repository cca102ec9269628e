/**
 * Patient sessions: their EHRs, and how they complete.
 */
import { findSource, type FhirSource } from "../catalog.js";
import { iso } from "../clock.js";
import { ApiError, notFound } from "../errors.js";
import type { SessionRecord } from "../state/records.js";
import type { Workspace } from "../state/workspace.js";
import { sessionStatus, sessionWire } from "../wire.js";
import { emit } from "./events.js";
import { attempt, returnUrl, type OutcomeName } from "./outcomes.js";

/** A catalog EHR named in a request by `fhirsrc_` id or `fhir_base_url`; 404 naming `param` otherwise. */
export function sourceParam(idOrBaseUrl: string, param: string): FhirSource {
  const source = findSource(idOrBaseUrl);
  if (!source) throw notFound("EHR in the catalog", param);
  return source;
}

export function requireSession(workspace: Workspace, id: string): SessionRecord {
  const session = workspace.sessions.get(id);
  if (!session) throw notFound("patient session");
  return session;
}

export interface Completion {
  /** How the visit to the EHR ended; leave out (hosted mode only) for a patient who returns without connecting. */
  outcome?: OutcomeName;
  /** The EHR (`fhirsrc_` id or `fhir_base_url`): required with an outcome in hosted mode; in direct mode, the session's own. */
  connection_id?: string;
}

/**
 * Completes an open session as the patient's browser would: the visit to one
 * EHR with its outcome, then the return. Announces `patient_session.completed`
 * and returns the URL the browser lands on.
 */
export function completeSession(workspace: Workspace, session: SessionRecord, completion: Completion, now: number, baseUrl: string): string {
  const status = sessionStatus(session, now);
  if (status !== "open") {
    throw new ApiError(409, "resource_conflict", `The patient session is ${status}: only an open session can complete.`, "id");
  }
  const direct = session.connection_id !== null;
  let source: FhirSource | undefined;
  if (completion.connection_id !== undefined) {
    source = sourceParam(completion.connection_id, "connection_id");
    if (direct && source.id !== session.connection_id) {
      throw new ApiError(400, "invalid_data", "`connection_id` must be the session's own EHR: a direct-mode session connects only to it.", "connection_id");
    }
  } else if (direct) {
    source = findSource(session.connection_id!);
  }
  if (completion.outcome === undefined) {
    if (direct) throw new ApiError(400, "bad_request", "`outcome` is required: a direct-mode session ends at its EHR.", "outcome");
    if (source) throw new ApiError(400, "bad_request", "`outcome` is required with `connection_id`: how did the visit to the EHR end?", "outcome");
  } else {
    if (!source) throw new ApiError(400, "bad_request", "`connection_id` is required with an `outcome` in hosted mode: which EHR did the patient pick?", "connection_id");
    attempt(workspace, session, source, completion.outcome, now);
  }
  session.completed_at = iso(now);
  emit(workspace, "patient_session.completed", sessionWire(workspace, session, now, baseUrl), now);
  return returnUrl(session, direct ? { source: source!, outcome: completion.outcome! } : undefined);
}
