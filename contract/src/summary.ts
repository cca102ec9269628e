/**
 * The report for people: a table of every operation and the statuses it
 * answered with, each with its verdict; then each drift once, the
 * warnings, and one line with the outcome.
 */
import type { ContractReport, Row } from "./report.js";

const VERDICTS: Record<Row["verdict"], string> = {
  ok: "ok",
  drift: "DRIFT",
  warning: "warning",
  "no answer": "no answer",
  "not run": "not run",
};

function table(rows: Row[]): string[] {
  const cells = rows.map((row) => [
    row.operation,
    row.status === null ? "-" : String(row.status),
    String(row.calls),
    VERDICTS[row.verdict] + (row.reason ? `: ${row.reason}` : ""),
  ]);
  const header = ["operation", "status", "calls", "verdict"];
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => cell[column]!.length)));
  const line = (cell: string[]) =>
    cell.map((text, column) => (column === cell.length - 1 ? text : text.padEnd(widths[column]!))).join("  ");
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...cells.map(line)];
}

/** The summary as text, ending with a newline. */
export function formatSummary(report: ContractReport): string {
  const mode = report.readOnly ? "read-only (GET requests only)" : "reads and writes with a sandbox key";
  const lines = [
    `${report.tool.name} ${report.tool.version}: ${report.baseUrl} against the spec (API ` +
      `version ${report.apiVersion}), ${mode}${report.sandbox ? ", sandbox controls used" : ""}`,
    "",
    ...table(report.rows),
    "",
  ];
  if (report.drift.length > 0) {
    lines.push(`Drift (${report.drift.length}):`);
    for (const finding of report.drift) {
      const notes = [
        finding.statuses.length > 1 ? `at ${finding.statuses.join(", ")}` : "",
        finding.occurrences > 1 ? `seen ${finding.occurrences} times` : "",
      ].filter(Boolean);
      lines.push(`  ${finding.text}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`);
    }
    lines.push("");
  }
  if (report.warnings.length > 0) {
    lines.push(`Warnings (${report.warnings.length}): valid answers, but not the ones asked for, or checks cut short`);
    for (const warning of report.warnings) lines.push(`  ${warning.text}`);
    lines.push("");
  }
  const operations = new Set(report.rows.filter((row) => row.verdict !== "not run").map((row) => row.operationId)).size;
  const total = new Set(report.rows.map((row) => row.operationId)).size;
  const warnings = `${report.warnings.length} warning${report.warnings.length === 1 ? "" : "s"}`;
  const counts =
    `${report.responses} responses from ${operations} of ${total} operations in ${(report.durationMs / 1000).toFixed(1)} ` +
    `s: ${report.drift.length} drift, ${warnings}`;
  if (report.stopped) lines.push(`Could not run to the end: ${report.stopped.message}.`);
  lines.push(
    `${counts}. ${
      report.exitCode === 0
        ? "The server matches the spec."
        : report.exitCode === 1
          ? "The server drifted from the spec."
          : "The check is incomplete."
    }`,
  );
  return `${lines.join("\n")}\n`;
}
