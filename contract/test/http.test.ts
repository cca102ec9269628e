/**
 * One request of the check, against a loopback server that never stops
 * answering: the body read is capped, so a chunked body without end is an
 * answer the check refuses at the cap, long before the request's timeout.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, send } from "../src/http.js";

let server: Server;
let url: string;
/** Bytes the server wrote before the client hung up. */
let written = 0;

beforeAll(async () => {
  // 1 MB every 10 ms, chunked (no Content-Length), until the client goes away.
  server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.write('{"ok":true,"server_time":"');
    const chunk = Buffer.alloc(1_000_000, "a");
    const timer = setInterval(() => {
      written += chunk.length;
      response.write(chunk);
    }, 10);
    response.on("close", () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("send", () => {
  it("stops reading an unending chunked body at the cap, and says so, well before the timeout", async () => {
    const timeoutMs = 10_000;
    const sent = await send(globalThis.fetch, { method: "GET", url, headers: {} }, timeoutMs);
    expect(sent).toMatchObject({ ok: false, reason: `the body is larger than ${MAX_BODY_BYTES} bytes` });
    expect(sent.ms).toBeLessThan(timeoutMs);
    // The connection is let go: the server soon stops writing.
    const settled = written;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(written - settled).toBeLessThanOrEqual(2_000_000);
  }, 20_000);
});
