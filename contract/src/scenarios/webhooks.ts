/**
 * A webhook endpoint's life: created (at an `example.com` address, for
 * session completions), read, listed, changed, its secret rotated, its
 * delivery records listed, deleted — and then not found. It is deleted
 * before any session of the check completes, so nothing is ever delivered
 * to it.
 */
import type { Run } from "../run.js";
import { walk } from "./paging.js";

/** An endpoint the check created: its path values, and its removal (registered for the clean-up). */
export interface Endpoint {
  path: { id: string };
  remove(): Promise<void>;
}

/** Creates an endpoint at `url` for session completions, registered for the clean-up at once; undefined when none was created. */
export async function createEndpoint(run: Run, url: string): Promise<Endpoint | undefined> {
  const { values } = run;
  const created = await run.call("api.createWebhook", {
    body: { url, events: ["patient_session.completed"], description: values.description, metadata: values.metadata },
    expect: { status: 200, why: "a new endpoint" },
  });
  if (!created) {
    run.recorder.warn({
      text: `POST /webhooks got no answer: an endpoint at ${url} may have been created; delete it if GET /webhooks lists it`,
    });
    return undefined;
  }
  const id = created.json?.id;
  if (!created.success) return undefined;
  if (typeof id !== "string" || id === "") {
    run.recorder.warn({
      text: `POST /webhooks created an endpoint at ${url} but answered without its id: delete it by hand (GET /webhooks lists it)`,
    });
    return undefined;
  }
  const path = { id };
  const removal = run.created(`the webhook endpoint ${id}`, async () => {
    const deleted = await run.call("api.deleteWebhook", { path, expect: { status: 200, why: "deleting the endpoint the check created" } });
    return deleted?.success === true;
  });
  return { path, remove: () => removal.remove() };
}

export async function webhooks(run: Run): Promise<void> {
  const { values } = run;
  const endpoint = await createEndpoint(run, values.webhookUrl);
  if (!endpoint) return;
  const { path } = endpoint;
  try {
    await run.call("api.getWebhook", { path, expect: { status: 200, why: "the endpoint the check created" } });
    await walk(run, "api.listWebhooks");
    await run.call("api.updateWebhook", {
      path,
      body: { description: `${values.description} (updated)` },
      expect: { status: 200, why: "a new description" },
    });
    await run.call("api.rotateWebhookSecret", { path, expect: { status: 200, why: "a new secret" } });
    await walk(run, "api.listWebhookEvents", path);
  } finally {
    await endpoint.remove();
  }
  await run.call("api.getWebhook", { path, expect: { status: 404, code: "resource_not_found", why: "the endpoint the check deleted" } });
}
