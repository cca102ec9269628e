/**
 * The report for CI: JUnit XML as CI systems read it — one `testsuite` with
 * a `testcase` per operation and status, a `failure` holding that row's
 * drift findings, `error` for a request that got no answer or a run that
 * could not go on, `skipped` for an operation not run, and the warnings as
 * `system-out`.
 */
import type { ContractReport, Row } from "./report.js";

// Characters XML 1.0 cannot hold at all, even escaped.
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Text safe in an attribute or element. */
export const xmlText = (text: string): string =>
  text.replace(INVALID_XML, "\uFFFD").replace(/[&<>"']/g, (character) => ESCAPES[character]!);

const attributes = (values: Record<string, string | number>) =>
  Object.entries(values)
    .map(([name, value]) => ` ${name}="${xmlText(String(value))}"`)
    .join("");

function testcase(report: ContractReport, row: Row): string {
  const name = `${row.operation} → ${row.status ?? (row.verdict === "not run" ? "not run" : "no answer")}`;
  const open = `    <testcase${attributes({ classname: row.operationId, name, time: (row.ms / 1000).toFixed(3) })}`;
  const findings = report.drift.filter(
    (finding) => finding.operationId === row.operationId && row.status !== null && finding.statuses.includes(row.status),
  );
  const warnings = report.warnings.filter((warning) => warning.operationId === row.operationId && warning.status === row.status);
  const children: string[] = [];
  if (findings.length > 0) {
    const message = findings.length === 1 ? findings[0]!.text : `${findings.length} drift findings`;
    children.push(
      `      <failure${attributes({ type: "drift", message })}>${xmlText(findings.map((finding) => finding.text).join("\n"))}</failure>`,
    );
  } else if (row.verdict === "no answer") {
    children.push(`      <error${attributes({ type: "no answer", message: row.reason ?? "no answer" })}/>`);
  } else if (row.verdict === "not run") {
    children.push(`      <skipped${attributes({ message: row.reason ?? "not run" })}/>`);
  }
  if (warnings.length > 0) children.push(`      <system-out>${xmlText(warnings.map((warning) => warning.text).join("\n"))}</system-out>`);
  return children.length === 0 ? `${open}/>` : `${open}>\n${children.join("\n")}\n    </testcase>`;
}

/** The report as a JUnit XML document. */
export function toJUnit(report: ContractReport): string {
  const cases = report.rows.map((row) => testcase(report, row));
  if (report.stopped) {
    cases.push(
      `    <testcase${attributes({ classname: "medblocks-contract", name: "the check ran to the end", time: "0" })}>\n      ` +
        `<error${attributes({ type: report.stopped.code, message: report.stopped.message })}/>\n    </testcase>`,
    );
  }
  const unrowed = report.warnings.filter((warning) => warning.operationId === undefined || warning.status === undefined);
  const counts = {
    tests: cases.length,
    failures: report.rows.filter((row) => row.verdict === "drift").length,
    errors: report.rows.filter((row) => row.verdict === "no answer").length + (report.stopped ? 1 : 0),
    skipped: report.rows.filter((row) => row.verdict === "not run").length,
    time: (report.durationMs / 1000).toFixed(3),
  };
  const suite = { name: `medblocks-contract ${report.baseUrl}`, ...counts, timestamp: report.startedAt.replace(/\.\d+Z$/, "") };
  const properties = [
    `    <properties>`,
    `      <property${attributes({ name: "api_version", value: report.apiVersion })}/>`,
    `      <property${attributes({ name: "read_only", value: String(report.readOnly) })}/>`,
    `      <property${attributes({ name: "tool_version", value: report.tool.version })}/>`,
    `    </properties>`,
  ];
  const out = unrowed.length > 0 ? [`    <system-out>${xmlText(unrowed.map((warning) => warning.text).join("\n"))}</system-out>`] : [];
  return junitDocument(counts, suite, [...properties, ...cases, ...out]);
}

/** The document: `testsuites` with the totals around one `testsuite` holding `lines`. */
function junitDocument(counts: Record<string, string | number>, suite: Record<string, string | number>, lines: string[]): string {
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites${attributes({ name: "medblocks-contract", ...counts })}>`,
    `  <testsuite${attributes(suite)}>`,
    ...lines,
    `  </testsuite>`,
    `</testsuites>`,
    "",
  ].join("\n");
}

/** The JUnit document of a check that could not run at all (a refused key, a bad option): one error saying why. */
export function notRunJUnit(message: string): string {
  const counts = { tests: 1, failures: 0, errors: 1, skipped: 0 };
  return junitDocument(counts, { name: "medblocks-contract", ...counts, time: "0" }, [
    `    <testcase${attributes({ classname: "medblocks-contract", name: "the check ran", time: "0" })}>`,
    `      <error${attributes({ type: "not run", message })}/>`,
    `    </testcase>`,
  ]);
}
