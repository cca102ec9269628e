/**
 * Reads a JUnit XML report back as a CI system does: the document must be
 * well-formed XML (fast-xml-parser's validator), rooted at `testsuites`,
 * and each suite's counts must agree with its `testcase`, `failure`,
 * `error` and `skipped` elements — which is what CI systems show.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { expect } from "vitest";

export interface JUnitCase {
  classname: string;
  name: string;
  time: number;
  failure?: { message: string; type: string; text: string } | undefined;
  error?: { message: string; type: string } | undefined;
  skipped?: { message: string } | undefined;
  out?: string | undefined;
}

export interface JUnitSuite {
  name: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  cases: JUnitCase[];
  out?: string | undefined;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  textNodeName: "text",
  parseAttributeValue: false,
  trimValues: false,
  isArray: (name) => ["testsuite", "testcase", "property"].includes(name),
});

const text = (node: unknown): string | undefined =>
  node === undefined ? undefined : typeof node === "string" ? node : ((node as { text?: string }).text ?? "");

export function readJUnit(xml: string): JUnitSuite[] {
  const valid = XMLValidator.validate(xml);
  expect(valid, `not well-formed XML: ${JSON.stringify(valid)}`).toBe(true);
  const document = parser.parse(xml) as { testsuites?: { testsuite?: any[] } };
  expect(document.testsuites, "the root element is testsuites").toBeDefined();
  return (document.testsuites!.testsuite ?? []).map((suite) => {
    const cases: JUnitCase[] = (suite.testcase ?? []).map((testcase: any) => ({
      classname: testcase.classname,
      name: testcase.name,
      time: Number(testcase.time),
      failure: testcase.failure && { message: testcase.failure.message, type: testcase.failure.type, text: text(testcase.failure)! },
      error: testcase.error && { message: testcase.error.message, type: testcase.error.type },
      skipped: testcase.skipped && { message: testcase.skipped.message },
      out: text(testcase["system-out"]),
    }));
    const read: JUnitSuite = {
      name: suite.name,
      tests: Number(suite.tests),
      failures: Number(suite.failures),
      errors: Number(suite.errors),
      skipped: Number(suite.skipped),
      cases,
      out: text(suite["system-out"]),
    };
    expect([read.tests, read.failures, read.errors, read.skipped], "the suite's counts match its elements").toEqual([
      cases.length,
      cases.filter((testcase) => testcase.failure).length,
      cases.filter((testcase) => testcase.error).length,
      cases.filter((testcase) => testcase.skipped).length,
    ]);
    for (const testcase of cases) expect(testcase.time, `${testcase.name}: time is a number of seconds`).toBeGreaterThanOrEqual(0);
    return read;
  });
}
