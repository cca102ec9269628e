/**
 * The route handlers, called as Next.js calls them (a NextRequest in, a
 * Response out), against an in-process sandbox: the client lib/medblocks.ts
 * makes reads MEDBLOCKS_API_KEY and MEDBLOCKS_BASE_URL, and its requests go
 * to the sandbox through the global `fetch`.
 */
import { Medblocks } from "medblocks-client";
import { createSandbox, type Sandbox } from "medblocks-sandbox";
import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as startSession } from "@/app/api/patient-sessions/route";
import { POST as signInRoute } from "@/app/api/signin/route";
import { POST as signOutRoute } from "@/app/api/signout/route";
import { POST as receiveWebhook } from "@/app/api/webhooks/medblocks/route";
import { store } from "@/lib/store";

const APP = "http://127.0.0.1:3000";
let sb: Sandbox;
let mb: Medblocks;
let secret: string;

beforeAll(async () => {
  // Deliveries go straight to the receiver, as Next.js would hand them over.
  sb = createSandbox({ webhookFetch: (url, init) => receiveWebhook(new Request(url, init)) });
  mb = new Medblocks(sb.apiKey, { baseUrl: sb.baseUrl, fetch: sb.fetch });
  secret = (await mb.webhooks.create({ url: `${APP}/api/webhooks/medblocks`, events: ["*"] })).secret;
  vi.stubEnv("MEDBLOCKS_API_KEY", sb.apiKey);
  vi.stubEnv("MEDBLOCKS_BASE_URL", sb.baseUrl);
  vi.stubEnv("MEDBLOCKS_WEBHOOK_SECRET", secret);
  vi.stubEnv("APP_URL", APP);
  vi.stubGlobal("fetch", sb.fetch);
});
beforeEach(() => {
  // The receiver logs a line per delivery; the tests that care look at them.
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  await sb.close();
});

const post = (path: string, headers: Record<string, string>, body?: BodyInit) =>
  new NextRequest(`${APP}${path}`, { method: "POST", headers, ...(body === undefined ? {} : { body }) });
const form = (fields: Record<string, string>) => new URLSearchParams(fields);
const FROM_HERE = { "sec-fetch-site": "same-origin", origin: APP };

/** Signs `username` in through the route; the cookie, and the token the app's pages would render. */
async function signIn(username: string): Promise<{ cookie: string; csrfToken: string }> {
  const response = await signInRoute(post("/api/signin", FROM_HERE, form({ username })));
  expect([response.status, response.headers.get("location")]).toEqual([303, `${APP}/`]);
  const cookie = response.headers.getSetCookie()[0]!.split(";")[0]!;
  return { cookie, csrfToken: store.signInOf(cookie.split("=")[1]!)!.csrfToken };
}

describe("POST /api/patient-sessions", () => {
  it("starts a session for the signed-in user, remembers its id for them, and answers its url", async () => {
    const { cookie, csrfToken } = await signIn("ada");
    const response = await startSession(post("/api/patient-sessions", { ...FROM_HERE, cookie, "x-csrf-token": csrfToken }));
    expect(response.status).toBe(200);
    const { url } = (await response.json()) as { url: string };
    const session = await mb.patientSession.retrieve(store.sessionStartedFor("ada")!);
    expect(session).toMatchObject({
      url,
      patient_id: "ada",
      return_url: `${APP}/connected`,
      return_button_label: "Back to Example Health App",
    });
    expect(session.recommended_connection_ids).toHaveLength(3);
  });

  it("accepts a browser that sends Origin but not Sec-Fetch-Site", async () => {
    const { cookie, csrfToken } = await signIn("grace");
    const response = await startSession(post("/api/patient-sessions", { origin: APP, cookie, "x-csrf-token": csrfToken }));
    expect(response.status).toBe(200);
  });

  it("refuses what a page elsewhere can send, and a request without the sign-in's token; nothing is started", async () => {
    const { cookie, csrfToken } = await signIn("mallory-target");
    const wrongToken = csrfToken.replace(/^./, (char) => (char === "A" ? "B" : "A"));
    const cases: [string, Record<string, string>, number][] = [
      ["another site", { "sec-fetch-site": "cross-site", origin: "https://elsewhere.example", "x-csrf-token": csrfToken }, 403],
      [
        "another port of this host (same site)",
        { "sec-fetch-site": "same-site", origin: "http://127.0.0.1:4000", "x-csrf-token": csrfToken },
        403,
      ],
      ["another origin, no Sec-Fetch-Site", { origin: "http://127.0.0.1:4000", "x-csrf-token": csrfToken }, 403],
      ["neither Sec-Fetch-Site nor Origin", { "x-csrf-token": csrfToken }, 403],
      ["no token", { ...FROM_HERE }, 403],
      ["a wrong token", { ...FROM_HERE, "x-csrf-token": wrongToken }, 403],
    ];
    for (const [name, headers, status] of cases) {
      const response = await startSession(post("/api/patient-sessions", { ...headers, cookie }));
      expect(response.status, name).toBe(status);
    }
    const anonymous = await startSession(post("/api/patient-sessions", FROM_HERE));
    expect(anonymous.status, "not signed in").toBe(401);
    expect(store.sessionStartedFor("mallory-target")).toBeUndefined();
  });
});

