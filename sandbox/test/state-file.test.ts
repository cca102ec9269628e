/**
 * `--state FILE` as it holds on disk, against real server processes
 * (stopped by pid after each test): nothing answered 2xx is lost when the
 * process is killed (kill -9 in the middle of a burst of writes, several
 * rounds), every kind of change comes back after a kill, one sandbox at a
 * time uses a file (a dead one's lock is taken over), its files are 0600
 * and never written through a planted link, and a failed write is
 * reported while the sandbox keeps serving.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CATALOG } from "../src/index.js";
import { startServer } from "../src/http/server.js";
import { call, run, startCli, stoppedAfterEach } from "./support/process.js";
import { closedPort, startReceiver } from "./support/receiver.js";

const dir = mkdtempSync(join(tmpdir(), "medblocks-sandbox-state-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const track = stoppedAfterEach();

interface Server {
  url: string;
  apiKey: string;
}

/** Every patient id of the key's workspace, paging through the list. */
async function patientIds(server: Server, key = server.apiKey): Promise<Set<string>> {
  const ids = new Set<string>();
  let after: string | undefined;
  for (let page = 0; page < 1_000; page++) {
    const list = await call(
      server,
      "GET",
      `/patients?limit=100${after ? `&starting_after=${encodeURIComponent(after)}` : ""}`,
      undefined,
      key,
    );
    for (const patient of list.body.data) ids.add(patient.id);
    if (!list.body.has_more) return ids;
    after = list.body.next_cursor;
  }
  throw new Error("more than 1,000 pages");
}

