/**
 * Patients: create, list (filters, paging to the end, cursors that survive
 * deletes), full-replace PUT, delete with everything of theirs, disconnect.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { CATALOG } from "../src/index.js";
import { expectNoViolations, failure, harness, sessionBody } from "./support/harness.js";

const h = harness();
expectNoViolations(h);
const mb = h.client();
const EHR = CATALOG[0]!;

beforeEach(() => h.sb.reset());

/** A patient with one active link, made through a session. */
async function connectedPatient(patientId: string) {
  const session = await mb.patientSession.init(sessionBody({ patient_id: patientId }));
  h.sb.completeSession(session.id, { outcome: "approve", connectionId: EHR.id });
  return { session, link: (await mb.patients.retrieve(patientId)).connections[0]! };
}

describe("create", () => {
  it("creates with only patient_id, the rest null or empty", async () => {
    expect(await mb.patients.create({ patient_id: "p1" })).toMatchObject({
      id: "p1",
      resource_type: "patient",
      email: null,
      name: null,
      metadata: {},
    });
  });

  it("answers 409 external_id_already_exists for an id that exists", async () => {
    await mb.patients.create({ patient_id: "p1" });
    expect(await failure(mb.patients.create({ patient_id: "p1" }))).toMatchObject({
      statusCode: 409,
      type: "conflict_error",
      code: "external_id_already_exists",
      param: "patient_id",
    });
  });

  it.each(["pat_", "pf_", "conn_", "fhirsrc_", "wh_", "evt_"])("refuses the reserved prefix %s", async (prefix) => {
    expect(await failure(mb.patients.create({ patient_id: `${prefix}1` }))).toMatchObject({
      statusCode: 400,
      code: "invalid_data",
      param: "patient_id",
    });
  });

  it("takes any other id, slashes and unicode included, as one path segment", async () => {
    for (const id of ["ps_7", "a/b", "ünï cödé", "100%"]) {
      await mb.patients.create({ patient_id: id });
      expect((await mb.patients.retrieve(id)).id).toBe(id);
    }
  });
});

describe("one rule for a patient id, wherever it is taken", () => {
  const LONGEST = "p".repeat(200);

  it("refuses a session for a patient id past 200 characters, as a create does, naming patient_id", async () => {
    for (const length of [201, 200_000]) {
      const answer = await h.raw("POST", "/patient-sessions", { body: sessionBody({ patient_id: "p".repeat(length) }) });
      expect(answer.status, `${length} characters`).toBe(400);
      expect(answer.body.error).toMatchObject({
        code: "invalid_data",
        param: "patient_id",
        message: "`patient_id` must be at most 200 characters.",
      });
    }
    expect((await mb.patients.list()).data).toEqual([]);
  });

  it("refuses a path or filter id past 200 characters with 400 naming id, not 404", async () => {
    const long = "p".repeat(201);
    for (const [method, path, param] of [
      ["GET", `/patients/${long}`, "id"],
      ["DELETE", `/patients/${long}`, "id"],
      ["GET", `/patients/${long}/records`, "id"],
      ["GET", `/patients?patient_id=${long}`, "patient_id"],
    ] as const) {
      const answer = await h.raw(method, path);
      expect([answer.status, answer.body.error.param], `${method} ${path.slice(0, 20)}…`).toEqual([400, param]);
    }
  });

  it("addresses every patient it lists: the longest id, made through a session, is read and deleted", async () => {
    await connectedPatient(LONGEST);
    expect((await mb.patients.list()).data.map((patient) => patient.id)).toEqual([LONGEST]);
    expect((await mb.patients.retrieve(LONGEST)).connections).toHaveLength(1);
    expect(await mb.patients.delete(LONGEST)).toMatchObject({ id: LONGEST, deleted: true });
  });

  it("refuses a launch's or an import's patient id past 200 characters", async () => {
    expect(() => h.sb.createLaunchContext({ connectionId: EHR.id, patientId: "p".repeat(201) })).toThrow(
      expect.objectContaining({ param: "patientId" }),
    );
    await mb.patients.create({ patient_id: "p1" });
    const state = h.sb.exportState();
    state.workspace.patients[0]!.id = "p".repeat(201);
    expect(() => h.sb.importState(state)).toThrow(expect.objectContaining({ param: "workspace.patients[0].id" }));
  });
});

