/**
 * How a patient's visit to an EHR ends, and what each ending does: the
 * link's status and failure code, the session's attempt, the events, and the
 * direct-mode return parameters. One table, used by `completeSession` (and,
 * next, by the hosted page), so every way of reaching an outcome agrees.
 */
import { ID_PREFIXES } from "../spec.js";
import type { FhirSource } from "./catalog.js";
import { iso } from "./clock.js";
import { recordCount } from "../fhir/generate.js";
import type { LinkRow, SessionRow } from "../state/rows.js";
import type { Workspace } from "../state/workspace.js";
import { linkAsSessionConnection } from "../api/objects.js";
import { emit } from "./events.js";

export interface Outcome {
  /** Whether the patient authorized the EHR: a link is made and turns `active`. */
  authorized: boolean;
  /** For an unauthorized outcome, the attempt's `failure_code` and the direct-mode return's `error`. */
  failureCode?: string;
  /** What happens after authorizing: the first pull of records fails, or access lapses. */
  after?: "sync_failed" | "refresh_failed" | "expired";
  /** What happened, for developers (the direct-mode return's `error_description`). */
  description: string;
}

/** Every outcome, by the name `completeSession` takes: `approve`, `deny`, or a failure by its code. */
export const OUTCOMES = {
  approve: { authorized: true, description: "The patient authorized access and the first pull of records completed." },
  deny: { authorized: false, failureCode: "user_denied", description: "The patient declined to share their records." },
  oauth_callback_failed: {
    authorized: false,
    failureCode: "oauth_callback_failed",
    description: "The EHR's authorization callback failed.",
  },
  token_exchange_failed: {
    authorized: false,
    failureCode: "token_exchange_failed",
    description: "The EHR did not exchange the authorization code for an access token.",
  },
  ehr_unavailable: { authorized: false, failureCode: "ehr_unavailable", description: "The EHR's authorization server did not answer." },
  records_sync_failed: {
    authorized: true,
    after: "sync_failed",
    description: "The patient authorized access, but the first pull of records failed.",
  },
  token_refresh_failed: {
    authorized: true,
    after: "refresh_failed",
    description: "The patient authorized access and records were pulled, then refreshing the EHR's token failed.",
  },
  access_expired: {
    authorized: true,
    after: "expired",
    description: "The patient authorized access and records were pulled, then the access expired without a refresh token.",
  },
} as const satisfies Record<string, Outcome>;

export type OutcomeName = keyof typeof OUTCOMES;
export const OUTCOME_NAMES = Object.keys(OUTCOMES) as OutcomeName[];

/** The SMART scopes an authorized link holds. */
const GRANTED_SCOPES = ["launch/patient", "openid", "fhirUser", "offline_access", "patient/*.read"];

/** A stable, plausible pull time for a link's records. */
const pullDurationMs = (total: number) => 800 + total * 9;

function linkFor(workspace: Workspace, session: SessionRow, source: FhirSource, now: number): { link: LinkRow; existed: boolean } {
  const existing = workspace.linkOf(session.patient_id, source.id);
  if (existing) return { link: existing, existed: true };
  const link = workspace.addLink({
    seq: workspace.nextSeq(),
    id: workspace.newId(ID_PREFIXES.ConnectionId),
    patient_id: session.patient_id,
    connection_id: source.id,
    patient_session_id: session.id,
    status: "failed",
    scopes: [],
    failure_code: null,
    failure_at: null,
    created_at: iso(now),
    updated_at: iso(now),
    synced_at: null,
  });
  return { link, existed: false };
}

/** One visit to one EHR during an open session, ending in `outcome`. */
export function attempt(workspace: Workspace, session: SessionRow, source: FhirSource, name: OutcomeName, now: number): void {
  const outcome: Outcome = OUTCOMES[name];
  const at = iso(now);
  const { link, existed } = linkFor(workspace, session, source, now);
  if (!outcome.authorized) {
    // An active link keeps working when a new authorization fails; any other link records the failure.
    if (link.status !== "active")
      workspace.links.update(link, { status: "failed", failure_code: outcome.failureCode!, failure_at: at, updated_at: at });
    const failed = {
      link_id: existed ? link.id : null,
      connection_id: source.id,
      failure_code: outcome.failureCode!,
      failure_at: at,
      created_at: at,
    };
    workspace.sessions.update(session, { attempts: [...session.attempts, failed] });
    return;
  }
  workspace.links.update(link, {
    status: "active",
    patient_session_id: session.id,
    scopes: GRANTED_SCOPES,
    failure_code: null,
    failure_at: null,
    updated_at: at,
  });
  const connected = { link_id: link.id, connection_id: source.id, failure_code: null, failure_at: null, created_at: at };
  workspace.sessions.update(session, { attempts: [...session.attempts, connected] });
  if (outcome.after === "sync_failed") {
    emit(
      workspace,
      "records.sync.failed",
      {
        resource_type: "records_sync",
        patient_id: session.patient_id,
        connection_id: source.id,
        error_message: "The EHR's FHIR server answered 503 Service Unavailable for every resource type.",
      },
      now,
    );
    return;
  }
  if (link.synced_at === null) workspace.links.update(link, { synced_at: at });
  const total = recordCount(session.patient_id, source);
  emit(
    workspace,
    "records.sync.completed",
    {
      resource_type: "records_sync",
      patient_id: session.patient_id,
      connection_id: source.id,
      total,
      errors: 0,
      duration_ms: pullDurationMs(total),
    },
    now,
  );
  if (outcome.after === "refresh_failed") {
    workspace.links.update(link, { status: "refresh_failed", updated_at: at });
    emit(workspace, "connection.token_refresh_failed", linkAsSessionConnection(link), now);
  } else if (outcome.after === "expired") {
    workspace.links.update(link, { status: "expired", updated_at: at });
  }
}

/**
 * The URL the browser lands on: `return_url` (its own query kept) with
 * `patient_id` and `patient_session_id`, and in direct mode `success` with
 * `connection_id`, or `error` and `error_description`.
 */
export function returnUrl(session: SessionRow, direct?: { source: FhirSource; outcome: OutcomeName }): string {
  const added = new URLSearchParams({ patient_id: session.patient_id, patient_session_id: session.id });
  if (direct) {
    const outcome: Outcome = OUTCOMES[direct.outcome];
    if (outcome.authorized) {
      added.append("success", "true");
      added.append("connection_id", direct.source.id);
    } else {
      added.append("success", "false");
      added.append("error", outcome.failureCode!);
      added.append("error_description", outcome.description);
    }
  }
  // `return_url` is kept byte for byte, its own query too (an app may sign it): ours goes after that query, before any fragment.
  const given = session.return_url;
  const hashAt = given.includes("#") ? given.indexOf("#") : given.length;
  const before = given.slice(0, hashAt);
  const joiner = !before.includes("?") ? "?" : /[?&]$/.test(before) ? "" : "&";
  return `${before}${joiner}${added}${given.slice(hashAt)}`;
}
