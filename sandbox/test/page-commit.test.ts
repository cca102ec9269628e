/**
 * The hosted page builds its answer before it changes anything: when the
 * answer cannot be built, the session is as it was. The API refuses a
 * `return_url` that cannot go in a `Location` header, so the record is
 * corrupted here by hand, as a state file from another version could hold it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Medblocks } from "../../src/index.js";
import { createApp } from "../src/http/app.js";
import { CATALOG, createSandbox } from "../src/index.js";
import { createCore } from "../src/core.js";
import { Store } from "../src/state/store.js";
import { asPage, Browser } from "../src/page/browser.js";

const BASE = "http://sandbox.localhost";
const KEY = `mb_sk_sbx_${"a".repeat(32)}`;
const BAD_RETURN = "https://app.example.com/…/→";

const cores: ReturnType<typeof createCore>[] = [];
afterEach(() => Promise.all(cores.splice(0).map((core) => core.deliveries.close())));

function setup() {
  const reports: string[] = [];
  const core = createCore({ store: new Store(), time: Date.now, baseUrl: BASE, strict: false, report: (line) => reports.push(line) });
  cores.push(core);
  const app = createApp(core);
  const fetch = async (input: string | URL | Request, init?: RequestInit) =>
    app.fetch(input instanceof Request ? input : new Request(input, init));
  const mb = new Medblocks(KEY, { baseUrl: BASE, fetch, maxNetworkRetries: 0 });
  /** The session's record, changed behind the API's back. */
  const corrupt = (id: string) => (core.store.workspace(KEY).sessions.get(id)!.return_url = BAD_RETURN);
  return { mb, browser: new Browser(fetch, BASE), corrupt, reports, core };
}

describe("a return the page cannot send", () => {
  it("hosted mode: 'Return to …' answers a page, and the session stays open with nothing announced", async () => {
    const { mb, browser, corrupt, reports, core } = setup();
    // An endpoint for every event: a completion would be announced to it.
    await mb.webhooks.create({ url: "http://127.0.0.1:9/hooks", events: ["*"] });
    const session = await mb.patientSession.init({ patient_id: "user_1", return_url: "https://app.example.com/back" });
    corrupt(session.id);
    const revision = core.store.revision;
    const answer = asPage(await browser.submit(asPage(await browser.open(session.url)), "Return to app"));
    expect([answer.status, answer.headings(1)]).toEqual([500, ["This session cannot return to the app"]]);
    expect((await mb.patientSession.retrieve(session.id)).status).toBe("open");
    expect(core.store.workspace(KEY).events.size).toBe(0);
    expect(core.store.revision).toBe(revision);
    expect(reports.join("\n")).toMatch(/cannot redirect to this session's return_url/);
  });

  it("direct mode: approving answers a page, and nothing is connected or completed", async () => {
    const { mb, browser, corrupt } = setup();
    const session = await mb.patientSession.init({
      patient_id: "user_1",
      return_url: "https://app.example.com/back",
      connection_id: CATALOG[0]!.id,
    });
    corrupt(session.id);
    const answer = asPage(await browser.submit(asPage(await browser.open(session.url)), "Approve access"));
    expect(answer.status).toBe(500);
    const after = await mb.patientSession.retrieve(session.id);
    expect([after.status, after.connections]).toEqual(["open", []]);
    expect((await mb.patients.retrieve("user_1")).connections).toEqual([]);
  });
});

describe("a state holding a return_url the API refuses", () => {
  it("is refused at import, naming the field", async () => {
    const sb = createSandbox();
    const mb = new Medblocks(sb.apiKey, { baseUrl: sb.baseUrl, fetch: sb.fetch });
    await mb.patientSession.init({ patient_id: "user_1", return_url: "https://app.example.com/back" });
    const state = sb.exportState();
    state.workspace.sessions[0]!.return_url = BAD_RETURN;
    expect(() => sb.importState(state)).toThrow(
      expect.objectContaining({
        status: 400,
        message: expect.stringContaining(
          "`workspace.sessions[0].return_url` must be printable ASCII (`!` to `~`); percent-encode any other character",
        ),
      }),
    );
    await sb.close();
  });
});
