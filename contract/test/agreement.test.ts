/**
 * The contract check and the sandbox judge a response with one check
 * (lib/spec/responses.ts): on the same answer they find the same thing
 * wrong, at the same place, and let the same answers through. Before they
 * shared it, the check took any RFC 3986 URI as a `format: uri` (`urn:`,
 * `mailto:`), where the sandbox and the client take web addresses only, and
 * it did not know the spec's `x-medblocks-max-depth`.
 */
import { describe, expect, it } from "vitest";
import { createSandbox } from "../../sandbox/src/index.js";
import { responseViolations } from "../../sandbox/src/validation/responses.js";
import { runContract } from "../src/index.js";
import { drifting, sandboxHandler, type Answer } from "./support/drifting.js";

const nested = (levels: number): unknown => (levels === 1 ? {} : { deeper: nested(levels - 1) });

/** The contract's findings on `operationId`'s answers changed by `change`, and the sandbox's verdict on the same answers. */
async function bothJudge(operationId: string, status: number, change: (answer: Answer) => void) {
  const sb = createSandbox();
  const seen: Answer[] = [];
  const handler = drifting(sandboxHandler(sb), [
    {
      operationId,
      status,
      change: (answer) => (
        change(answer), seen.push({ status: answer.status, headers: new Headers(answer.headers), body: structuredClone(answer.body) })
      ),
    },
  ]);
  const report = await runContract({ baseUrl: sb.baseUrl, apiKey: sb.apiKey, fetch: (input, init) => handler(new Request(input, init)) });
  expect(seen.length, "the drift was sent").toBeGreaterThan(0);
  const sandbox = seen.flatMap((answer) => responseViolations(operationId as never, answer.status, answer.headers, answer.body));
  // The check reports a drift once however often it saw it; the sandbox's verdicts, one per answer, are folded alike.
  return { contract: report.drift.map((finding) => `${finding.where}: ${finding.message}`), sandbox: [...new Set(sandbox)] };
}

describe("the contract check and the sandbox", () => {
  it.each(["urn:medblocks:session:1", "mailto:support@example.com", "ftp://medblocks.example/session"])(
    "both refuse %s as a session's `url`: a `format: uri` is a web address",
    async (url) => {
      const { contract, sandbox } = await bothJudge("api.initPatientSession", 200, (answer) => void (answer.body.url = url));
      expect(contract).toEqual(["/url: must be an absolute http(s) URL"]);
      expect(sandbox).toEqual(["body/url must be an absolute http(s) URL"]);
    },
  );

  it("both take a web address with a path, a query and a port", async () => {
    const { contract, sandbox } = await bothJudge(
      "api.initPatientSession",
      200,
      (answer) => void (answer.body.url = "http://127.0.0.1:4011/s/abc?step=1"),
    );
    expect(contract).toEqual([]);
    expect(sandbox).toEqual([]);
  });

  it("both refuse metadata nested deeper than the spec's x-medblocks-max-depth, and take it at the limit", async () => {
    const deep = await bothJudge("api.getPatient", 200, (answer) => void (answer.body.metadata = nested(21)));
    expect(deep.contract).toEqual(["/metadata: must nest objects and arrays at most 20 levels deep, itself included"]);
    expect(deep.sandbox).toEqual(["body/metadata must nest objects and arrays at most 20 levels deep, itself included"]);
    const atLimit = await bothJudge("api.getPatient", 200, (answer) => void (answer.body.metadata = nested(20)));
    expect(atLimit.contract).toEqual([]);
    expect(atLimit.sandbox).toEqual([]);
  });

  it("both find an envelope whose type is not its status's, and a body sent as another media type", async () => {
    const wrongType = await bothJudge("api.getWebhook", 404, (answer) => void (answer.body.error.type = "api_error"));
    expect(wrongType.contract).toEqual(['/error/type: must be "not_found_error" for status 404']);
    expect(wrongType.sandbox).toEqual(['body/error/type must be "not_found_error" for status 404']);
    const problem = await bothJudge("api.getWebhook", 404, (answer) => answer.headers.set("content-type", "application/problem+json"));
    expect(problem.contract).toEqual(["header Content-Type: must be application/json (got application/problem+json)"]);
    expect(problem.sandbox).toEqual(["header Content-Type must be application/json (got application/problem+json)"]);
  });
});
