// Test your Medblocks integration against a local sandbox, in process: no network, no server.
// npm install --save-dev medblocks-sandbox jest ts-jest @jest/globals
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { Medblocks, type WebhookEvent } from "medblocks-client";
import { createSandbox, type Sandbox } from "medblocks-sandbox";

// Your integration: in your app these live in their own module, and take the client you give them.
async function startConnecting(mb: Medblocks, userId: string) {
  return mb.patientSession.init({ patient_id: userId, return_url: "https://yourapp.example/connected" });
}
async function handleReturn(mb: Medblocks, userId: string, sessionId: string, url: string) {
  const { outcome } = await mb.patientSession.verifyReturn(url, { patientId: userId, sessionId });
  return outcome;
}

describe("connecting health records", () => {
  let sb: Sandbox;
  let mb: Medblocks;
  let secret = "";
  const delivered: WebhookEvent[] = [];

  beforeEach(() => {
    delivered.length = 0;
    sb = createSandbox({
      // Deliveries come to this function instead of a server; verify them as your endpoint would.
      webhookFetch: async (_url, init) => {
        const signature = new Headers(init.headers).get("medblocks-signature");
        delivered.push(await Medblocks.webhooks.constructEvent(String(init.body), signature, secret));
        return new Response(null, { status: 200 });
      },
    });
    mb = new Medblocks(sb.apiKey, { baseUrl: sb.baseUrl, fetch: sb.fetch });
  });
  afterEach(() => sb.close());

  const listen = async () => {
    secret = (await mb.webhooks.create({ url: "http://127.0.0.1/webhooks", events: ["*"] })).secret;
  };
  const anEhr = async () => (await mb.connections.list({ limit: 1 })).data[0]!;

  it("connects when the patient approves, and hears about it", async () => {
    await listen();
    const session = await startConnecting(mb, "user_1");
    const landing = sb.completeSession(session.id, { outcome: "approve", connectionId: (await anEhr()).id });
    expect(await handleReturn(mb, "user_1", session.id, landing)).toBe("connected");
    await sb.webhooks.flush();
    expect(delivered.map((event) => event.type).sort()).toEqual(["patient_session.completed", "records.sync.completed"]);
  });

  it("tells a denial apart", async () => {
    const session = await startConnecting(mb, "user_2");
    const landing = sb.completeSession(session.id, { outcome: "deny", connectionId: (await anEhr()).id });
    expect(await handleReturn(mb, "user_2", session.id, landing)).toBe("failed");
  });

  it("refuses another user's return", async () => {
    const session = await startConnecting(mb, "user_3");
    const landing = sb.completeSession(session.id, { outcome: "approve", connectionId: (await anEhr()).id });
    await expect(handleReturn(mb, "user_4", session.id, landing)).rejects.toMatchObject({ reason: "mismatch" });
  });

  it("sees a session expire", async () => {
    const session = await startConnecting(mb, "user_5");
    sb.clock.advance(1801); // past expires_at (sessions last 1800 s by default)
    expect((await mb.patientSession.retrieve(session.id)).status).toBe("expired");
  });

  it("rides out a throttled call", async () => {
    sb.injectFault({ operation: "api.initPatientSession", status: 429, retryAfter: 1 });
    const session = await startConnecting(mb, "user_6"); // the client waits a second and retries
    expect(session.status).toBe("open");
  });
});
