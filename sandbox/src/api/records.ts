/**
 * `GET /patients/{id}/records`: the FHIR resources of every link that has
 * pulled records and is not disconnected, oldest link first, each link's
 * resources in their fixed order. A resource's `meta.lastUpdated` is when
 * its link's pull stored it, which is what `since` compares against.
 */
import { findSource } from "../domain/catalog.js";
import { requirePatient } from "../domain/patients.js";
import { invalid } from "../errors.js";
import { decodeCursor, encodeCursor, type RecordPosition } from "../fhir/cursor.js";
import { recordsFor, type FhirResource } from "../fhir/generate.js";
import { parameterDefault } from "../spec.js";
import type { Call } from "./call.js";

interface Item extends RecordPosition {
  source: string;
  resource: FhirResource;
  lastUpdated: string;
}

const before = (a: RecordPosition, b: RecordPosition) => a.linkSeq < b.linkSeq || (a.linkSeq === b.linkSeq && a.index < b.index);

/** The `type` filter: comma-separated FHIR resource type names. */
function typesOf(text: string | undefined): Set<string> | undefined {
  if (text === undefined) return undefined;
  const types = text.split(",").map((type) => type.trim());
  if (types.some((type) => !/^[A-Z][A-Za-z]{1,63}$/.test(type))) {
    throw invalid("type", "must be FHIR resource type names separated by commas, such as `Observation,Condition`.");
  }
  return new Set(types);
}

export const getPatientRecords = ({ workspace, path, query, now }: Call) => {
  const patient = requirePatient(workspace, path.id!);
  if (query.starting_after !== undefined && query.ending_before !== undefined) {
    throw invalid("ending_before", "cannot be combined with `starting_after`: page one way at a time.");
  }
  const types = typesOf(query.type as string | undefined);
  const since = query.since === undefined ? -Infinity : Date.parse(query.since as string);
  const count = (query.count as number | undefined) ?? (parameterDefault("api.getPatientRecords", "count") as number);

  const items: Item[] = [];
  const links = workspace.links.newestFirst(
    (link) => link.patient_id === patient.id && link.synced_at !== null && link.status !== "disconnected",
  );
  for (const link of links.reverse()) {
    if (Date.parse(link.synced_at!) <= since) continue;
    const source = findSource(link.connection_id);
    if (!source) continue;
    recordsFor(patient.id, source).forEach((resource, index) => {
      if (!types || types.has(resource.resourceType))
        items.push({ linkSeq: link.seq, index, source: source.id, resource, lastUpdated: link.synced_at! });
    });
  }

  let start = 0;
  let end = Math.min(count, items.length);
  if (query.starting_after !== undefined) {
    const after = decodeCursor(patient.id, query.starting_after as string, now, "starting_after");
    start = items.findIndex((item) => before(after, item));
    if (start === -1) start = items.length;
    end = Math.min(start + count, items.length);
  } else if (query.ending_before !== undefined) {
    const limit = decodeCursor(patient.id, query.ending_before as string, now, "ending_before");
    end = items.findIndex((item) => !before(item, limit));
    if (end === -1) end = items.length;
    start = Math.max(0, end - count);
  }
  const page = items.slice(start, end);
  const cursor = (item: Item) => encodeCursor(patient.id, item, now);
  const hasMore = end < items.length;
  return {
    resource_type: "list",
    patient_id: patient.id,
    data: page.map(({ source, resource: { resourceType, id, ...rest }, lastUpdated }) => ({
      source,
      resource: { resourceType, id, meta: { lastUpdated }, ...rest },
    })),
    has_more: hasMore,
    next_cursor: hasMore && page.length > 0 ? cursor(page[page.length - 1]!) : null,
    previous_cursor: start > 0 && page.length > 0 ? cursor(page[0]!) : null,
  };
};
