/**
 * The EHR catalog: over 100 fictional systems of every vendor type, `q` and
 * `type`, stable cursors, and lookups by id or by fhir_base_url.
 */
import { describe, expect, it } from "vitest";
import type { FhirSource } from "../../src/index.js";
import { CATALOG } from "../src/index.js";
import { spec } from "../src/spec.js";
import { expectNoViolations, failure, harness } from "./support/harness.js";

const h = harness();
expectNoViolations(h);
const mb = h.client();

async function all(params: { q?: string; type?: string; limit?: number } = {}): Promise<FhirSource[]> {
  const found: FhirSource[] = [];
  for await (const source of mb.connections.list(params)) found.push(source);
  return found;
}

describe("the catalog", () => {
  it("holds at least 100 EHRs of every vendor type, with unique ids, names and base URLs on reserved hosts", async () => {
    const sources = await all({ limit: 100 });
    expect(sources.length).toBeGreaterThanOrEqual(100);
    expect(sources).toEqual(CATALOG);
    const types = new Set(sources.map((source) => source.type));
    for (const vendor of [
      "epic",
      "cerner",
      "athena",
      "meditech",
      "allscripts",
      "eclinicalworks",
      "nextgen",
      "greenway",
      "veradigm",
      null,
    ]) {
      expect(types, String(vendor)).toContain(vendor);
    }
    for (const key of ["id", "name", "fhir_base_url"] as const)
      expect(new Set(sources.map((source) => source[key])).size).toBe(sources.length);
    for (const source of sources) expect(new URL(source.fhir_base_url).hostname).toMatch(/\.example$/);
  });

  it("includes the spec's example EHR as written, and names every fhirsrc_ id the spec's examples use", () => {
    expect(CATALOG).toContainEqual(spec.components.examples.FhirSourceEpic.value);
    const ids = new Set(JSON.stringify(spec).match(/fhirsrc_[A-Za-z0-9_-]+/g));
    for (const id of ids)
      expect(
        CATALOG.some((source) => source.id === id),
        id,
      ).toBe(true);
  });

  it("resolves every EHR id the provider's own examples use, so its example bodies work as written", async () => {
    // The published contract's reference and its OpenAPI document: their examples' fhirsrc_ ids, the older form included.
    const PROVIDER_IDS = [
      "fhirsrc_01J9YR9N3X4VZ6P2K5RH7M3LMP",
      "fhirsrc_02Zh2bnvRoWQJYgOAkI0Twcc",
      "fhirsrc_0a9Ea55aR4u7HaWMyFBN8wcc",
      "fhirsrc_lcvXRHLSSI2WK9Prrt5Qggcc",
      "fhirsrc_SMsb6YLMQLal1qm9AbdSPAcc",
      "fhirsrc_epic_mychart",
    ];
    for (const id of PROVIDER_IDS) expect((await mb.connections.retrieve(id)).id).toBe(id);
    // The provider's hosted example recommends three of them; the spec's example says so too.
    const example = spec.paths["/patient-sessions"].post.requestBody.content["application/json"].examples.hosted.value;
    expect(example.recommended_connection_ids).toEqual(PROVIDER_IDS.slice(1, 4));
    const session = await mb.patientSession.init(example);
    expect(session.recommended_connection_ids).toEqual(PROVIDER_IDS.slice(1, 4));
    for (const id of PROVIDER_IDS) {
      expect(
        (await mb.patientSession.init({ patient_id: "user_42", return_url: "https://app.example.com/connected", connection_id: id }))
          .connection_id,
      ).toBe(id);
    }
  });

  it("walks in name order with the same cursors every time", async () => {
    const first = await mb.connections.list({ limit: 20 });
    const again = await mb.connections.list({ limit: 20 });
    expect(again).toEqual(first);
    const names = CATALOG.map((source) => source.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "en")));
    const second = await mb.connections.list({ limit: 20, starting_after: first.next_cursor! });
    expect(second.data[0]).toEqual(CATALOG[20]);
  });

  it("q is a case-insensitive substring of the name", async () => {
    const found = await all({ q: "MyChArT" });
    expect(found.length).toBeGreaterThan(5);
    expect(found).toEqual(CATALOG.filter((source) => source.name.toLowerCase().includes("mychart")));
    expect(await all({ q: "no such health system" })).toEqual([]);
  });

  it("type filters by vendor, and combines with q and paging", async () => {
    const cerner = await all({ type: "cerner", limit: 3 });
    expect(cerner.length).toBeGreaterThan(3);
    expect(cerner.every((source) => source.type === "cerner")).toBe(true);
    const both = await all({ type: "cerner", q: "clinic" });
    expect(both).toEqual(cerner.filter((source) => source.name.toLowerCase().includes("clinic")));
  });

  it("finds an EHR by its id or by its fhir_base_url as one encoded path segment", async () => {
    const source = CATALOG[7]!;
    expect(await mb.connections.retrieve(source.id)).toEqual(source);
    expect(await mb.connections.retrieve(source.fhir_base_url)).toEqual(source);
    expect(await failure(mb.connections.retrieve("fhirsrc_unknown"))).toMatchObject({ statusCode: 404, code: "resource_not_found" });
  });
});