describe("list", () => {
  beforeEach(async () => {
    for (let index = 1; index <= 25; index++)
      await mb.patients.create({ patient_id: `p${index}`, email: index % 5 === 0 ? "five@example.com" : undefined });
  });

  it("pages newest first to the end, each patient once", async () => {
    const seen: string[] = [];
    for await (const patient of mb.patients.list({ limit: 7 })) seen.push(patient.id);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, index) => `p${25 - index}`));
    const first = await mb.patients.list();
    expect(first.data).toHaveLength(10);
    expect(first).toMatchObject({ has_more: true });
    expect(first.next_cursor).toEqual(expect.any(String));
  });

  it("filters by exact patient_id and email", async () => {
    expect((await mb.patients.list({ email: "five@example.com" })).data.map((patient) => patient.id)).toEqual([
      "p25",
      "p20",
      "p15",
      "p10",
      "p5",
    ]);
    expect((await mb.patients.list({ patient_id: "p1" })).data.map((patient) => patient.id)).toEqual(["p1"]);
    expect((await mb.patients.list({ patient_id: "p" })).data).toEqual([]);
  });

  it("keeps a cursor valid when the patient it ended on is deleted", async () => {
    const page = await mb.patients.list({ limit: 5 });
    await mb.patients.delete(page.data[4]!.id);
    const next = await mb.patients.list({ limit: 5, starting_after: page.next_cursor! });
    expect(next.data[0]!.id).toBe("p20");
  });

  it("refuses a cursor it did not issue", async () => {
    expect(await failure(mb.patients.list({ starting_after: "p3" }))).toMatchObject({
      statusCode: 400,
      code: "invalid_data",
      param: "starting_after",
    });
    // A catalog cursor is not a patients cursor.
    const catalog = await mb.connections.list({ limit: 1 });
    expect(await failure(mb.patients.list({ starting_after: catalog.next_cursor! }))).toMatchObject({ param: "starting_after" });
  });
});

describe("replace (PUT)", () => {
  it("replaces every field: what is left out is cleared", async () => {
    await mb.patients.create({ patient_id: "p1", email: "a@example.com", name: "A", metadata: { plan: "gold" } });
    expect(await mb.patients.update("p1", { patient_id: "p1", name: "B" })).toMatchObject({ email: null, name: "B", metadata: {} });
    expect(await mb.patients.update("p1", { patient_id: "p1", email: "c@example.com", name: null, metadata: { x: 1 } })).toMatchObject({
      email: "c@example.com",
      name: null,
      metadata: { x: 1 },
    });
  });

  it("refuses a patient_id that differs from the path, and answers 404 for an unknown patient", async () => {
    await mb.patients.create({ patient_id: "p1" });
    const mismatch = await h.raw("PUT", "/patients/p1", { body: { patient_id: "p2" } });
    expect(mismatch.body.error).toMatchObject({ code: "invalid_data", param: "patient_id" });
    expect(await failure(mb.patients.update("nobody", { patient_id: "nobody" }))).toMatchObject({
      statusCode: 404,
      code: "resource_not_found",
    });
  });
});

describe("delete", () => {
  it("removes the patient with their sessions and links; the id can be used again", async () => {
    const { session } = await connectedPatient("p1");
    await mb.patients.delete("p1");
    expect(await failure(mb.patients.retrieve("p1"))).toMatchObject({ statusCode: 404 });
    expect(await failure(mb.patientSession.retrieve(session.id))).toMatchObject({ statusCode: 404 });
    expect(await failure(mb.patients.delete("p1"))).toMatchObject({ statusCode: 404 });
    await mb.patients.create({ patient_id: "p1" });
    expect((await mb.patients.retrieve("p1")).connections).toEqual([]);
  });
});

describe("disconnect", () => {
  it("marks the link disconnected, in the patient and in the session, and stops its records", async () => {
    const { session, link } = await connectedPatient("p1");
    expect((await mb.patients.records("p1", { count: 1 })).data).toHaveLength(1);
    await mb.patients.disconnectConnection("p1", link);
    expect((await mb.patients.retrieve("p1")).connections[0]).toMatchObject({ id: link.id, status: "disconnected" });
    expect((await mb.patientSession.retrieve(session.id)).connections[0]).toMatchObject({ id: link.id, status: "disconnected" });
    expect((await mb.patients.records("p1")).data).toEqual([]);
  });

  it("answers 404 for a link of another patient or none at all", async () => {
    const { link } = await connectedPatient("p1");
    await mb.patients.create({ patient_id: "p2" });
    expect(await failure(mb.patients.disconnectConnection("p2", link))).toMatchObject({ statusCode: 404, param: "connection_id" });
    expect(await failure(mb.patients.disconnectConnection("p1", "conn_unknown"))).toMatchObject({
      statusCode: 404,
      param: "connection_id",
    });
  });
});
