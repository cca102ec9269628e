/**
 * `medblocks-sandbox start|exec` as a user runs them, from this checkout
 * (in `npm test` the run's build, alone the bin on the TypeScript source:
 * support/process.ts), and `npm run sandbox` through the bin: processes started
 * here and stopped by pid, every wait bounded, every response over HTTP
 * checked against the spec.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as httpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { Medblocks } from "../../src/index.js";
import { CATALOG } from "../src/index.js";
import { isLoopback } from "../src/http/server.js";
import { checkingFetch, failure, type Exchange } from "./support/harness.js";
import { alive, run, startCli, type Run } from "./support/process.js";
import { closedPort, startReceiver } from "./support/receiver.js";

const dir = mkdtempSync(join(tmpdir(), "medblocks-sandbox-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const violations: string[] = [];
const exchanges: Exchange[] = [];
const fetch = checkingFetch((input, init) => globalThis.fetch(input, init), violations, exchanges);
const client = (server: { url: string; apiKey: string }, options: { maxNetworkRetries?: number } = {}) =>
  new Medblocks(server.apiKey, { baseUrl: server.url, fetch, maxNetworkRetries: options.maxNetworkRetries ?? 0 });

async function control(server: { url: string; apiKey: string }, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}/__sandbox${path}`, {
    method,
    headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
    body: body === undefined ? null : JSON.stringify(body),
  });
  return (await response.json()) as any;
}

async function refused(url: string): Promise<boolean> {
  return globalThis.fetch(`${url}/health`).then(
    () => false,
    () => true,
  );
}

describe("start", () => {
  it("serves the API on 127.0.0.1, logs each request without keys or patient ids, and stops on SIGTERM", async () => {
    const server = await startCli();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.apiKey).toMatch(/^mb_sk_sbx_[A-Za-z0-9]{32}$/);
    const mb = client(server);
    const session = await mb.patientSession.init({ patient_id: "secret_patient_7", return_url: "https://app.example.com/back" });
    expect(session.url.startsWith(`${server.url}/c/`)).toBe(true);
    const done = await control(server, "POST", `/patient-sessions/${session.id}/complete`, {
      outcome: "approve",
      connection_id: CATALOG[0]!.id,
    });
    const verified = await mb.patientSession.verifyReturn(done.return_url, { patientId: "secret_patient_7" });
    expect(verified.outcome).toBe("connected");
    await server.waitFor(/GET \/patient-sessions\/\{id\} 200/);

    server.child.kill("SIGTERM");
    expect(await server.exited()).toBe(0);
    expect(await refused(server.url)).toBe(true);
    const log = server.output();
    expect(log).toMatch(/POST \/patient-sessions 200 [\d.]+ ms [0-9a-f-]{36}/);
    expect(log).not.toContain("secret_patient_7");
    expect(log.split(server.apiKey).length - 1).toBe(1);
    expect(violations).toEqual([]);
  }, 30_000);

  it("drops the connection for a drop fault: the client sees connection_lost", async () => {
    const server = await startCli(["--quiet"]);
    await control(server, "POST", "/faults", { operation: "api.listPatients", drop: true });
    expect(await failure(client(server).patients.list())).toMatchObject({ code: "connection_lost" });
    expect((await client(server).patients.list()).data).toEqual([]);
    expect(server.output()).not.toMatch(/GET \/patients/);
    server.child.kill("SIGINT");
    expect(await server.exited()).toBe(0);
  }, 30_000);

  it("keeps state in --state FILE across a SIGTERM restart, with the same key, and never writes the key", async () => {
    const file = join(dir, "state.json");
    const first = await startCli(["--state", file]);
    await client(first).patients.create({ patient_id: "kept_1", email: "kept@example.com" });
    await client(first).webhooks.create({ url: "https://app.example.com/hooks", events: ["*"] });
    first.child.kill("SIGTERM");
    expect(await first.exited()).toBe(0);
    const saved = readFileSync(file, "utf8");
    expect(JSON.parse(saved)).toMatchObject({ format: "medblocks-sandbox-state", version: 1 });
    expect(saved).not.toContain(first.apiKey);

    const second = await startCli(["--state", file]);
    expect(second.apiKey).toBe(first.apiKey);
    expect(await client(second).patients.retrieve("kept_1")).toMatchObject({ email: "kept@example.com" });
    expect((await client(second).webhooks.list()).data).toHaveLength(1);
    second.child.kill("SIGTERM");
    expect(await second.exited()).toBe(0);
  }, 30_000);

  it("refuses a corrupt state file with a clear error and leaves it unchanged", async () => {
    for (const [name, content] of [
      ["broken.json", '{"format": "medblocks-sandbox-state", '],
      ["wrong.json", JSON.stringify({ format: "medblocks-sandbox-state", version: 1, seed: "s", workspaces: { nothex: {} } })],
    ]) {
      const file = join(dir, name!);
      writeFileSync(file, content!);
      const started = run(["start", "--port", "0", "--state", file]);
      expect(await started.exited()).toBe(1);
      expect(started.output()).toContain(`state file ${file}`);
      expect(started.output()).toMatch(/left unchanged/);
      expect(readFileSync(file, "utf8")).toBe(content);
    }
    const unwritable = run(["start", "--port", "0", "--state", join(dir, "no-such-folder", "state.json")]);
    expect(await unwritable.exited()).toBe(1);
    expect(unwritable.output()).toMatch(/state file .*no-such-folder.* cannot be written/);
  }, 30_000);

  it("links the dashboard and the API reference in its banner; both answer there", async () => {
    const server = await startCli(["--quiet"]);
    const [, dashboard] = await server.waitFor(/Dashboard \(this machine only\): (\S+)/);
    const [, docs] = await server.waitFor(/API reference \(where errors' doc_url points\): (\S+)/);
    expect([dashboard, docs]).toEqual([`${server.url}/__sandbox/`, `${server.url}/docs`]);
    const page = await globalThis.fetch(dashboard!);
    expect([page.status, page.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"]);
    expect(await page.text()).toContain("<h1>Overview</h1>");
    expect((await globalThis.fetch(docs!)).status).toBe(200);
    const error = await fetch(`${server.url}/patients`);
    expect(((await error.json()) as { error: { doc_url: string } }).error.doc_url).toBe(`${docs}#/section/errors/missing_api_key`);
    server.child.kill("SIGTERM");
    expect(await server.exited()).toBe(0);
  }, 30_000);

  it("hands out URLs on --public-url, while listening on 127.0.0.1", async () => {
    const server = await startCli(["--quiet", "--public-url", "https://sandbox.test:8443/"]);
    expect(server.url).toBe("https://sandbox.test:8443");
    const [, listening] = await server.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const session = await client({ url: listening!, apiKey: server.apiKey }).patientSession.init({
      patient_id: "u",
      return_url: "https://app.example.com/back",
    });
    expect(session.url).toMatch(/^https:\/\/sandbox\.test:8443\/c\/[0-9a-f]{32}$/);
    server.child.kill("SIGTERM");
    expect(await server.exited()).toBe(0);
  }, 30_000);

  it("warns before listening beyond this machine", async () => {
    // 192.0.2.1 (TEST-NET-1) is on no interface here: the warning is printed, then binding fails; nothing listens.
    const exposed = run(["start", "--port", "0", "--host", "192.0.2.1"]);
    expect(await exposed.exited()).toBe(1);
    expect(exposed.output()).toMatch(/warning: listening on 192\.0\.2\.1 makes the sandbox reachable from other machines/);
    expect(exposed.output()).toMatch(/cannot listen on 192\.0\.2\.1/);
  }, 30_000);

  it("exits 1 when the port is taken, and 2 for a usage mistake", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const busy = run(["start", "--port", String(port)]);
      expect(await busy.exited()).toBe(1);
      expect(busy.output()).toMatch(new RegExp(`port ${port} on 127.0.0.1 is in use`));
    } finally {
      taken.close();
    }
    const wrong = run(["start", "--prot", "1"]);
    expect(await wrong.exited()).toBe(2);
    expect(wrong.output()).toMatch(/Usage:/);
    const exec = run(["exec", "npm", "test"]);
    expect(await exec.exited()).toBe(2);
    expect(exec.output()).toMatch(/after `--`/);
    const credentials = run(["start", "--public-url", "https://user:pw@sandbox.test"]);
    expect(await credentials.exited()).toBe(2);
    expect(credentials.output()).toMatch(/--public-url must be a URL without a user name or password/);
  }, 30_000);

  it("`npm run sandbox` starts it, and a SIGTERM to npm stops it without leaving a process behind", async () => {
    const npm = run(["run", "--silent", "sandbox", "--", "--port", "0"], { command: "npm" });
    const [, url] = await npm.waitFor(/MEDBLOCKS_BASE_URL=(\S+)/);
    expect((await globalThis.fetch(`${url}/health`)).status).toBe(200);
    npm.child.kill("SIGTERM");
    await npm.exited();
    expect(await refused(url!)).toBe(true);
  }, 30_000);
});

describe("exec", () => {
  const SCRIPT = `
    const response = await fetch(process.env.MEDBLOCKS_BASE_URL + "/patients", {
      method: "POST",
      headers: { authorization: "Bearer " + process.env.MEDBLOCKS_API_KEY, "content-type": "application/json" },
      body: JSON.stringify({ patient_id: "from_exec" }),
    });
    console.log("status", response.status, (await response.json()).id);
    process.exit(Number(process.argv[1]));
  `;

  it("runs the command against a fresh sandbox and exits with its code", async () => {
    for (const code of [0, 3]) {
      const exec = run(["exec", "--", process.execPath, "--input-type=module", "-e", SCRIPT, String(code)]);
      expect(await exec.exited()).toBe(code);
      expect(exec.output()).toContain("status 200 from_exec");
      expect(exec.output()).toMatch(/medblocks-sandbox: http:\/\/127\.0\.0\.1:(\d+) .*; dashboard: http:\/\/127\.0\.0\.1:\1\/__sandbox\//);
    }
  }, 30_000);

  it("with --forward-to, gives the command the endpoint's secret as MEDBLOCKS_WEBHOOK_SECRET", async () => {
    const script = "console.log('secret', process.env.MEDBLOCKS_WEBHOOK_SECRET)";
    const exec = run(["exec", "--forward-to", "http://127.0.0.1:9/hooks", "--", process.execPath, "-e", script]);
    expect(await exec.exited()).toBe(0);
    expect(exec.output()).toMatch(/secret whsec_[A-Za-z0-9]{58}\n/);
    expect(exec.output()).toMatch(/MEDBLOCKS_BASE_URL, MEDBLOCKS_API_KEY and MEDBLOCKS_WEBHOOK_SECRET are set/);
  }, 30_000);

  it("exits 127 for a command that does not exist", async () => {
    const exec = run(["exec", "--", "no-such-command-anywhere"]);
    expect(await exec.exited()).toBe(127);
    expect(exec.output()).toMatch(/command not found/);
  }, 30_000);

  it("passes SIGTERM on to the command and leaves no process behind", async () => {
    const exec = run(["exec", "--", process.execPath, "-e", "console.log('pid', process.pid); setInterval(() => {}, 1000)"]);
    const [, pid] = await exec.waitFor(/pid (\d+)/);
    exec.child.kill("SIGTERM");
    expect(await exec.exited()).toBe(128 + 15);
    expect(alive(Number(pid))).toBe(false);
  }, 30_000);
});

describe("webhooks", () => {
  /** Every process these tests start, killed by its pid after each test if it still runs (a failed test included). */
  const started: Run[] = [];
  const track = <T extends Run>(command: T): T => (started.push(command), command);
  afterEach(() => {
    for (const command of started.splice(0)) if (command.child.exitCode === null && alive(command.pid)) command.child.kill("SIGKILL");
  });

  it("start --forward-to registers one endpoint for every event and prints its secret, the same after a --state restart; trigger fires " +
    "events there", async () => {
    const receiver = await startReceiver();
    const file = join(dir, "forward.json");
    try {
      const first = track(await startCli(["--forward-to", receiver.url, "--state", file]));
      const [, endpointId, secret] = await first.waitFor(
        /forwarded to \S+ \((wh_\w+)\), signed with\s+MEDBLOCKS_WEBHOOK_SECRET=(whsec_\w+)/,
      );
      const trigger = track(run(["trigger", "records.sync.failed", "--base-url", first.url, "--api-key", first.apiKey]));
      expect(await trigger.exited()).toBe(0);
      expect(trigger.output()).toMatch(new RegExp(`records\\.sync\\.failed evt_\\w+ → ${endpointId}: delivered \\(200\\)`));
      expect(trigger.output()).not.toContain(first.apiKey);
      const [delivery] = await receiver.waitFor(1);
      const event = await Medblocks.webhooks.constructEvent(delivery!.raw, delivery!.headers["medblocks-signature"] as string, secret!);
      expect(event.type).toBe("records.sync.failed");
      await first.waitFor(new RegExp(`webhook records\\.sync\\.failed ${event.id} → ${endpointId} attempt 1: delivered 200`));
      first.child.kill("SIGTERM");
      expect(await first.exited()).toBe(0);
      // The secret is printed once, where it was asked for; the log lines never repeat it.
      expect(first.output().split(secret!).length - 1).toBe(1);

      const second = track(await startCli(["--forward-to", receiver.url, "--state", file]));
      await second.waitFor(
        new RegExp(
          `\\(${endpointId}, from ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\), signed with\\s+MEDBLOCKS_WEBHOOK_SECRET=${secret}`,
        ),
      );
      const again = track(
        run(["trigger", "patient_session.completed"], { env: { MEDBLOCKS_BASE_URL: second.url, MEDBLOCKS_API_KEY: second.apiKey } }),
      );
      expect(await again.exited()).toBe(0);
      const deliveries = await receiver.waitFor(3);
      expect(deliveries.slice(1).map((item) => item.json.type)).toEqual(["records.sync.completed", "patient_session.completed"]);
      for (const item of deliveries.slice(1))
        await Medblocks.webhooks.constructEvent(item.raw, item.headers["medblocks-signature"] as string, secret!);
      expect((await client(second).webhooks.list()).data.map((endpoint) => endpoint.id)).toEqual([endpointId]);
      second.child.kill("SIGTERM");
      expect(await second.exited()).toBe(0);
    } finally {
      await receiver.close();
    }
  }, 60_000);

  it("--webhook-timeout gives the receiver longer, and a timed-out delivery's line says after how long and how to raise it", async () => {
    const receiver = await startReceiver();
    /**
     * The first delivery's log line from a sandbox started with `--webhook-timeout ms`, to a receiver that answers in
     * 800 ms (a dev server compiling the route).
     */
    const firstDelivery = async (ms: string): Promise<string> => {
      receiver.answers = [{ status: 200, delayMs: 800 }];
      const server = track(await startCli(["--webhook-timeout", ms, "--forward-to", receiver.url]));
      await server.waitFor(/MEDBLOCKS_WEBHOOK_SECRET=/);
      await control(server, "POST", "/webhooks/trigger", { type: "records.sync.completed" });
      const [line] = await server.waitFor(/webhook records\.sync\.completed \S+ → wh_\w+ attempt 1: .*/);
      server.child.kill("SIGTERM");
      expect(await server.exited()).toBe(0);
      return line;
    };
    try {
      const timedOut = await firstDelivery("200");
      expect(timedOut).toMatch(
        new RegExp(
          /attempt 1: timeout [\d.]+ ms \(timed out after 200 ms without an answer; a dev server compiling the route on its first request, /
            .source + /such as next dev, often takes longer: raise the limit with --webhook-timeout <ms>\), next attempt at /.source,
        ),
      );
      expect(await firstDelivery("3000")).toMatch(/attempt 1: delivered 200 [\d.]+ ms$/);
    } finally {
      await receiver.close();
    }
  }, 30_000);

  it("--webhook-timeout takes whole milliseconds from 1 to 60000", async () => {
    for (const value of ["0", "60001", "5s"]) {
      const mistake = track(run(["start", "--port", "0", "--webhook-timeout", value]));
      expect(await mistake.exited()).toBe(2);
      expect(mistake.output()).toMatch(/--webhook-timeout must be a whole number of milliseconds from 1 to 60000/);
    }
  }, 30_000);

  it("--forward-to takes loopback URLs only, unless --allow-remote-webhooks", async () => {
    const remote = track(run(["start", "--port", "0", "--forward-to", "https://hooks.example.com/medblocks"]));
    expect(await remote.exited()).toBe(2);
    expect(remote.output()).toMatch(/--forward-to cannot be used: hooks\.example\.com is not a loopback address.*--allow-remote-webhooks/);
    const notUrl = track(run(["start", "--port", "0", "--forward-to", "hooks"]));
    expect(await notUrl.exited()).toBe(2);
    expect(notUrl.output()).toMatch(/--forward-to cannot be used: it must be an absolute http\(s\) URL/);
    const allowed = track(await startCli(["--quiet", "--allow-remote-webhooks", "--forward-to", "https://hooks.example.com/medblocks"]));
    await allowed.waitFor(/forwarded to https:\/\/hooks\.example\.com\/medblocks/);
    allowed.child.kill("SIGTERM");
    expect(await allowed.exited()).toBe(0);
  }, 30_000);

  it("trigger prints what a foreign server answered with its control characters escaped", async () => {
    // Not a sandbox: a server that answers with terminal controls (ESC, BEL, 8-bit CSI, a bidi override) in every text.
    const evil = "\u001b]0;owned\u0007\u001b[2J\u009b31m\u202eevil";
    let answer: { status: number; body: unknown } = { status: 403, body: { error: { message: `refused ${evil}` } } };
    const foreign = httpServer((_request, response) =>
      response.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body)),
    );
    await new Promise<void>((resolve) => foreign.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(foreign.address() as { port: number }).port}`;
    const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
    try {
      const refused = track(run(["trigger", "records.sync.failed", "--base-url", url, "--api-key", "mb_sk_sbx_x"]));
      expect(await refused.exited()).toBe(1);
      expect(refused.output()).toContain("refused \\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\u202eevil");
      expect(refused.output()).not.toMatch(CONTROLS);
      const event = {
        type: "records.sync.failed",
        id: `evt_${evil}`,
        webhook_endpoint_id: `wh_${evil}`,
        delivered_at: evil,
        last_status_code: 200,
        attempts: 1,
        next_attempt_at: null,
      };
      answer = { status: 200, body: { patient_id: "p", patient_session_id: `ps_${evil}`, events: [event] } };
      const accepted = track(run(["trigger", "records.sync.failed", "--base-url", url, "--api-key", "mb_sk_sbx_x"]));
      expect(await accepted.exited()).toBe(0);
      expect(accepted.output()).toContain("records.sync.failed evt_\\x1b]0;owned");
      expect(accepted.output()).not.toMatch(CONTROLS);
    } finally {
      foreign.closeAllConnections();
      await new Promise((resolve) => foreign.close(resolve));
    }
  }, 30_000);

  it("trigger says what is wrong: a usage mistake exits 2, a sandbox it cannot use exits 1", async () => {
    const noKey = { MEDBLOCKS_API_KEY: undefined, MEDBLOCKS_BASE_URL: undefined };
    for (const [args, pattern] of [
      [["trigger"], /trigger takes one event type/],
      [["trigger", "patient.created", "--api-key", "mb_sk_sbx_x"], /`patient\.created` is not an event type/],
      [["trigger", "records.sync.failed"], /--api-key \(or MEDBLOCKS_API_KEY\) is required/],
      [["trigger", "records.sync.failed", "--api-key", "mb_sk_live_x"], /never send a live key/],
    ] as const) {
      const mistake = track(run([...args], { env: noKey }));
      expect(await mistake.exited()).toBe(2);
      expect(mistake.output()).toMatch(pattern);
    }
    const port = await closedPort();
    const nobody = track(run(["trigger", "records.sync.failed", "--base-url", `http://127.0.0.1:${port}`, "--api-key", "mb_sk_sbx_x"]));
    expect(await nobody.exited()).toBe(1);
    expect(nobody.output()).toMatch(/cannot reach a sandbox at http:\/\/127\.0\.0\.1:\d+/);
    const server = track(await startCli(["--quiet"]));
    try {
      const unheard = track(run(["trigger", "records.sync.failed", "--base-url", server.url, "--api-key", "mb_sk_sbx_nobody_listens"]));
      expect(await unheard.exited()).toBe(1);
      expect(unheard.output()).toMatch(/no active endpoint of this workspace subscribes to it/);
      // An endpoint that hears only the companion event (the sync that follows) does not count.
      const partial = { url: server.url, apiKey: "mb_sk_sbx_hears_only_syncs" };
      await client(partial).webhooks.create({ url: "http://127.0.0.1:9/hooks", events: ["records.sync.completed"] });
      const companion = track(run(["trigger", "connection.token_refresh_failed", "--base-url", server.url, "--api-key", partial.apiKey]));
      expect(await companion.exited()).toBe(1);
      expect(companion.output()).toMatch(/no active endpoint of this workspace subscribes to it/);
    } finally {
      server.child.kill("SIGTERM");
      await server.exited();
    }
  }, 30_000);
});

it("treats only loopback addresses as private", () => {
  expect(["127.0.0.1", "127.1.2.3", "::1", "localhost"].every(isLoopback)).toBe(true);
  expect(["0.0.0.0", "::", "192.168.1.10"].some(isLoopback)).toBe(false);
});
