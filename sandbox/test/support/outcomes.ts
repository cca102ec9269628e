/**
 * What each outcome of a visit to an EHR must leave, written out here
 * rather than read from the sandbox's table: the link's status and failure
 * code, the events before `patient_session.completed`, whether records
 * were pulled, and the outcome `verifyReturn` then reports.
 */
import type { OutcomeName } from "../../src/index.js";

export interface Expected {
  link: string;
  failure: string | null;
  events: string[];
  records: boolean;
  verified: "connected" | "failed" | "not_connected";
}

export const EXPECTED: Record<OutcomeName, Expected> = {
  approve: { link: "active", failure: null, events: ["records.sync.completed"], records: true, verified: "connected" },
  deny: { link: "failed", failure: "user_denied", events: [], records: false, verified: "failed" },
  oauth_callback_failed: { link: "failed", failure: "oauth_callback_failed", events: [], records: false, verified: "failed" },
  token_exchange_failed: { link: "failed", failure: "token_exchange_failed", events: [], records: false, verified: "failed" },
  ehr_unavailable: { link: "failed", failure: "ehr_unavailable", events: [], records: false, verified: "failed" },
  records_sync_failed: { link: "active", failure: null, events: ["records.sync.failed"], records: false, verified: "connected" },
  // Authorized, then lapsed: no link active, and the link needs the patient again, so verifyReturn reports failed.
  token_refresh_failed: {
    link: "refresh_failed",
    failure: null,
    events: ["records.sync.completed", "connection.token_refresh_failed"],
    records: true,
    verified: "failed",
  },
  access_expired: { link: "expired", failure: null, events: ["records.sync.completed"], records: true, verified: "failed" },
};
