/**
 * The raw request the client sends for each operation (with the spec's
 * examples), recorded rather than written out again: the validation suites
 * start from these and break them one rule at a time.
 */
import { Medblocks } from "../../src/index.js";
import { exampleCall, responseExample, type OperationId } from "../../test/support/spec-examples.js";
import type { MockRequest } from "./mock.js";

/** What the client sends for operation `id`, as a request for the mock (the key is added when sending). */
export async function recordedRequest(id: OperationId): Promise<MockRequest> {
  let sent: MockRequest | undefined;
  const mb = new Medblocks("mb_sk_sbx_recording", {
    baseUrl: "http://127.0.0.1:9",
    maxNetworkRetries: 0,
    fetch: async (input, init) => {
      const url = new URL(input);
      const headers = new Headers(init.headers);
      sent = {
        method: init.method ?? "GET",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        ...(headers.has("version") && { headers: { Version: headers.get("version")! } }),
        ...(typeof init.body === "string" && { body: JSON.parse(init.body) as unknown }),
      };
      return new Response(JSON.stringify(responseExample(id)), { status: 200, headers: { "content-type": "application/json" } });
    },
  });
  await exampleCall(mb, id);
  if (!sent) throw new Error(`${id}: the client sent nothing`);
  return sent;
}
