/**
 * Every kind of change reaches the state file before its answer leaves, and
 * wakes the webhook deliveries: an API call (a read that used up a fault
 * included), the hosted page's forms, each control, a dashboard action, and
 * the delivery worker's own records. After each, what a kill -9 at that
 * moment would bring back (a copy of the state file and its journal, loaded
 * as a restart loads them) equals the workspace as the sandbox answers it;
 * a delivery that a change made due arrives with no other request, flush or
 * timer to wake it.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CATALOG, startServer, type SandboxServer, type WorkspaceExport } from "../src/index.js";
import { asLanding, asPage, Browser } from "../src/page/browser.js";
import { openStateFile } from "../src/state/file.js";
import { call } from "./support/process.js";
import { startReceiver, type Receiver } from "./support/receiver.js";

const dir = mkdtempSync(join(tmpdir(), "medblocks-sandbox-changes-"));
const file = join(dir, "state.json");
const EHR = CATALOG[0]!;
/**
 * How long a woken delivery may take to arrive (a loaded machine included):
 * far below the retry waits (a minute and more) that a missed wake would
 * leave it to, where it is not left waiting for good.
 */
const AT_ONCE_MS = 10_000;

let server: SandboxServer;
let receiver: Receiver;
let browser: Browser;
const reports: string[] = [];

beforeAll(async () => {
  server = await startServer({ port: 0, stateFile: file, webhookTimeoutMs: 1_000, report: (line) => reports.push(line) });
  receiver = await startReceiver();
  browser = new Browser(fetch, server.url);
});
afterAll(async () => {
  await server.close();
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  receiver.received.length = 0;
  receiver.answers = [];
});

let keys = 0;
/** A workspace of its own for each test. */
const newKey = () => `mb_sk_sbx_changes_${++keys}`;

/** The key's workspace as a restart from the files as they are now would bring it back. */
function onDisk(key: string): WorkspaceExport {
  const copy = join(mkdtempSync(join(dir, "copy-")), "state.json");
  copyFileSync(file, copy);
  copyFileSync(`${file}.journal`, `${copy}.journal`);
  const state = openStateFile(copy, (line) => reports.push(line));
  try {
    return state.store.exportWorkspace(key);
  } finally {
    state.release();
  }
}

/** Fails unless the state file holds the key's workspace as the sandbox answers it now. */
async function expectSaved(key: string, after: string): Promise<void> {
  const saved = onDisk(key);
  const live = await call(server, "GET", "/__sandbox/state", undefined, key);
  expect(saved, `the state file after ${after}`).toEqual(live.body);
}

/** A 200 call's body. */
async function ok(key: string, method: string, path: string, body?: unknown) {
  const answer = await call(server, method, path, body, key);
  expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(200);
  return answer.body;
}