const mode = (path: string) => statSync(path).mode & 0o777;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("kill -9", () => {
  it("loses nothing that was answered 2xx: a burst of creates, killed mid-burst, four rounds", async () => {
    const file = join(dir, "burst.json");
    const acknowledged = new Set<string>();
    let server = track(await startCli(["--quiet", "--state", file]));
    for (let round = 0; round < 4; round++) {
      let next = 0;
      let answered = 0;
      let stop = false;
      const writer = async () => {
        while (!stop) {
          const id = `r${round}_${next++}`;
          const answer = await call(server, "POST", "/patients", { patient_id: id, metadata: { round } }).catch(() => undefined);
          if (answer === undefined) return;
          if (answer.status !== 200) continue;
          acknowledged.add(id);
          answered++;
        }
      };
      const writers = Array.from({ length: 32 }, writer);
      // Killed while the writes go on (some answered, some in flight, some not yet sent), at a different point each round.
      for (let waited = 0; answered < 200 && waited < 200; waited++) await pause(50);
      await pause(round * 70);
      expect(answered).toBeGreaterThanOrEqual(200);
      server.child.kill("SIGKILL");
      stop = true;
      await Promise.all(writers);
      await server.exited();
      expect(existsSync(`${file}.lock`)).toBe(true);

      server = track(await startCli(["--quiet", "--state", file]));
      await server.waitFor(/taking over its lock .*\.lock, left by pid \d+, which no longer runs/);
      const kept = await patientIds(server);
      const lost = [...acknowledged].filter((id) => !kept.has(id));
      expect(lost, `round ${round}: ${lost.length} of ${acknowledged.size} acknowledged patients lost`).toEqual([]);
    }
    server.child.kill("SIGTERM");
    expect(await server.exited()).toBe(0);
  }, 120_000);

  it("brings back every kind of change as it was, through the journal and past a rewrite of the snapshot", async () => {
    const file = join(dir, "every-change.json");
    const receiver = await startReceiver();
    try {
      const first = track(await startCli(["--quiet", "--state", file]));
      const A = first.apiKey;
      const B = "mb_sk_sbx_state_file_import_target";
      const C = "mb_sk_sbx_state_file_reset";
      const D = "mb_sk_sbx_state_file_large";
      const ehr = CATALOG[0]!.id;
      const ok = async (method: string, path: string, body?: unknown, key = A) => {
        const answer = await call(first, method, path, body, key);
        expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(200);
        return answer.body;
      };
      // Past 4 MB of journal the snapshot is written anew: what follows is in the journal after it only.
      for (let index = 0; index < 6; index++)
        await ok("POST", "/patients", { patient_id: `big_${index}`, metadata: { pad: "x".repeat(900_000) } }, D);
      await ok("POST", "/patients", { patient_id: "after_the_rewrite" }, D);
      await ok("POST", "/__sandbox/clock/advance", { seconds: 3_600 });
      const hook = await ok("POST", "/webhooks", { url: receiver.url, events: ["*"], metadata: { team: "a" } });
      await ok("POST", "/webhooks", { url: `http://127.0.0.1:${await closedPort()}/hooks`, events: ["records.sync.failed"] });
      await ok("POST", "/patients", { patient_id: "p1", email: "p1@example.com", metadata: { plan: "pro" } });
      await ok("PUT", "/patients/p1", { patient_id: "p1", name: "Pat One" });
      const hosted = await ok("POST", "/patient-sessions", {
        patient_id: "p1",
        return_url: "https://app.example.com/back",
        recommended_connection_ids: [ehr],
      });
      const done = await ok("POST", `/__sandbox/patient-sessions/${hosted.id}/complete`, { outcome: "approve", connection_id: ehr });
      await ok("POST", "/patient-sessions", {
        patient_id: "p2",
        patient_email: "p2@example.com",
        return_url: "https://app.example.com/back",
      });
      const failedSync = await ok("POST", "/patient-sessions", {
        patient_id: "p3",
        return_url: "https://app.example.com/back",
        connection_id: CATALOG[1]!.id,
      });
      // The hosted page, as a browser posts its forms: a direct-mode visit (which completes the
      // session), and a hosted-mode visit the patient has not returned from.
      const visit = async (pageUrl: string, outcome: string) => {
        const page = await (await fetch(pageUrl)).text();
        const [, action, token] = /<form method="post" action="([^"]+)"><input type="hidden" name="form_token" value="([^"]+)">/.exec(
          page,
        )!;
        const posted = await fetch(new URL(action!, first.url), {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ form_token: token!, outcome }),
        });
        expect(posted.status).toBe(303);
      };
      await visit(failedSync.url, "records_sync_failed");
      const open = await ok("POST", "/patient-sessions", { patient_id: "p4", return_url: "https://app.example.com/back" });
      await visit(`${open.url}/ehr/${CATALOG[2]!.id}`, "approve");
      const link = done.session.connections[0].id;
      await ok("DELETE", `/patients/p1/connections/${link}`);
      await ok("PATCH", `/webhooks/${hook.id}`, { description: "renamed" });
      await ok("POST", `/webhooks/${hook.id}/rotate-secret`);
      await receiver.waitFor(2);
      const event = (await ok("GET", `/webhooks/${hook.id}/events`)).data[0];
      await ok("POST", `/events/${event.id}/redeliver`);
      await ok("POST", "/__sandbox/faults", { operation: "api.getWebhook", status: 500, times: 3 });
      await ok("POST", "/__sandbox/faults", { delivery: "duplicate", times: 2 });
      await ok("POST", "/__sandbox/launch-contexts", { connection_id: ehr, patient_id: "p1" });
      await ok("POST", "/__sandbox/webhooks/trigger", { type: "records.sync.completed" });
      await ok("DELETE", "/patients/p2");
      // Another workspace takes A's as an import; a third is reset to nothing.
      await ok("POST", "/patients", { patient_id: "b1" }, B);
      await ok("PUT", "/__sandbox/state", await ok("GET", "/__sandbox/state"), B);
      await ok("POST", "/patients", { patient_id: "c1" }, C);
      await ok("POST", "/__sandbox/reset", undefined, C);

      const exports = async (server: Server) =>
        Promise.all([A, B, C, D].map(async (key) => (await call(server, "GET", "/__sandbox/state", undefined, key)).body));
      // Deliveries settle (the failing endpoint's retry is an hour away).
      let before = await exports(first);
      for (let tries = 0; tries < 20; tries++) {
        await pause(250);
        const now = await exports(first);
        if (JSON.stringify(now) === JSON.stringify(before)) break;
        before = now;
      }
      expect(statSync(`${file}.journal`).size).toBeLessThan(4_000_000);
      first.child.kill("SIGKILL");
      await first.exited();

      const second = track(await startCli(["--quiet", "--state", file]));
      expect(second.apiKey).toBe(A);
      expect(await exports(second)).toEqual(before);
      expect(before[2].workspace.seq).toBe(0);
      second.child.kill("SIGTERM");
      expect(await second.exited()).toBe(0);
      // A clean stop leaves the snapshot alone: no journal, no lock.
      expect(existsSync(`${file}.journal`)).toBe(false);
      expect(existsSync(`${file}.lock`)).toBe(false);
    } finally {
      await receiver.close();
    }
  }, 120_000);
});

