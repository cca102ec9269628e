/**
 * The sandbox's EHR catalog (`GET /connections`): fictional health systems
 * of every vendor type, the same for every workspace and every run. Hosts
 * are under `.example` (reserved, RFC 2606), so nothing here can reach a
 * real EHR. The spec's own example EHR is in it as written, and every other
 * `fhirsrc_` id the spec uses (its examples, and `FhirSourceId`'s list of
 * the ids the published contract's examples use) names an entry too, so the
 * spec's, the provider's and the client README's examples run against the sandbox
 * unchanged.
 */
import { createHash } from "node:crypto";
import { spec, type Schemas, ID_PREFIXES } from "../spec.js";

export type FhirSource = Schemas["FhirSource"];

/** Each vendor type, its patient portal's name, and the path of its FHIR R4 base. */
const VENDORS = [
  { type: "epic", portal: "MyChart", fhirPath: "/api/FHIR/R4", portalHost: "mychart" },
  { type: "cerner", portal: "HealtheLife", fhirPath: "/r4", portalHost: "healthelife" },
  { type: "athena", portal: "Patient Portal", fhirPath: "/fhir/r4", portalHost: "portal" },
  { type: "meditech", portal: "Expanse Patient Connect", fhirPath: "/v2/uscore/R4", portalHost: "patientconnect" },
  { type: "allscripts", portal: "FollowMyHealth", fhirPath: "/FHIR/R4", portalHost: "followmyhealth" },
  { type: "eclinicalworks", portal: "healow", fhirPath: "/fhir/r4", portalHost: "healow" },
  { type: "nextgen", portal: "Patient Portal", fhirPath: "/nge/prod/fhir-api-r4/fhir/r4", portalHost: "nextmd" },
  { type: "greenway", portal: "Patient Portal", fhirPath: "/fhir/R4", portalHost: "portal" },
  { type: "veradigm", portal: "Patient Portal", fhirPath: "/fhir/r4", portalHost: "portal" },
] as const;

/** Fictional places (the spec's example already uses "Sunrise"). */
const PLACES = [
  "Bluewater",
  "Oakhaven",
  "Silverpine",
  "Northwind",
  "Redstone",
  "Willowbrook",
  "Stonebridge",
  "Clearwater",
  "Highmeadow",
  "Foxglove",
  "Ironwood",
  "Brightwater",
  "Goldleaf",
  "Meadowlark",
  "Pinecrest",
  "Amberfield",
  "Cobalt Bay",
  "Elmstead",
  "Fairhaven Falls",
  "Granite Peak",
  "Hollowmere",
  "Juniper Vale",
  "Kestrel Point",
  "Lantern Hill",
  "Mistral Coast",
  "Nightingale",
  "Orchard Grove",
  "Prairie Rose",
  "Quarry Springs",
  "Riverbend Valley",
  "Saltmarsh",
  "Thistledown",
  "Umberland",
  "Verdant Ridge",
  "Westerly Sound",
  "Yarrow Creek",
];

/** Kinds of institution, combined with a place into a name. */
const KINDS = ["Health", "Medical Center", "Clinic", "Children's Hospital", "Family Medicine", "Community Hospital"];

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/'/g, "")
    .replace(/[^a-z0-9]+/g, "");

function sourceId(key: string): string {
  const digest = createHash("sha256").update(`medblocks-sandbox catalog ${key}`).digest("base64url").replace(/[-_]/g, "");
  return `${ID_PREFIXES.FhirSourceId}${digest.slice(0, 24)}`;
}

function generated(): FhirSource[] {
  const entries: FhirSource[] = [];
  PLACES.forEach((place, placeIndex) => {
    for (let k = 0; k < 3; k++) {
      const vendor = VENDORS[(placeIndex * 3 + k) % VENDORS.length]!;
      const kind = KINDS[(placeIndex + k * 2) % KINDS.length]!;
      const institution = `${place} ${kind}`;
      const host = `${slug(institution)}.example`;
      entries.push({
        id: sourceId(host),
        resource_type: "fhir_source",
        name: `${institution} ${vendor.portal}`,
        type: vendor.type,
        fhir_base_url: `https://fhir.${host}${vendor.fhirPath}`,
        logo_url: k === 2 ? null : `https://logos.${host}/logo.png`,
        portal_url: `https://${vendor.portalHost}.${host}`,
      });
    }
  });
  // Regional exchanges whose vendor is not known: `type` null.
  for (const region of ["Northern Plains", "Coastal Valley", "Lakes Region", "High Desert"]) {
    const host = `${slug(region)}hie.example`;
    entries.push({
      id: sourceId(host),
      resource_type: "fhir_source",
      name: `${region} Health Information Exchange`,
      type: null,
      fhir_base_url: `https://fhir.${host}/R4`,
      logo_url: null,
      portal_url: null,
    });
  }
  return entries;
}

function build(): FhirSource[] {
  const example = spec.components.examples.FhirSourceEpic.value as FhirSource;
  const entries = generated();
  // Every other fhirsrc_ id in the spec names one generated entry, in order of first use.
  const exampleIds = [...new Set(JSON.stringify(spec).match(/fhirsrc_[A-Za-z0-9_-]+/g) ?? [])].filter((id) => id !== example.id);
  exampleIds.forEach((id, index) => (entries[index]!.id = id));
  return [example, ...entries].sort((a, b) => a.name.localeCompare(b.name, "en"));
}

/** The catalog, by name. */
export const CATALOG: readonly FhirSource[] = build();

const byKey = new Map<string, FhirSource>();
for (const source of CATALOG) {
  byKey.set(source.id, source);
  byKey.set(source.fhir_base_url, source);
}

/** The catalog search (`q` of `GET /connections`, the hosted page's search box): a case-insensitive substring of the name. */
export const matchesQuery = (source: FhirSource, query: string): boolean => source.name.toLowerCase().includes(query.toLowerCase());

/** A catalog entry by its `fhirsrc_` id or its `fhir_base_url`. */
export const findSource = (idOrBaseUrl: string): FhirSource | undefined => byKey.get(idOrBaseUrl);

/** The catalog position of an entry (its stable cursor). */
export const catalogIndex = new Map(CATALOG.map((source, index) => [source.id, index]));
