/**
 * One session's journey, in the order it happened: started, each request
 * for its hosted page, each visit's outcome at an EHR, the return (or the
 * expiry), the events it caused and every delivery attempt of them, and
 * the next attempt the schedule plans. Built from the workspace's records
 * (which the state file keeps) and the page visits (in memory: see
 * http/activity.ts). An event belongs to the session when it is about it: its
 * `patient_session.completed`, and the `records.sync.*` and
 * `connection.token_refresh_failed` of the patient's EHRs that this
 * session's visits made, while it was open.
 */
import { findSource } from "../domain/catalog.js";
import { OUTCOME_NAMES, OUTCOMES, type OutcomeName } from "../domain/outcomes.js";
import { returnUrl } from "../domain/outcomes.js";
import type { PageVisit } from "../http/activity.js";
import type { EventRow, SessionRow } from "../state/rows.js";
import type { Workspace } from "../state/workspace.js";
import { sessionConnectionObject, sessionStatus } from "../api/objects.js";
import { attemptWhy, timeText } from "./parts.js";

/** One line of the timeline. `rank` orders what happened in the same millisecond, cause before effect. */
export interface Moment {
  at: number;
  rank: number;
  kind: "started" | "visit" | "outcome" | "returned" | "expired" | "event" | "delivery" | "next";
  /** What happened, in words. */
  text: string;
  /** The event it is about, for a link to its page. */
  eventId?: string;
  /** For `returned`: where the browser lands. */
  landing?: string;
}

const ehrName = (id: string | null) => (id === null ? "an unknown health system" : (findSource(id)?.name ?? id));

/** The outcome an attempt ended in: approve for any authorized one (they return alike), else the one with its failure code. */
function outcomeOf(failureCode: string | null): OutcomeName {
  if (failureCode === null) return "approve";
  return OUTCOME_NAMES.find((name) => (OUTCOMES[name] as { failureCode?: string }).failureCode === failureCode) ?? "deny";
}

/**
 * Where the patient's browser landed when the session completed: the
 * return URL the hosted page (or `completeSession`) sent it to.
 */
export function landingOf(session: SessionRow): string | null {
  if (session.completed_at === null) return null;
  if (session.connection_id === null) return returnUrl(session);
  const last = session.attempts.at(-1);
  const source = findSource(session.connection_id);
  return source && last ? returnUrl(session, { source, outcome: outcomeOf(last.failure_code) }) : returnUrl(session);
}

/** What a request for the hosted page meant. */
function visitText(session: SessionRow, visit: PageVisit): string {
  const request = `${visit.method} ${visit.route} → ${visit.status}`;
  if (visit.status === 410) return `${request}: the page said the link is no longer usable (expired or already used)`;
  if (visit.status === 403) return `${request}: a form was refused (it did not come from the page)`;
  if (visit.status >= 400) return `${request}: the page answered with an error`;
  const ehr = ehrName(visit.connectionId ?? session.connection_id);
  if (visit.method === "GET") {
    return visit.route === "/c/{token}" && session.connection_id === null
      ? `${request}: the patient opened the hosted page (the health system picker)`
      : `${request}: the patient opened the sign-in of ${ehr}`;
  }
  if (visit.route === "/c/{token}/return") return `${request}: the patient went back to the app`;
  return `${request}: the patient chose an outcome at ${ehr}`;
}

/** Whether the event is about this session (see the file's comment). */
function aboutSession(session: SessionRow, event: EventRow): boolean {
  const object = event.data.object as { id?: unknown; patient_id?: unknown; connection_id?: unknown };
  if (event.type === "patient_session.completed") return object.id === session.id;
  const at = Date.parse(event.created_at);
  const open = at >= Date.parse(session.created_at) && (session.completed_at === null || at <= Date.parse(session.completed_at));
  if (!open) return false;
  if (event.type === "connection.token_refresh_failed")
    return session.attempts.some((attempt) => attempt.link_id !== null && attempt.link_id === object.id);
  return object.patient_id === session.patient_id && session.attempts.some((attempt) => attempt.connection_id === object.connection_id);
}

