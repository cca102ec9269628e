/**
 * `npm run demo`: the patient-session journey against a local Prism mock of
 * the spec. Offline; prints each step.
 */
import { isMedblocksError, Medblocks, parseReturnUrl, buildReturnUrl } from "../src/index.js";
import { startPrism } from "./prism.js";

const step = (n: number, text: string) => console.log(`\n${n}. ${text}`);

const prism = await startPrism();
try {
  console.log(`Prism mock of spec/ listening on ${prism.url}`);
  const mb = new Medblocks("mb_sk_sbx_demo_key", { baseUrl: prism.url });

  step(1, "Start a patient session (server side)");
  const session = await mb.patientSession.init({
    patient_id: "user_42",
    patient_email: "jane@example.com",
    return_url: "https://app.example.com/connected",
    return_button_label: "Acme Health",
  });
  console.log(`   session ${session.id} (${session.status}), expires ${session.expires_at}`);
  console.log(`   send the patient's browser to ${session.url}`);

  step(2, "The browser comes back to return_url; parse the query");
  const returned = buildReturnUrl(session.return_url, {
    mode: "hosted",
    patient_id: session.patient_id,
    patient_session_id: session.id,
  });
  console.log(`   ${returned}`);
  const claimed = parseReturnUrl(returned);
  console.log(`   parsed: ${JSON.stringify(claimed)}`);

  step(3, "Verify the return with the server (the redirect alone proves nothing)");
  const verified = await mb.patientSession.verifyReturn(returned, { patientId: "user_42" });
  console.log(`   session status ${verified.session.status}; outcome: ${verified.outcome}`);
  for (const connection of verified.session.connections) {
    console.log(`   - ${connection.connection_id}: ${connection.status}${connection.failure_code ? ` (${connection.failure_code})` : ""}`);
  }

  step(4, "Handle an error by its code");
  try {
    // Prism's Prefer header picks the documented 404 answer.
    await mb.patients.retrieve("user_unknown", { headers: { Prefer: "code=404" } });
  } catch (error) {
    if (!isMedblocksError(error)) throw error;
    switch (error.code) {
      case "resource_not_found":
        console.log(`   ${error.statusCode} ${error.code}: no such patient yet; start a session to create one (request ${error.requestId})`);
        break;
      default:
        throw error;
    }
  }
  console.log("\nDone.");
} finally {
  await prism.stop();
}
