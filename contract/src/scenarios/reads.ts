/**
 * What any key may do: the liveness probe, and every list paged to its end
 * (the EHR catalog, patients, webhook endpoints and, read-only, an
 * existing endpoint's delivery records). A read-only run reads no single
 * patient: that would send a real patient's id.
 */
import type { Run } from "../run.js";
import { walk } from "./paging.js";

/** What later scenarios take from the reads. */
export interface Found {
  /** A catalog EHR's `fhirsrc_` id. */
  sourceId?: string | undefined;
}

export async function reads(run: Run): Promise<Found> {
  const health = await run.call("api.health", { expect: { status: 200, why: "the liveness probe" } });
  if (!health) {
    run.stop("unreachable", `could not reach ${run.options.baseUrl}: ${run.lastFailure ?? "no answer"}`);
    return {};
  }
  const catalog = await walk(run, "api.listFhirSources");
  const sourceId = typeof catalog.items[0]?.id === "string" ? (catalog.items[0].id as string) : undefined;
  if (sourceId !== undefined)
    await run.call("api.getFhirSource", { path: { id: sourceId }, expect: { status: 200, why: "an EHR from the catalog" } });
  await walk(run, "api.listPatients");
  const endpoints = await walk(run, "api.listWebhooks");
  const endpointId = endpoints.items[0]?.id;
  if (run.readOnly && typeof endpointId === "string") {
    await run.call("api.getWebhook", { path: { id: endpointId }, expect: { status: 200, why: "an endpoint from the list" } });
    await walk(run, "api.listWebhookEvents", { id: endpointId });
  }
  return { sourceId };
}
