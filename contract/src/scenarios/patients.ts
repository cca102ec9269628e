/**
 * A test patient's life and the session journey: the patient created,
 * read, replaced; a session started for it, retrieved and listed; a body
 * with a field the spec does not allow refused; the records paged. On the
 * sandbox (and only there, through its control API) the session is
 * completed as a patient approving an EHR while an endpoint listens, so the
 * completion's event and its redelivery, the completed session, the
 * patient's link, its records both ways and the link's removal are checked
 * too. The patient is deleted at the end — its sessions and links with it —
 * and then not found.
 */
import type { Run } from "../run.js";
import { paramsOf } from "../spec.js";
import { pageSize, walk } from "./paging.js";
import type { Found } from "./reads.js";
import { createEndpoint } from "./webhooks.js";

export async function patients(run: Run, found: Found): Promise<void> {
  const { values } = run;
  const path = { id: values.patientId };
  const created = await run.call("api.createPatient", {
    body: { patient_id: values.patientId, email: values.email, name: values.name, metadata: values.metadata },
    expect: { status: 200, why: "a new patient" },
  });
  // Without an answer the patient may exist all the same: it is deleted either way.
  if (created && !created.success) return;
  const patient = run.created(`the test patient ${values.patientId}`, async () => {
    const deleted = await run.call("api.deletePatient", { path, expect: { status: 200, why: "deleting the patient the check created" } });
    return deleted?.success === true;
  });
  if (!created) return;
  try {
    await run.call("api.getPatient", { path, expect: { status: 200, why: "the patient the check created" } });
    await run.call("api.updatePatient", {
      path,
      body: { patient_id: values.patientId, email: null, name: values.name, metadata: values.metadata },
      expect: { status: 200, why: "replacing the patient" },
    });
    await journey(run, found);
  } finally {
    await patient.remove();
  }
  await run.call("api.getPatient", { path, expect: { status: 404, code: "resource_not_found", why: "the patient the check deleted" } });
}

async function journey(run: Run, found: Found): Promise<void> {
  const { values } = run;
  const path = { id: values.patientId };
  const body = {
    patient_id: values.patientId,
    patient_email: values.email,
    patient_name: values.name,
    return_url: values.returnUrl,
    return_button_label: "Medblocks contract check",
    expires_in: 300,
    metadata: values.metadata,
  };
  const started = await run.call("api.initPatientSession", { body, expect: { status: 200, why: "a new session" } });
  await run.call("api.initPatientSession", {
    body: { ...body, medblocks_contract_unknown_field: true },
    expect: { status: 400, why: "a field the spec does not allow" },
  });
  const sessionId = started?.success ? started.json?.id : undefined;
  if (typeof sessionId !== "string") return;
  await run.call("api.retrievePatientSession", { path: { id: sessionId }, expect: { status: 200, why: "the session the check started" } });
  await walk(run, "api.listPatientSessionsForPatient", path);

  if (!run.sandbox || found.sourceId === undefined) {
    await walk(run, "api.getPatientRecords", path);
    return;
  }
  // The sandbox: an endpoint sees the completion's event, which is then redelivered.
  const endpoint = await createEndpoint(run, values.sandboxWebhookUrl);
  try {
    const completed = await run.control("POST", `/__sandbox/patient-sessions/${encodeURIComponent(sessionId)}/complete`, {
      outcome: "approve",
      connection_id: found.sourceId,
    });
    if (!completed) return;
    if (endpoint) {
      const [event] = (await walk(run, "api.listWebhookEvents", endpoint.path)).items;
      if (typeof event?.id === "string")
        await run.call("api.redeliverWebhookEvent", { path: { id: event.id }, expect: { status: 200, why: "the completion's event" } });
    }
  } finally {
    await endpoint?.remove();
  }
  await completedJourney(run, sessionId);
}

/** What a completed session gives to check: the session, the patient's link, its records both ways, the link's removal. */
async function completedJourney(run: Run, sessionId: string): Promise<void> {
  const { values } = run;
  const path = { id: values.patientId };
  await run.call("api.retrievePatientSession", { path: { id: sessionId }, expect: { status: 200, why: "the completed session" } });
  const detail = await run.call("api.getPatient", { path, expect: { status: 200, why: "the patient with a link" } });
  const records = await walk(run, "api.getPatientRecords", path);
  const previous = records.last?.previous_cursor;
  if (typeof previous === "string" && paramsOf("api.getPatientRecords").ending_before) {
    const size = pageSize("api.getPatientRecords");
    await run.call("api.getPatientRecords", {
      path,
      query: { [size.name]: size.maximum, ending_before: previous },
      expect: { status: 200, why: "the page before the last" },
    });
  }
  const link = Array.isArray(detail?.json?.connections)
    ? detail.json.connections.find((connection: { id?: unknown }) => typeof connection?.id === "string")
    : undefined;
  if (link) {
    await run.call("api.disconnectPatientConnection", {
      path: { id: values.patientId, connection_id: link.id },
      expect: { status: 200, why: "removing the patient's link" },
    });
  }
}
