/**
 * Every operation of the spec answers from state, through the client, and
 * every answer fits the spec (the harness checks each one). The last test
 * fails when an operation of the spec was not answered with a 200 here.
 */
import { describe, expect, it } from "vitest";
import { handlers } from "../src/api/operations.js";
import { documentedAnswer, operationIds, type OperationId } from "../src/spec.js";
import { exampleCall } from "../../test/support/spec-examples.js";
import { expectNoViolations, harness } from "./support/harness.js";

const h = harness();
expectNoViolations(h);
const mb = h.client();

describe("one walk through all 22 operations", () => {
  it("answers each from the state the walk built", async () => {
    expect(await mb.health()).toMatchObject({ ok: true });

    const catalog = await mb.connections.list({ q: "mychart", limit: 2 });
    expect(catalog.data).toHaveLength(2);
    const ehr = catalog.data[0]!;
    expect(await mb.connections.retrieve(ehr.id)).toEqual(ehr);

    const created = await mb.patients.create({
      patient_id: "walk_1",
      email: "walk@example.com",
      name: "Walk One",
      metadata: { plan: "gold" },
    });
    expect(created).toMatchObject({ id: "walk_1", email: "walk@example.com", metadata: { plan: "gold" } });
    expect((await mb.patients.list({ patient_id: "walk_1" })).data).toEqual([created]);

    const endpoint = await mb.webhooks.create({ url: "https://app.example.com/hooks", events: ["*"] });
    expect(endpoint.secret).toMatch(/^whsec_/);

    const session = await mb.patientSession.init({
      patient_id: "walk_1",
      return_url: "https://app.example.com/back",
      recommended_connection_ids: [ehr.id],
    });
    expect(await mb.patientSession.retrieve(session.id)).toEqual(session);
    h.sb.completeSession(session.id, { outcome: "approve", connectionId: ehr.id });

    const detail = await mb.patients.retrieve("walk_1");
    expect(detail.connections).toHaveLength(1);
    expect(detail.connections[0]).toMatchObject({ connection_id: ehr.id, status: "active", patient_session_id: session.id });
    const sessions = await mb.patients.listPatientSessions("walk_1", { status: "complete" });
    expect(sessions.data.map((item) => item.id)).toEqual([session.id]);
    const records = await mb.patients.records("walk_1", { count: 5 });
    expect(records.data).toHaveLength(5);
    expect(records.data.every((record) => record.source === ehr.id)).toBe(true);

    const launch = h.sb.createLaunchContext({ connectionId: ehr.id, patientId: "walk_1" });
    expect(await mb.launchContexts.retrieve(launch.id)).toEqual(launch);

    expect((await mb.webhooks.list()).data.map((item) => item.id)).toEqual([endpoint.id]);
    expect(await mb.webhooks.retrieve(endpoint.id)).not.toHaveProperty("secret");
    expect(await mb.webhooks.update(endpoint.id, { description: "walk" })).toMatchObject({ description: "walk" });
    const events = await mb.webhooks.listEvents(endpoint.id);
    expect(events.data.map((event) => event.type).sort()).toEqual(["patient_session.completed", "records.sync.completed"]);
    expect(await mb.events.redeliver(events.data[0]!.id)).toMatchObject({ id: events.data[0]!.id });
    const rotated = await mb.webhooks.rotateSecret(endpoint.id);
    expect(rotated.secret).not.toBe(endpoint.secret);

    expect(await mb.patients.update("walk_1", { patient_id: "walk_1", name: "Walk Two" })).toMatchObject({
      name: "Walk Two",
      email: null,
      metadata: {},
    });
    expect(await mb.patients.disconnectConnection("walk_1", detail.connections[0]!)).toEqual({
      id: detail.connections[0]!.id,
      resource_type: "connection",
      disconnected: true,
    });
    expect(await mb.patients.delete("walk_1")).toEqual({ id: "walk_1", resource_type: "patient", deleted: true });
    expect(await mb.webhooks.delete(endpoint.id)).toEqual({ id: endpoint.id, resource_type: "webhook_endpoint", deleted: true });
  });

  it("answered a 200 for every operation the sandbox has a handler for", () => {
    const answered = new Set(h.exchanges.filter((exchange) => exchange.status === 200).map((exchange) => exchange.operationId));
    const handled = operationIds.filter(
      (operationId) => operationId === "api.health" || handlers[operationId as Exclude<OperationId, "api.health">],
    );
    expect(handled.filter((operationId) => !answered.has(operationId))).toEqual([]);
  });
});

describe("operations without a handler (one the spec gained before the sandbox did)", () => {
  it("each answers its documented example when called with the spec's example input", async () => {
    const unhandled = operationIds.filter(
      (operationId) => operationId !== "api.health" && !handlers[operationId as Exclude<OperationId, "api.health">],
    );
    for (const operationId of unhandled) expect(await exampleCall(mb, operationId)).toEqual(documentedAnswer(operationId));
  });

  it("are answered with the operation's documented example, which fits the spec", async () => {
    const launchContext = handlers["api.retrieveLaunchContext"]!;
    delete handlers["api.retrieveLaunchContext"];
    try {
      const context = await mb.launchContexts.retrieve("5b0e6a52-3c1d-4f8e-9a27-6d4b1c8e2f90");
      expect(context).toEqual(documentedAnswer("api.retrieveLaunchContext"));
      expect(context).toMatchObject({ resource_type: "launch_context" });
    } finally {
      handlers["api.retrieveLaunchContext"] = launchContext;
    }
  });
});