/** Waits (bounded, sending no request) until the state file shows `check` true of the key's workspace. */
async function savedWhen(key: string, what: string, check: (saved: WorkspaceExport["workspace"]) => boolean): Promise<void> {
  for (const deadline = Date.now() + 10_000; !check(onDisk(key).workspace); ) {
    if (Date.now() > deadline) throw new Error(`the state file never showed ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The state file shows `count` delivery attempts in all, as the delivery worker recorded them. */
const attemptsSaved = (key: string, count: number) =>
  savedWhen(key, `${count} delivery attempts`, (saved) => saved.events.reduce((sum, event) => sum + event.attempts, 0) === count);

/** The receiver got `received` deliveries in all, at once; then the state file has the key's `attempts` recorded, and all else. */
async function deliveredAndSaved(key: string, received: number, attempts: number, after: string): Promise<void> {
  await receiver.waitFor(received, AT_ONCE_MS);
  await attemptsSaved(key, attempts);
  await expectSaved(key, after);
}

describe("every change is in the state file when its answer leaves", () => {
  it("API calls, a read that used up a fault among them", async () => {
    const key = newKey();
    const hook = await ok(key, "POST", "/webhooks", { url: receiver.url, events: ["*"] });
    await expectSaved(key, "POST /webhooks");
    await ok(key, "POST", "/patients", { patient_id: "p1" });
    await expectSaved(key, "POST /patients");
    await ok(key, "PUT", "/patients/p1", { patient_id: "p1", name: "Pat One" });
    await expectSaved(key, "PUT /patients/{id}");
    await ok(key, "POST", "/patient-sessions", { patient_id: "p1", return_url: "https://app.example.com/back" });
    await expectSaved(key, "POST /patient-sessions");
    await ok(key, "PATCH", `/webhooks/${hook.id}`, { description: "renamed" });
    await expectSaved(key, "PATCH /webhooks/{id}");
    await ok(key, "POST", `/webhooks/${hook.id}/rotate-secret`);
    await expectSaved(key, "POST /webhooks/{id}/rotate-secret");
    await ok(key, "POST", "/__sandbox/faults", { operation: "api.getWebhook", status: 500, times: 2 });
    expect((await call(server, "GET", `/webhooks/${hook.id}`, undefined, key)).status).toBe(500);
    expect(onDisk(key).workspace.faults).toMatchObject([{ remaining: 1 }]);
    await expectSaved(key, "a GET that used up a fault");
    await ok(key, "DELETE", "/patients/p1");
    await expectSaved(key, "DELETE /patients/{id}");
    await ok(key, "DELETE", `/webhooks/${hook.id}`);
    await expectSaved(key, "DELETE /webhooks/{id}");
  }, 60_000);

  it("the hosted page's forms: a denial, an approval, a return, a direct visit", async () => {
    const key = newKey();
    await ok(key, "POST", "/webhooks", { url: receiver.url, events: ["*"] });
    const hosted = await ok(key, "POST", "/patient-sessions", { patient_id: "p1", return_url: "https://app.example.com/back" });
    const picker = asPage(await browser.open(hosted.url));
    asPage(await browser.submit(asPage(await browser.follow(picker, EHR.name)), "Deny access"));
    await expectSaved(key, "a denial on the hosted page");
    const back = asPage(await browser.submit(asPage(await browser.follow(picker, EHR.name)), "Approve access"));
    await deliveredAndSaved(key, 1, 1, "an approval on the hosted page, and its delivery");
    asLanding(await browser.submit(back, "Return to app"));
    await deliveredAndSaved(key, 2, 2, "the return, and its delivery");
    const direct = await ok(key, "POST", "/patient-sessions", {
      patient_id: "p2",
      return_url: "https://app.example.com/back",
      connection_id: CATALOG[1]!.id,
    });
    asLanding(await browser.submit(asPage(await browser.open(direct.url)), "Deny access"));
    expect(onDisk(key).workspace.sessions.find((session) => session.id === direct.id)?.completed_at).not.toBeNull();
    await deliveredAndSaved(key, 3, 3, "a direct visit, and its delivery");
  }, 60_000);

  it("each control: complete, clock advance, launch context, faults, trigger, import, reset", async () => {
    const key = newKey();
    await ok(key, "POST", "/webhooks", { url: receiver.url, events: ["*"] });
    receiver.answers = [{ status: 500 }];
    const session = await ok(key, "POST", "/patient-sessions", { patient_id: "p1", return_url: "https://app.example.com/back" });
    await ok(key, "POST", `/__sandbox/patient-sessions/${session.id}/complete`, {});
    await expectSaved(key, "a completion");
    await deliveredAndSaved(key, 1, 1, "a failed delivery, its retry planned a minute on");
    await ok(key, "POST", "/__sandbox/clock/advance", { seconds: 61 });
    await expectSaved(key, "a clock advance");
    await deliveredAndSaved(key, 2, 2, "the retry the advance made due");
    await ok(key, "POST", "/__sandbox/launch-contexts", { connection_id: EHR.id, patient_id: "p1" });
    await expectSaved(key, "a launch context");
    await ok(key, "POST", "/__sandbox/faults", { delivery: "duplicate", times: 2 });
    await expectSaved(key, "a delivery fault");
    await ok(key, "DELETE", "/__sandbox/faults");
    await expectSaved(key, "clearing the faults");
    receiver.answers = [{ status: 500 }];
    await ok(key, "POST", "/__sandbox/webhooks/trigger", { type: "records.sync.completed" });
    await expectSaved(key, "a trigger, with its delivery");

    // The import holds an event due now: its delivery goes out as the import is answered.
    const exported = await ok(key, "GET", "/__sandbox/state");
    const retry = exported.workspace.events.find((event: { next_attempt_at: string | null }) => event.next_attempt_at !== null);
    retry.next_attempt_at = retry.created_at;
    const other = newKey();
    await ok(other, "PUT", "/__sandbox/state", exported);
    await expectSaved(other, "an import");
    const imported = exported.workspace.events.reduce((sum: number, event: { attempts: number }) => sum + event.attempts, 0);
    await deliveredAndSaved(other, 4, imported + 1, "the imported event's delivery");

    await ok(key, "POST", "/__sandbox/reset");
    expect(onDisk(key).workspace.seq).toBe(0);
    await expectSaved(key, "a reset");
  }, 60_000);

  it("the delivery worker's own writes: an out_of_order hold takes its fault, then the delivery after the hold", async () => {
    const key = newKey();
    await ok(key, "POST", "/webhooks", { url: receiver.url, events: ["*"] });
    await ok(key, "POST", "/__sandbox/faults", { delivery: "out_of_order" });
    const session = await ok(key, "POST", "/patient-sessions", { patient_id: "p1", return_url: "https://app.example.com/back" });
    await ok(key, "POST", `/__sandbox/patient-sessions/${session.id}/complete`, {});
    // Held back (nothing overtakes it) for a second: the worker took the fault, and says so to the state file.
    await savedWhen(key, "the out_of_order fault used up", (saved) => saved.delivery_faults!.length === 0);
    expect(receiver.received).toHaveLength(0);
    await deliveredAndSaved(key, 1, 1, "the held delivery");
  }, 60_000);

  it("an API call that makes a paused endpoint's delivery due: re-enabling it", async () => {
    const key = newKey();
    const hook = await ok(key, "POST", "/webhooks", { url: receiver.url, events: ["*"] });
    receiver.answers = [{ status: 500 }];
    const session = await ok(key, "POST", "/patient-sessions", { patient_id: "p1", return_url: "https://app.example.com/back" });
    await ok(key, "POST", `/__sandbox/patient-sessions/${session.id}/complete`, {});
    await deliveredAndSaved(key, 1, 1, "a failed delivery");
    await ok(key, "PATCH", `/webhooks/${hook.id}`, { status: "disabled" });
    // The retry falls due while the endpoint is paused: it waits for the endpoint, with no timer of its own.
    await ok(key, "POST", "/__sandbox/clock/advance", { seconds: 61 });
    await ok(key, "PATCH", `/webhooks/${hook.id}`, { status: "active" });
    await expectSaved(key, "re-enabling the endpoint");
    await deliveredAndSaved(key, 2, 2, "the retry");
  }, 60_000);

  it("a dashboard action: a redelivery", async () => {
    const key = server.apiKey;
    await ok(key, "POST", "/webhooks", { url: receiver.url, events: ["*"] });
    const { events } = await ok(key, "POST", "/__sandbox/webhooks/trigger", { type: "records.sync.completed" });
    const overview = asPage(await browser.open(`${server.url}/__sandbox/`));
    const eventPage = asPage(await browser.open(`${overview.url}/events/${events[0].id}`));
    asPage(await browser.submit(eventPage, "Redeliver"));
    expect(receiver.received).toHaveLength(2);
    await expectSaved(key, "a redelivery from the dashboard");
  }, 60_000);

  it("reported no failure to write", () => {
    expect(reports.filter((line) => /could not write/.test(line))).toEqual([]);
  });
});
