/**
 * Bodies without `Content-Length`: a chunked body that keeps coming is
 * refused at the limit while it is still arriving — for API calls, the
 * hosted page's forms and the control API — and the server neither reads
 * it all nor holds it in memory. Real sockets against `medblocks-sandbox
 * start`, whose peak memory is read from /proc where there is one.
 */
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../src/validation/requests.js";
import { flood, send } from "./support/http.js";
import { startCli } from "./support/process.js";

const MB = 1_000_000;
/** What may be in flight when the answer comes: socket buffers on both sides. */
const IN_FLIGHT = 16 * MB;
const CONTROL_LIMIT = 256 * MB;

let server: Awaited<ReturnType<typeof startCli>>;
let port: number;
beforeAll(async () => {
  server = await startCli(["--quiet"]);
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  server.child.kill("SIGTERM");
  await server.exited();
});

const auth = () => ({ authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" });

/** The child's peak resident memory in bytes, or undefined without /proc. */
function peakMemory(): number | undefined {
  const file = `/proc/${server.pid}/status`;
  if (!existsSync(file)) return undefined;
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(file, "utf8"))?.[1];
  return kb === undefined ? undefined : Number(kb) * 1024;
}

describe("a chunked body past the limit", () => {
  it("of an API call is answered 413 payload_too_large once the limit is passed, not read whole, not kept", async () => {
    const before = peakMemory();
    const result = await flood(port, { path: "/patients", headers: auth(), maxBytes: 300 * MB, fill: " " });
    expect(result.answer?.status).toBe(413);
    expect(JSON.parse(result.answer!.text).error).toMatchObject({ type: "invalid_request_error", code: "payload_too_large" });
    expect(result.finished, "the server waited for the whole body").toBe(false);
    expect(result.sentBeforeAnswer).toBeLessThan(MAX_BODY_BYTES + IN_FLIGHT);
    const after = peakMemory();
    if (before !== undefined && after !== undefined) expect(after - before, "the server's peak memory grew by").toBeLessThan(100 * MB);
    // It still answers.
    expect((await send(port, { path: "/patients", headers: auth() })).status).toBe(200);
  }, 60_000);

  it("of a hosted page's form is answered 413 with a page once its small limit is passed, the session untouched", async () => {
    const body = JSON.stringify({ patient_id: "user_1", return_url: "https://app.example.com/back" });
    const session = JSON.parse((await send(port, { method: "POST", path: "/patient-sessions", headers: auth(), body })).text);
    const result = await flood(port, {
      path: `${new URL(session.url).pathname}/return`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      maxBytes: 300 * MB,
    });
    expect(result.answer?.status).toBe(413);
    expect(result.answer!.headers["content-type"]).toMatch(/^text\/html/);
    expect(result.answer!.text).toContain("This form is too large");
    expect(result.finished, "the server waited for the whole body").toBe(false);
    expect(result.sentBeforeAnswer).toBeLessThan(IN_FLIGHT);
    const still = JSON.parse((await send(port, { path: `/patient-sessions/${session.id}`, headers: auth() })).text);
    expect(still.status).toBe("open");
  }, 60_000);

  it("of the control API is answered 413 once its larger limit is passed, not read whole", async () => {
    const result = await flood(port, {
      method: "PUT",
      path: "/__sandbox/state",
      headers: auth(),
      maxBytes: CONTROL_LIMIT + 128 * MB,
      fill: " ",
    });
    expect(result.answer?.status).toBe(413);
    expect(JSON.parse(result.answer!.text).error.code).toBe("payload_too_large");
    expect(result.finished, "the server waited for the whole body").toBe(false);
    expect(result.sentBeforeAnswer).toBeLessThan(CONTROL_LIMIT + IN_FLIGHT);
    expect((await send(port, { path: "/__sandbox/clock", headers: auth() })).status).toBe(200);
  }, 90_000);
});
