/**
 * Records: synthetic FHIR R4 per link, the same for the same patient and
 * EHR wherever they are read, with real code systems; `type`, `since`,
 * `count`, and 12-character cursors both ways that expire after 7 days.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { PatientRecord } from "../../src/index.js";
import { CATALOG, PATIENT_ID_SYSTEM } from "../src/index.js";
import { expectNoViolations, failure, harness, sessionBody } from "./support/harness.js";

let now = Date.UTC(2026, 3, 25, 14, 30);
const h = harness({ now: () => now });
expectNoViolations(h);
const mb = h.client();
const [EHR, OTHER] = [CATALOG[3]!, CATALOG[40]!];

async function connect(patientId: string, source = EHR, outcome: "approve" | "records_sync_failed" = "approve") {
  const session = await mb.patientSession.init(sessionBody({ patient_id: patientId }));
  h.sb.completeSession(session.id, { outcome, connectionId: source.id });
}

async function walk(patientId: string, params: Record<string, unknown> = {}): Promise<PatientRecord[]> {
  const found: PatientRecord[] = [];
  for await (const record of mb.patients.records(patientId, params)) found.push(record);
  return found;
}

beforeEach(() => h.sb.reset());

describe("what a link holds", () => {
  it("50 to 300 resources, the same for the same patient and EHR in any workspace or sandbox", async () => {
    await connect("p1");
    const records = await walk("p1");
    expect(records.length).toBeGreaterThanOrEqual(50);
    expect(records.length).toBeLessThanOrEqual(300);

    const elsewhere = harness({ now: () => now + 86_400_000, seed: "another" });
    const session = await elsewhere.client().patientSession.init(sessionBody({ patient_id: "p1" }));
    elsewhere.sb.completeSession(session.id, { outcome: "approve", connectionId: EHR.id });
    const again: PatientRecord[] = [];
    for await (const record of elsewhere.client().patients.records("p1")) again.push(record);
    const withoutMeta = (list: PatientRecord[]) => list.map(({ source, resource: { meta: _meta, ...rest } }) => ({ source, rest }));
    expect(withoutMeta(again)).toEqual(withoutMeta(records));
    expect(elsewhere.violations).toEqual([]);
  });

  it("differs between patients and between EHRs", async () => {
    await connect("p1");
    await connect("p2");
    const [one, two] = [await walk("p1"), await walk("p2")];
    expect(one.map((record) => record.resource.id)).not.toEqual(two.map((record) => record.resource.id));
  });

  it("has a Patient carrying urn:medblocks:patient-id, and at least six resource types with real code systems", async () => {
    await connect("p1");
    const records = await walk("p1");
    const patients = records.filter((record) => record.resource.resourceType === "Patient");
    expect(patients).toHaveLength(1);
    expect(patients[0]!.resource.identifier).toContainEqual({ system: PATIENT_ID_SYSTEM, value: "p1" });
    const types = new Set(records.map((record) => record.resource.resourceType));
    expect(types.size).toBeGreaterThanOrEqual(6);
    const systems = new Set(JSON.stringify(records).match(/"system":"[^"]+"/g));
    for (const system of [
      "http://loinc.org",
      "http://snomed.info/sct",
      "http://www.nlm.nih.gov/research/umls/rxnorm",
      "http://hl7.org/fhir/sid/cvx",
    ]) {
      expect(systems, system).toContain(`"system":"${system}"`);
    }
    // Only the Patient carries your patient_id.
    expect(records.filter((record) => JSON.stringify(record.resource).includes(PATIENT_ID_SYSTEM))).toEqual(patients);
    for (const record of records) expect(record.source).toBe(EHR.id);
  });

  it("is empty for a link whose first pull failed", async () => {
    await connect("p1", EHR, "records_sync_failed");
    expect((await mb.patients.retrieve("p1")).connections[0]!.status).toBe("active");
    expect(await walk("p1")).toEqual([]);
  });
});

describe("filters", () => {
  it("type keeps the listed resource types only", async () => {
    await connect("p1");
    const all = await walk("p1");
    const some = await walk("p1", { type: "Observation,Condition" });
    expect(some).toEqual(all.filter((record) => ["Observation", "Condition"].includes(record.resource.resourceType)));
    expect(await failure(mb.patients.records("p1", { type: "observation;drop" }))).toMatchObject({ code: "invalid_data", param: "type" });
  });

  it("since keeps what was stored after the moment, by meta.lastUpdated", async () => {
    await connect("p1");
    now += 3_600_000;
    await connect("p1", OTHER);
    const all = await walk("p1");
    const later = await walk("p1", { since: "2026-04-25T15:00:00Z" });
    expect(later).toEqual(all.filter((record) => record.source === OTHER.id));
    expect(later.every((record) => (record.resource.meta as { lastUpdated: string }).lastUpdated === "2026-04-25T15:30:00.000Z")).toBe(
      true,
    );
    expect(await walk("p1", { since: "2026-04-25" })).toEqual(all);
  });
});

describe("cursors", () => {
  beforeEach(async () => {
    await connect("p1");
    await connect("p1", OTHER);
  });

  it("count sizes the pages; forward and backward walks are mirror images", async () => {
    const all = await walk("p1");
    const pages = [];
    let page = await mb.patients.records("p1", { count: 37 });
    pages.push(page);
    expect(page.previous_cursor).toBeNull();
    while (page.has_more) pages.push((page = await mb.patients.records("p1", { count: 37, starting_after: page.next_cursor! })));
    expect(pages.flatMap((item) => item.data)).toEqual(all);
    expect(pages.slice(0, -1).every((item) => item.data.length === 37)).toBe(true);
    for (const item of pages) for (const cursor of [item.next_cursor, item.previous_cursor]) if (cursor) expect(cursor).toHaveLength(12);

    const last = pages.at(-1)!;
    const backward: PatientRecord[] = [];
    for await (const record of mb.patients
      .records("p1", { count: 37, ending_before: last.previous_cursor! })
      .autoPagingIterator({ direction: "backward" })) {
      backward.push(record);
    }
    expect([...last.data].reverse().concat(backward).reverse()).toEqual(all);
  });

  it("refuses another patient's cursor, and both directions at once", async () => {
    await connect("p2");
    const page = await mb.patients.records("p2", { count: 1 });
    expect(await failure(mb.patients.records("p1", { starting_after: page.next_cursor! }))).toMatchObject({
      code: "invalid_data",
      param: "starting_after",
    });
    const both = await h.raw("GET", "/patients/p1/records", {
      query: { starting_after: page.next_cursor!, ending_before: page.next_cursor! },
    });
    expect(both.body.error).toMatchObject({ code: "invalid_data", param: "ending_before" });
  });

  it("expire 7 days after the response that issued them", async () => {
    const page = await mb.patients.records("p1", { count: 1 });
    h.sb.clock.advance(7 * 86_400 - 3600);
    expect((await mb.patients.records("p1", { count: 1, starting_after: page.next_cursor! })).data).toHaveLength(1);
    h.sb.clock.advance(2 * 3600);
    const error = await failure(mb.patients.records("p1", { count: 1, starting_after: page.next_cursor! }));
    expect(error).toMatchObject({ code: "invalid_data", param: "starting_after" });
    expect(error.message).toMatch(/7 days/);
  });
});