/** The events the session caused, in the order they were recorded. */
export const sessionEvents = (workspace: Workspace, session: SessionRow): EventRow[] =>
  workspace.events.all().filter((event) => aboutSession(session, event));

/** The session's timeline, oldest first. */
export function timeline(workspace: Workspace, session: SessionRow, visits: PageVisit[], now: number): Moment[] {
  const moments: Moment[] = [];
  const mode =
    session.connection_id === null
      ? `hosted mode${session.recommended_connection_ids?.length ? `, ${session.recommended_connection_ids.length} suggested` : ""}`
      : `direct mode, to ${ehrName(session.connection_id)}`;
  moments.push({
    at: Date.parse(session.created_at),
    rank: 0,
    kind: "started",
    text: `Started (POST /patient-sessions): ${mode}; expires at ${timeText(session.expires_at)}`,
  });
  // Going back to the app follows the visits' outcomes and their events, and comes before the return itself.
  for (const visit of visits)
    moments.push({ at: visit.at, rank: visit.route === "/c/{token}/return" ? 3.5 : 1, kind: "visit", text: visitText(session, visit) });
  for (const attempt of session.attempts) {
    const ehr = ehrName(attempt.connection_id);
    const connection = sessionConnectionObject(workspace, attempt);
    const text =
      attempt.failure_code === null
        ? `The visit to ${ehr} ended authorized: link ${attempt.link_id} (now ${connection.status})`
        : `The visit to ${ehr} ended in ${attempt.failure_code}: ${OUTCOMES[outcomeOf(attempt.failure_code)].description}`;
    moments.push({ at: Date.parse(attempt.created_at), rank: 2, kind: "outcome", text });
  }
  const landing = landingOf(session);
  if (session.completed_at !== null) {
    moments.push({
      at: Date.parse(session.completed_at),
      rank: 4,
      kind: "returned",
      text: "Completed: the patient's browser returns to the app",
      landing: landing!,
    });
  } else if (sessionStatus(session, now) === "expired") {
    moments.push({
      at: Date.parse(session.expires_at),
      rank: 4,
      kind: "expired",
      text: "Expired: the workspace's clock reached expires_at before the patient returned",
    });
  }
  for (const event of sessionEvents(workspace, session)) {
    const rank = event.type === "patient_session.completed" ? 5 : 3;
    moments.push({
      at: Date.parse(event.created_at),
      rank,
      kind: "event",
      text: `Event ${event.type} ${event.id} recorded for endpoint ${event.webhook_endpoint_id}`,
      eventId: event.id,
    });
    const attempts = event.delivery_attempts ?? [];
    const dropped = event.attempts - attempts.length;
    attempts.forEach((attempt, index) => {
      const number = dropped + index + 1;
      const result =
        attempt.result === "not_sent" ? "not sent" : `${attempt.result}${attempt.status_code === null ? "" : ` ${attempt.status_code}`}`;
      const why = attempt.result === "delivered" && attempt.fault === null ? "" : attemptWhy(attempt);
      moments.push({
        at: Date.parse(attempt.started_at),
        rank: 6,
        kind: "delivery",
        text:
          `Delivery attempt ${number}${attempt.redelivery ? " (a redelivery)" : ""} of ${event.id}: ${result}${why ? ` (${why})` : ""} ` +
          `in ${attempt.duration_ms} ` +
          `ms${attempt.next_attempt_at ? `; next attempt planned for ${timeText(attempt.next_attempt_at)}` : ""}`,
        eventId: event.id,
      });
    });
    if (event.next_attempt_at !== null) {
      moments.push({
        at: Date.parse(event.next_attempt_at),
        rank: 7,
        kind: "next",
        text: `Next delivery attempt of ${event.id} (attempt ${event.attempts + 1}) is due`,
        eventId: event.id,
      });
    }
  }
  return moments.sort((a, b) => a.at - b.at || a.rank - b.rank);
}
