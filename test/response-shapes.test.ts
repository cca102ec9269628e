/**
 * The response shapes real servers answer with, against a loopback server: a
 * declared length, chunked without one, and gzip (what servers and CDNs send
 * for fetch's `Accept-Encoding`). Each gives the same data, and
 * `withResponse()` hands back the `Response` fetch gave, whatever the shape.
 * `maxResponseBytes` is pinned per shape in retry-policy.test.ts.
 */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { isMedblocksError, Medblocks } from "../src/index.js";
import { fakeClient, API_KEY, SESSION } from "./support/fake-fetch.js";
import { faultServer, type Fault } from "./support/fault-server.js";

/** A session whose metadata holds text in three scripts, so a chunk boundary can fall inside a character. */
const WORDY = { ...SESSION, metadata: { note: "Müller–Ødegård · 山田 · ".repeat(40) } };
const BODY = Buffer.from(JSON.stringify(WORDY));

const SHAPES: Record<string, Fault> = {
  "a declared length": (_request, response) => {
    response
      .writeHead(200, { "content-type": "application/json", "content-length": String(BODY.length), "x-request-id": "req_shape" })
      .end(BODY);
  },
  "chunked, no length, split inside a character": (_request, response) => {
    response.writeHead(200, { "content-type": "application/json", "x-request-id": "req_shape" });
    // "ü" is two bytes: the first chunk ends after its first.
    const cut = BODY.indexOf(Buffer.from("ü")) + 1;
    response.write(BODY.subarray(0, cut));
    setTimeout(() => response.end(BODY.subarray(cut)), 5);
  },
  gzip: (_request, response) => {
    const gz = gzipSync(BODY);
    response
      .writeHead(200, {
        "content-type": "application/json",
        "content-encoding": "gzip",
        "content-length": String(gz.length),
        "x-request-id": "req_shape",
      })
      .end(gz);
  },
  "a UTF-8 byte order mark first, as text() reads it": (_request, response) => {
    response
      .writeHead(200, { "content-type": "application/json", "x-request-id": "req_shape" })
      .end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), BODY]));
  },
};

describe.concurrent("every response shape", () => {
  it.each(Object.entries(SHAPES))("%s: the data, and withResponse() gives the Response fetch gave", async (_shape, fault) => {
    const server = await faultServer([fault]);
    try {
      const mb = new Medblocks(API_KEY, { baseUrl: server.url, maxNetworkRetries: 0 });
      const { data, response, requestId } = await mb.patientSession.retrieve(SESSION.id).withResponse();
      expect(data).toEqual(WORDY);
      expect(requestId).toBe("req_shape");
      expect(response).toBeInstanceOf(Response);
      // A Response made anew around a counted stream would have lost these.
      expect(response.url).toBe(`${server.url}/patient-sessions/${SESSION.id}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/json");
    } finally {
      await server.close();
    }
  });
});

describe("maxResponseBytes with a length that lies", () => {
  it("a body longer than its Content-Length says is still counted (a fetch of your own can hand one over)", async () => {
    const big = JSON.stringify({ ...SESSION, metadata: { pad: "x".repeat(4096) } });
    const { mb } = fakeClient(() => new Response(big, { headers: { "content-type": "application/json", "content-length": "100" } }), {
      maxResponseBytes: 1024,
    });
    const outcome = await mb.patientSession.retrieve(SESSION.id).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isMedblocksError(outcome) && outcome.code).toBe("unexpected_response");
    expect((outcome as Error).message).toContain("is larger than `maxResponseBytes` (1024 bytes)");
  });
});
