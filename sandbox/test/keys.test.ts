/**
 * Keys and the workspaces they make: a key that only reads leaves nothing
 * behind, the workspaces kept are bounded, a new key's first use is noted on
 * the log (by its last 4 characters, never whole), and a sandbox started
 * with a list of keys takes only those — in process and from the command
 * line (processes stopped by pid after each test).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSandbox, type RequestLogEntry } from "../src/index.js";
import { MAX_WORKSPACES } from "../src/state/store.js";
import { expectNoViolations, harness } from "./support/harness.js";
import { call as callServer, run, startCli, stoppedAfterEach } from "./support/process.js";

const dir = mkdtempSync(join(tmpdir(), "medblocks-sandbox-keys-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const track = stoppedAfterEach();

const madeUpKey = () => `mb_sk_sbx_${randomBytes(12).toString("hex")}`;

const call = (url: string, key: string, method: string, path: string, body?: unknown) =>
  callServer({ url, apiKey: key }, method, path, body);

describe("made-up keys", () => {
  it("that only read make no workspace: a --state file holds none of them", async () => {
    const file = join(dir, "reads.json");
    const server = track(await startCli(["--quiet", "--state", file]));
    const paths = [
      "/patients",
      "/webhooks",
      "/patients/p1/sessions",
      "/__sandbox/state",
      "/__sandbox/clock",
      "/__sandbox/faults",
      "/health",
    ];
    for (let index = 0; index < 700; index++) {
      const answer = await call(server.url, madeUpKey(), "GET", paths[index % paths.length]!);
      expect([200, 404]).toContain(answer.status);
    }
    // A failed change makes none either; one that succeeds makes its workspace.
    expect((await call(server.url, madeUpKey(), "POST", "/patients", { patient_id: "" })).status).toBe(400);
    expect((await call(server.url, madeUpKey(), "DELETE", "/__sandbox/faults")).status).toBe(200);
    expect((await call(server.url, server.apiKey, "POST", "/patients", { patient_id: "kept" })).status).toBe(200);
    server.child.kill("SIGTERM");
    expect(await server.exited()).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(file, "utf8")).workspaces)).toHaveLength(1);
  }, 60_000);

  it(`are bounded: past ${MAX_WORKSPACES} workspaces a new key's change is a ` +
    `429 api_key_limit_exceeded, while kept keys and reads go on`, async () => {
    const h = harness({ seed: "bounded" });
    const keys = Array.from({ length: MAX_WORKSPACES }, (_, index) => `mb_sk_sbx_bounded_${index}`);
    for (const key of keys) h.sb.workspace(key).clock.advance(1);
    const refused = await h.raw("POST", "/patients", { key: "mb_sk_sbx_one_too_many", body: { patient_id: "p1" } });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: "api_key_limit_exceeded", type: "rate_limit_error" });
    expect(refused.body.error.message).toContain(String(MAX_WORKSPACES));
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(() => h.sb.workspace("mb_sk_sbx_one_too_many").injectFault({ operation: "api.listPatients", status: 500 })).toThrow(
      /5000 workspaces/,
    );
    // Reads by the new key answer as an empty workspace; a kept key still changes.
    expect((await h.raw("GET", "/patients", { key: "mb_sk_sbx_one_too_many" })).body.data).toEqual([]);
    expect((await h.raw("POST", "/patients", { key: keys[7]!, body: { patient_id: "p1" } })).status).toBe(200);
    // A reset lets one go, which makes room.
    h.sb.workspace(keys[0]!).reset();
    expect((await h.raw("POST", "/patients", { key: "mb_sk_sbx_one_too_many", body: { patient_id: "p1" } })).status).toBe(200);
    h.violations.length = 0;
  }, 60_000);

  it("a key's first use is noted on the log by its last 4 characters, once, whether it reads or writes", async () => {
    const entries: RequestLogEntry[] = [];
    const h = harness({ log: (entry) => entries.push(entry) });
    const key = "mb_sk_sbx_first_use_Ab3d";
    await h.raw("GET", "/patients", { key });
    await h.raw("POST", "/patients", { key, body: { patient_id: "p1" } });
    await h.raw("GET", "/__sandbox/clock", { key });
    expect(entries.map((entry) => entry.newKey)).toEqual(["…Ab3d", undefined, undefined]);
    // A key whose workspace exists (here made in process) is not new.
    h.sb.workspace("mb_sk_sbx_made_first_Zz99").clock.advance(1);
    await h.raw("GET", "/patients", { key: "mb_sk_sbx_made_first_Zz99" });
    expect(entries[3]!.newKey).toBeUndefined();
    expect(JSON.stringify(entries)).not.toContain(key);
    expect(h.violations).toEqual([]);
  });

  it("the command line's log says which new key was used, never the whole key", async () => {
    const server = track(await startCli());
    const key = "mb_sk_sbx_mistyped_key_Qr7x";
    expect((await call(server.url, key, "GET", "/webhooks")).status).toBe(200);
    await server.waitFor(/new key …Qr7x: a workspace of its own, empty until something is made in it/);
    expect(server.output()).not.toContain(key);
    server.child.kill("SIGTERM");
    expect(await server.exited()).toBe(0);
  }, 30_000);
});

describe("a list of keys", () => {
  const [K1, K2] = ["mb_sk_sbx_listed_one_1111", "mb_sk_sbx_listed_two_2222"];

  it("createSandbox({ keys }) takes only those: apiKey is the first, any other key is a 401 naming the option", async () => {
    const h = harness({ keys: [K1, K2] });
    expectNoViolations(h);
    expect(h.sb.apiKey).toBe(K1);
    expect((await h.raw("POST", "/patients", { body: { patient_id: "p1" } })).status).toBe(200);
    expect((await h.raw("GET", "/patients", { key: K2 })).body.data).toEqual([]);
    for (const [method, path] of [
      ["GET", "/patients"],
      ["POST", "/__sandbox/reset"],
    ] as const) {
      const refused = await h.raw(method, path, { key: "mb_sk_sbx_not_listed_9999" });
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe("invalid_api_key");
      expect(refused.body.error.message).toMatch(/started with a list of keys \(`--keys`, or the `keys` option\)/);
      expect(refused.body.error.message).not.toContain("9999");
    }
    expect(() => h.sb.workspace("mb_sk_sbx_not_listed_9999")).toThrow(/started with a list of keys/);
    expect(h.sb.workspace(K2).apiKey).toBe(K2);
    h.violations.length = 0;
  });

  it("refuses a list that is empty or holds something that is not a sandbox key, naming its place", () => {
    expect(() => createSandbox({ keys: [] })).toThrow(expect.objectContaining({ param: "keys" }));
    expect(() => createSandbox({ keys: [K1, "mb_sk_live_oops"] })).toThrow(expect.objectContaining({ param: "keys[1]" }));
  });

  it("start --keys and --keys-file take only the keys listed, print the first as the ready key, and refuse others with 401", async () => {
    const file = join(dir, "keys.txt");
    writeFileSync(file, `# the team's keys\n${K2}\n\n`);
    const server = track(await startCli(["--quiet", "--keys", ` ${K1} `, "--keys-file", file]));
    expect(server.apiKey).toBe(K1);
    await server.waitFor(/Only the keys given with --keys are taken/);
    expect((await call(server.url, K1, "POST", "/patients", { patient_id: "p1" })).status).toBe(200);
    expect((await call(server.url, K2, "GET", "/patients")).status).toBe(200);
    const refused = await call(server.url, "mb_sk_sbx_not_listed_9999", "GET", "/patients");
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatchObject({ code: "invalid_api_key" });
    expect(refused.body.error.message).toMatch(/started with a list of keys \(`--keys`/);
    server.child.kill("SIGTERM");
    expect(await server.exited()).toBe(0);

    for (const [args, pattern] of [
      [["--keys", `${K1},mb_sk_live_secret_value`], /--keys entry 2 is not a sandbox key/],
      [["--keys-file", join(dir, "no-such-file")], /--keys-file .* cannot be read/],
      [["--keys", " "], /--keys entry 1 is not a sandbox key/],
    ] as const) {
      const wrong = track(run(["start", "--port", "0", ...args]));
      expect(await wrong.exited()).toBe(2);
      expect(wrong.output()).toMatch(pattern);
      expect(wrong.output()).not.toContain("secret_value");
    }
  }, 60_000);
});
