/**
 * What a contract check found, as data: every response judged, each drift
 * once (by operation, status and where, with how often it was seen), the
 * answers that were valid but not the ones asked for, what could not be
 * run, and the exit code that sums it up. Every text that can hold what the
 * server sent (a header, a key of its JSON, an id) is made printable as it
 * is recorded, so neither the summary nor the JUnit file carries a
 * terminal control.
 */
import { printable } from "../../lib/printable.js";
import { operationIds, operationLabel, type OperationId } from "./spec.js";
import type { Issue } from "./issues.js";

/** One way a server's responses differ from the spec, reported once however often it was seen. */
export interface Finding {
  operationId: OperationId;
  /** `GET /patients/{id}`. */
  operation: string;
  /** The lowest status it was seen at. */
  status: number;
  /** Every status it was seen at, ascending (a header missing from all of an operation's answers, say). */
  statuses: number[];
  /** A JSON pointer into the body (`/connections/0/status`), `header X-Request-Id`, `status` or `(body)`. */
  where: string;
  message: string;
  /** How many times it was seen (across pages, items of a list, calls). */
  occurrences: number;
  /** The finding as one line: `GET /patients/{id} 200 /connections/0/status: must be …`. */
  text: string;
}

/**
 * Something worth a look that is not drift: a valid answer other than the one asked for, a list whose paging did not
 * end, an object left behind.
 */
export interface Warning {
  operationId?: OperationId | undefined;
  status?: number | undefined;
  text: string;
}

/** One line of the summary: an operation and a status it answered with (null: no answer). */
export interface Row {
  operationId: OperationId;
  operation: string;
  status: number | null;
  calls: number;
  /** Milliseconds its calls took, in all. */
  ms: number;
  verdict: "ok" | "drift" | "warning" | "no answer" | "not run";
  /** For `no answer` and `not run`: why. */
  reason?: string | undefined;
}

export type StopCode = "unreachable" | "key_refused" | "interrupted";

export interface ContractReport {
  tool: { name: string; version: string };
  baseUrl: string;
  apiVersion: string;
  readOnly: boolean;
  /** Whether the server offered the sandbox's controls (`X-Medblocks-Sandbox`), used to complete a session. */
  sandbox: boolean;
  startedAt: string;
  durationMs: number;
  /** Requests that got an answer. */
  responses: number;
  rows: Row[];
  drift: Finding[];
  warnings: Warning[];
  /** Why the run ended early, when it did. */
  stopped?: { code: StopCode; message: string } | undefined;
  /** 0: no drift; 1: drift; 2: the check could not run (to the end). */
  exitCode: 0 | 1 | 2;
}

/** Collects judged exchanges into a report. */
export class Recorder {
  readonly #rows = new Map<string, Row>();
  readonly #findings = new Map<
    string,
    { operationId: OperationId; statuses: Set<number>; where: string; message: string; occurrences: number }
  >();
  readonly warnings: Warning[] = [];
  responses = 0;
  noAnswers = 0;

  #row(operationId: OperationId, status: number | null): Row {
    const key = `${operationId} ${status}`;
    let row = this.#rows.get(key);
    if (!row) this.#rows.set(key, (row = { operationId, operation: operationLabel(operationId), status, calls: 0, ms: 0, verdict: "ok" }));
    return row;
  }

  /** An answer and what is wrong with it. */
  answered(operationId: OperationId, status: number, issues: Issue[], ms: number): void {
    this.responses++;
    const row = this.#row(operationId, status);
    row.calls++;
    row.ms += ms;
    if (issues.length > 0) row.verdict = "drift";
    for (const issue of issues) {
      const key = `${operationId} ${issue.key}`;
      const known = this.#findings.get(key);
      if (known) {
        known.occurrences++;
        known.statuses.add(status);
      } else {
        this.#findings.set(key, {
          operationId,
          statuses: new Set([status]),
          where: printable(issue.where),
          message: printable(issue.message),
          occurrences: 1,
        });
      }
    }
  }

  /** A request that got no answer. */
  unanswered(operationId: OperationId, reason: string, ms: number): void {
    this.noAnswers++;
    const row = this.#row(operationId, null);
    row.calls++;
    row.ms += ms;
    row.verdict = "no answer";
    row.reason = printable(reason);
  }

  /** A valid answer other than the one asked for; marks its row. */
  unexpected(operationId: OperationId, status: number, text: string): void {
    const row = this.#row(operationId, status);
    if (row.verdict === "ok") row.verdict = "warning";
    this.warn({ operationId, status, text: `${operationLabel(operationId)} ${status}: ${text}` });
  }

  warn(warning: Warning): void {
    const text = printable(warning.text);
    if (!this.warnings.some((known) => known.text === text)) this.warnings.push({ ...warning, text });
  }

  /**
   * Rows in the table's order (operations as the spec lists them, statuses ascending), with a `not run` row for each
   * operation never called.
   */
  rows(notRunReason: (operationId: OperationId) => string): Row[] {
    return operationIds.flatMap((operationId) => {
      const rows = [...this.#rows.values()]
        .filter((row) => row.operationId === operationId)
        .sort((a, b) => (a.status ?? 1000) - (b.status ?? 1000));
      return rows.length > 0
        ? rows
        : [
            {
              operationId,
              operation: operationLabel(operationId),
              status: null,
              calls: 0,
              ms: 0,
              verdict: "not run" as const,
              reason: notRunReason(operationId),
            },
          ];
    });
  }

  /** Each drift once, in the table's order: by operation as the spec lists them, then status. */
  get drift(): Finding[] {
    const findings = [...this.#findings.values()].map(({ operationId, statuses, where, message, occurrences }): Finding => {
      const sorted = [...statuses].sort((a, b) => a - b);
      const operation = operationLabel(operationId);
      return {
        operationId,
        operation,
        status: sorted[0]!,
        statuses: sorted,
        where,
        message,
        occurrences,
        text: `${operation} ${sorted[0]} ${where}: ${message}`,
      };
    });
    const order = (finding: Finding) => operationIds.indexOf(finding.operationId) * 1000 + finding.status;
    return findings.sort((a, b) => order(a) - order(b));
  }
}
