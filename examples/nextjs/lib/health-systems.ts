/**
 * The EHRs the app knows by name. A real app lists the health systems it
 * works with; this one takes three Epic systems from the catalog once, to
 * suggest on the hosted page. Names of other EHRs (those a patient found by
 * searching) are looked up by id and remembered.
 */
import "server-only";
import type { Connection } from "medblocks-client";
import { medblocks } from "./medblocks";

let suggested: Promise<Connection[]> | undefined;
const names = new Map<string, string>();

/** The EHRs shown first on the hosted page (`recommended_connection_ids`). */
export function suggestedHealthSystems(): Promise<Connection[]> {
  suggested ??= medblocks()
    .connections.list({ type: "epic", limit: 3 })
    .then(({ data }) => {
      if (data.length === 0) throw new Error("the EHR catalog has no Epic system");
      for (const ehr of data) names.set(ehr.id, ehr.name);
      return data;
    })
    .catch((error: unknown) => {
      suggested = undefined; // try again on the next request
      throw error;
    });
  return suggested;
}

/** The EHRs' names, in order, by their `fhirsrc_` ids. */
export function healthSystemNames(ids: readonly string[]): Promise<string[]> {
  return Promise.all(
    ids.map(async (id) => {
      const known = names.get(id);
      if (known !== undefined) return known;
      const { name } = await medblocks().connections.retrieve(id);
      names.set(id, name);
      return name;
    }),
  );
}