describe("POST /api/signin and /api/signout", () => {
  it("refuses a sign-in from another site (login CSRF) and sets no cookie", async () => {
    const response = await signInRoute(post("/api/signin", { "sec-fetch-site": "cross-site" }, form({ username: "attacker" })));
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("sends an invalid username back to the form, and refuses a form over 4 KB", async () => {
    const invalid = await signInRoute(post("/api/signin", FROM_HERE, form({ username: "Not Valid" })));
    expect([invalid.status, invalid.headers.get("location")]).toEqual([303, `${APP}/signin?error=username&username=Not+Valid`]);
    const large = await signInRoute(post("/api/signin", FROM_HERE, form({ username: "a".repeat(5000) })));
    expect(large.status).toBe(413);
  });

  it("signs out only with the sign-in's token", async () => {
    const { cookie, csrfToken } = await signIn("lin");
    const token = cookie.split("=")[1]!;
    expect((await signOutRoute(post("/api/signout", { ...FROM_HERE, cookie }, form({})))).status).toBe(403);
    expect(store.signInOf(token), "still signed in").toBeDefined();
    const response = await signOutRoute(post("/api/signout", { ...FROM_HERE, cookie }, form({ csrf_token: csrfToken })));
    expect([response.status, response.headers.get("location")]).toEqual([303, `${APP}/signin`]);
    expect(store.signInOf(token)).toBeUndefined();
  });
});

describe("POST /api/webhooks/medblocks", () => {
  const deliver = (body: BodyInit, headers: Record<string, string>) =>
    receiveWebhook(
      new Request(`${APP}/api/webhooks/medblocks`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
        duplex: "half",
      } as RequestInit),
    );
  const listed = (id: string) => store.events().filter((event) => event.id === id).length;
  /** A minimal records.sync.completed event body, to sign and post by hand. */
  const eventPayload = (id: string) =>
    JSON.stringify({
      id,
      object: "event",
      type: "records.sync.completed",
      api_version: "2026-04-25",
      created_at: new Date().toISOString(),
      data: { object: {} },
    });

  it("takes the sandbox's deliveries, each event once", async () => {
    const { events } = await sb.trigger("records.sync.completed");
    await sb.webhooks.flush();
    expect(events.map((event) => event.last_status_code)).toEqual([200]);
    expect(listed(events[0]!.id)).toBe(1);
  });

  it("answers a repeated delivery 200 and records it once", async () => {
    const log = vi.mocked(console.log);
    const payload = eventPayload("evt_repeat");
    const signature = await Medblocks.webhooks.generateTestHeaderString({ payload, secret });
    for (let attempt = 0; attempt < 2; attempt++) expect((await deliver(payload, { "medblocks-signature": signature })).status).toBe(200);
    expect(listed("evt_repeat")).toBe(1);
    expect(log.mock.calls).toEqual([
      ["webhook records.sync.completed evt_repeat verified"],
      ["webhook records.sync.completed evt_repeat verified, a repeat: ignored"],
    ]);
  });

  it("answers 400 with the reason when the signature is missing or made with another secret; nothing is recorded", async () => {
    const payload = eventPayload("evt_forged");
    const unsigned = await deliver(payload, {});
    expect([unsigned.status, await unsigned.text()]).toEqual([400, "missing_header"]);
    const forged = await deliver(payload, {
      "medblocks-signature": await Medblocks.webhooks.generateTestHeaderString({ payload, secret: "whsec_not_the_apps" }),
    });
    expect([forged.status, await forged.text()]).toEqual([400, "no_matching_signature"]);
    const plain = await receiveWebhook(
      new Request(`${APP}/api/webhooks/medblocks`, { method: "POST", headers: { "content-type": "text/plain" }, body: payload }),
    );
    expect([plain.status, await plain.text()]).toEqual([400, "expected an application/json body"]);
    expect(listed("evt_forged")).toBe(0);
  });

  it("answers 413 to a body over 1 MB, and stops reading a chunked one there", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const chunked = await deliver(endless, {});
    expect([chunked.status, await chunked.text()]).toEqual([413, "the body is larger than 1 MB"]);
    expect(pulled, "read up to the limit, not on").toBeLessThanOrEqual(1024 * 1024 + 2 * 64 * 1024);
    const declared = await deliver("{}", { "content-length": String(2 * 1024 * 1024) });
    expect(declared.status).toBe(413);
  });
});
