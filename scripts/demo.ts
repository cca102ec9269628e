/**
 * `npm run demo`: the whole patient journey against the in-process sandbox —
 * no Prism, no browser, no network. The hosted page is followed over HTTP
 * (through the sandbox's own `fetch`) as a browser would, and webhook
 * deliveries reach a receiver in this process that verifies each one.
 */
import { createSandbox } from "../sandbox/src/index.js";
import { asLanding, asPage, Browser } from "../sandbox/src/page/browser.js";
import { isMedblocksError, Medblocks, MedblocksSignatureError, parseReturnUrl, type WebhookEvent } from "../src/index.js";

const step = (n: number, text: string) => console.log(`\n${n}. ${text}`);
const show = (text: string) => console.log(`   ${text}`);

// Your app's webhook receiver, here a function: the sandbox delivers to it instead of over a socket.
const received: WebhookEvent[] = [];
let webhookSecret = "";
const receiver = async (_url: string, init: RequestInit): Promise<Response> => {
  const headers = new Headers(init.headers);
  try {
    received.push(await Medblocks.webhooks.constructEvent(String(init.body), headers.get("medblocks-signature"), webhookSecret));
    return new Response(null, { status: 200 });
  } catch (error) {
    if (error instanceof MedblocksSignatureError) return new Response(error.reason, { status: 400 });
    throw error;
  }
};

const sb = createSandbox({ webhookFetch: receiver, report: () => {} });
try {
  const mb = new Medblocks(sb.apiKey, { baseUrl: sb.baseUrl, fetch: sb.fetch });
  console.log(`An in-process Medblocks sandbox at ${sb.baseUrl} (its own fetch: no socket, no network).`);

  step(1, "Register a webhook endpoint (its secret is shown once)");
  const endpoint = await mb.webhooks.create({ url: "http://127.0.0.1/webhooks/medblocks", events: ["*"] });
  webhookSecret = endpoint.secret;
  show(`${endpoint.id}, events ${endpoint.events.join(", ")}`);

  step(2, "Start a patient session for your signed-in user (server side)");
  const suggested = (await mb.connections.list({ q: "health", limit: 2 })).data;
  const session = await mb.patientSession.init({
    patient_id: "user_42",
    patient_name: "Jane Doe",
    recommended_connection_ids: suggested.map((ehr) => ehr.id),
    return_url: "https://app.example.com/connected",
    return_button_label: "Back to Acme Health",
  });
  show(`session ${session.id} (${session.status}), expires ${session.expires_at}`);
  show(`send the patient's browser to ${session.url}`);

  step(3, "The patient's browser on the hosted page (followed over HTTP, as a browser would)");
  const browser = new Browser(sb.fetch, new URL(sb.baseUrl).origin);
  const picker = asPage(await browser.open(session.url));
  show(`picker: "${picker.headings(1).join("")}"; Suggested: ${picker.list("Suggested")?.join(", ")}`);
  const ehr = suggested[0]!;
  const signIn = asPage(await browser.follow(picker, ehr.name));
  show(`${ehr.name}'s sign-in page; the patient presses "Approve access"`);
  const back = asPage(await browser.submit(signIn, "Approve access"));
  show(`back on the picker, Connected: ${back.list("Connected")?.join(", ")}`);
  const landing = asLanding(await browser.submit(back, "Back to Acme Health"));
  show(`303 to ${landing}`);

  step(4, "Your return handler: parse the return, then verify it with the server");
  const claimed = parseReturnUrl(landing);
  show(`the browser claims: ${JSON.stringify(claimed)}`);
  const verified = await mb.patientSession.verifyReturn(landing, { patientId: "user_42", sessionId: session.id });
  show(`session ${verified.session.status}; outcome: ${verified.outcome}`);
  for (const link of verified.connected) show(`- ${link.connection_id}: ${link.status}`);

  step(5, "Webhooks received by your endpoint, each verified with constructEvent");
  await sb.webhooks.flush();
  for (const event of received) show(`${event.type} (${event.id}) verified`);

  step(6, "Records: every stored FHIR resource, paged, counted by type");
  const counts = new Map<string, number>();
  for await (const { resource } of mb.patients.records("user_42", { count: 100 })) {
    counts.set(resource.resourceType, (counts.get(resource.resourceType) ?? 0) + 1);
  }
  show([...counts].map(([type, count]) => `${type} ${count}`).join(", "));

  step(7, "Handle an error by its code");
  try {
    await mb.patients.retrieve("user_nobody");
  } catch (error) {
    if (!isMedblocksError(error)) throw error;
    switch (error.code) {
      case "resource_not_found":
        show(`${error.statusCode} ${error.code}: no such patient yet; start a session to create one (request ${error.requestId})`);
        break;
      default:
        throw error;
    }
  }
  console.log("\nDone. The same journey in a real browser: npm run example.");
} finally {
  await sb.close();
}
