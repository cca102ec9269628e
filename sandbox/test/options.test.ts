/**
 * An option given as `undefined` is an option left out, at run time as in
 * the types (options.test-d.ts): `createSandbox({ seed: process.env.SEED })`
 * and every control with camelCase options behave as if the key were absent.
 */
import { expect, it } from "vitest";
import { Medblocks } from "../../src/index.js";
import { UsageError } from "../src/cli/failures.js";
import { CATALOG, createSandbox, DEFAULT_BASE_URL, startServer } from "../src/index.js";
import { triggerCommand } from "../src/cli/trigger.js";
import { sessionBody } from "./support/harness.js";

it("takes undefined for every option of createSandbox and of each control", async () => {
  const sb = createSandbox({
    baseUrl: undefined,
    seed: undefined,
    now: undefined,
    strict: undefined,
    log: undefined,
    allowRemoteWebhooks: undefined,
    webhookTimeoutMs: undefined,
    webhookFetch: undefined,
    deliveryLog: undefined,
    report: undefined,
  });
  try {
    expect(sb.baseUrl).toBe(DEFAULT_BASE_URL);
    const mb = new Medblocks(sb.apiKey, { baseUrl: sb.baseUrl, fetch: sb.fetch, maxNetworkRetries: 0 });
    sb.injectFault({
      operation: "api.listPatients",
      status: 500,
      times: undefined,
      code: undefined,
      retryAfter: undefined,
      delayMs: undefined,
      drop: undefined,
    });
    sb.injectFault({ delivery: "duplicate", times: undefined });
    expect(sb.faults()).toEqual([
      { operation: "api.listPatients", times: 1, status: 500, code: "internal_error" },
      { delivery: "duplicate", times: 1 },
    ]);
    await expect(mb.patients.list()).rejects.toMatchObject({ statusCode: 500 });
    const launch = sb.createLaunchContext({
      connectionId: CATALOG[0]!.id,
      patientId: undefined,
      encounter: undefined,
      fhirUser: undefined,
      scope: undefined,
      status: undefined,
    });
    expect(launch).toMatchObject({ status: "ready", patient: null, scope: "launch openid fhirUser patient/*.read" });
    const session = await mb.patientSession.init(sessionBody());
    expect(sb.completeSession(session.id, { outcome: undefined, connectionId: undefined })).toContain(`patient_session_id=${session.id}`);
    await sb.webhooks.flush({ timeoutMs: undefined });
  } finally {
    await sb.close();
  }
});

it("takes a baseUrl, publicUrl and trigger's --base-url by the client's and contract check's base-URL rule (lib/urls.ts)", async () => {
  expect(createSandbox({ baseUrl: "http://sandbox.test:4011/" }).baseUrl).toBe("http://sandbox.test:4011");
  expect(() => createSandbox({ baseUrl: "ftp://sandbox.test" })).toThrow(
    expect.objectContaining({ param: "baseUrl", message: "`baseUrl` must be an absolute http(s) URL without query or fragment." }),
  );
  // A URL with credentials would print them in every session's `url`, and a Request refuses it.
  expect(() => createSandbox({ baseUrl: "http://user:pw@sandbox.test" })).toThrow(
    expect.objectContaining({
      param: "baseUrl",
      message: "`baseUrl` must be a URL without a user name or password (the API key authenticates).",
    }),
  );
  await expect(startServer({ port: 0, publicUrl: "https://user:pw@sandbox.test" })).rejects.toMatchObject({ param: "publicUrl" });
  // The trigger command refuses before it sends anything (the port is one nothing listens on).
  const trigger = (baseUrl: string) => triggerCommand(["records.sync.failed", "--base-url", baseUrl, "--api-key", "mb_sk_sbx_x"]);
  await expect(trigger("ftp://127.0.0.1:9")).rejects.toThrow(
    new UsageError("--base-url (or MEDBLOCKS_BASE_URL) must be an absolute http(s) URL without query or fragment"),
  );
  await expect(trigger("http://user:pw@127.0.0.1:9")).rejects.toThrow(
    new UsageError("--base-url (or MEDBLOCKS_BASE_URL) must be a URL without a user name or password (the API key authenticates)"),
  );
});
