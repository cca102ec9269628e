/** The EHR catalog. */
import { CATALOG, catalogIndex, findSource, matchesQuery } from "../domain/catalog.js";
import { notFound } from "../errors.js";
import { decodeListCursor, encodeListCursor, limitOf } from "./paging.js";
import type { Call } from "./call.js";

/** `q`: case-insensitive substring of the name; `type`: the vendor, exactly. In name order, with index cursors. */
export const listFhirSources = ({ query }: Call) => {
  const limit = limitOf("api.listFhirSources", query);
  const q = query.q as string | undefined;
  const type = query.type as string | undefined;
  let index = query.starting_after === undefined ? 0 : decodeListCursor("catalog", query.starting_after as string) + 1;
  const data = [];
  let hasMore = false;
  for (; index < CATALOG.length; index++) {
    const source = CATALOG[index]!;
    if ((q !== undefined && !matchesQuery(source, q)) || (type !== undefined && source.type !== type)) continue;
    if (data.length === limit) {
      hasMore = true;
      break;
    }
    data.push(source);
  }
  const last = data[data.length - 1];
  return {
    resource_type: "list",
    data,
    has_more: hasMore,
    next_cursor: hasMore && last ? encodeListCursor("catalog", catalogIndex.get(last.id)!) : null,
  };
};

/** By `fhirsrc_` id or by `fhir_base_url` (one path segment, percent-encoded). */
export const getFhirSource = ({ path }: Call) => {
  const source = findSource(path.id!);
  if (!source) throw notFound("EHR in the catalog");
  return source;
};