describe("the files", () => {
  it("one sandbox at a time: a second on the same file refuses, naming the first's pid, and the first goes on", async () => {
    const file = join(dir, "shared.json");
    const first = track(await startCli(["--quiet", "--state", file]));
    const second = track(run(["start", "--port", "0", "--quiet", "--state", file]));
    expect(await second.exited()).toBe(1);
    expect(second.output()).toContain(`state file ${file} is in use by another sandbox (pid ${first.pid}, per ${file}.lock)`);
    expect((await call(first, "POST", "/patients", { patient_id: "p1" })).status).toBe(200);
    first.child.kill("SIGTERM");
    expect(await first.exited()).toBe(0);
    const third = track(await startCli(["--quiet", "--state", file]));
    expect([...(await patientIds(third))]).toEqual(["p1"]);
    expect(third.output()).not.toMatch(/taking over/);
    third.child.kill("SIGTERM");
    expect(await third.exited()).toBe(0);
  }, 30_000);

  it("are 0600, an existing 0644 state file included, since they hold webhook secrets and the seed of the printed key", async () => {
    const file = join(dir, "private.json");
    const first = track(await startCli(["--quiet", "--state", file]));
    await call(first, "POST", "/webhooks", { url: "https://app.example.com/hooks", events: ["*"] });
    for (const path of [file, `${file}.journal`, `${file}.lock`]) expect(mode(path), path).toBe(0o600);
    first.child.kill("SIGTERM");
    expect(await first.exited()).toBe(0);
    chmodSync(file, 0o644);
    expect(mode(file)).toBe(0o644);
    const second = track(await startCli(["--quiet", "--state", file]));
    expect(mode(file)).toBe(0o600);
    second.child.kill("SIGTERM");
    expect(await second.exited()).toBe(0);
    expect(mode(file)).toBe(0o600);
  }, 30_000);

  it("are never written through a link planted where the sandbox writes", async () => {
    const file = join(dir, "planted.json");
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "precious\n");
    // The temporary name the sandbox once used, and the journal's and the lock's names.
    for (const name of [`${file}.tmp-${process.pid}`, `${file}.journal`, `${file}.lock`]) symlinkSync(victim, name);
    const reports: string[] = [];
    const server = await startServer({ port: 0, stateFile: file, report: (text) => reports.push(text) });
    try {
      expect((await call(server, "POST", "/patients", { patient_id: "p1" })).status).toBe(200);
    } finally {
      await server.close();
    }
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
    expect(reports.join("\n")).toMatch(/taking over its lock .*, left by a process that wrote no pid/);
    const restarted = await startServer({ port: 0, stateFile: file });
    try {
      expect([...(await patientIds(restarted))]).toEqual(["p1"]);
    } finally {
      await restarted.close();
    }
  }, 30_000);

  it("a write that fails is reported, the sandbox keeps serving, and writes the whole state once it can", async () => {
    const folder = join(dir, "vanishing");
    mkdirSync(folder);
    const file = join(folder, "state.json");
    const server = track(await startCli(["--quiet", "--state", file]));
    expect((await call(server, "POST", "/patients", { patient_id: "before" })).status).toBe(200);
    // The folder goes: the journal (open) still takes changes, a new snapshot cannot be made.
    rmSync(folder, { recursive: true });
    for (let index = 0; index < 5; index++) {
      expect((await call(server, "POST", "/patients", { patient_id: `big_${index}`, metadata: { pad: "x".repeat(900_000) } })).status).toBe(
        200,
      );
    }
    await server.waitFor(/could not write state file .*: ENOENT.*The sandbox keeps serving from memory/);
    expect((await call(server, "GET", "/patients?limit=1")).status).toBe(200);
    mkdirSync(folder);
    await pause(1_100);
    expect((await call(server, "POST", "/patients", { patient_id: "after" })).status).toBe(200);
    await server.waitFor(/state file .* is written again/);
    server.child.kill("SIGKILL");
    await server.exited();
    const again = track(await startCli(["--quiet", "--state", file]));
    expect([...(await patientIds(again))].sort()).toEqual(["after", "before", "big_0", "big_1", "big_2", "big_3", "big_4"]);
    again.child.kill("SIGTERM");
    expect(await again.exited()).toBe(0);
  }, 60_000);
});
