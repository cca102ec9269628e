/**
 * What an example app shows about a patient, read from its pages, and what
 * the sandbox holds and delivered, read with the client: the two sides a
 * journey's checks compare.
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import type { Medblocks } from "../../src/index.js";
import { reloadUntil } from "./steps.js";

/** The table "Records by resource type" as type → count, its Total row included. */
export async function recordsTable(page: Page): Promise<Map<string, number>> {
  const table = page.getByRole("table", { name: "Records by resource type", exact: true });
  const counts = new Map<string, number>();
  for (const row of await table.getByRole("row").all()) {
    if ((await row.getByRole("rowheader").count()) === 0) continue; // the column headers
    counts.set((await row.getByRole("rowheader").innerText()).trim(), Number(await row.getByRole("cell").innerText()));
  }
  return counts;
}

/** What the sandbox holds for `patientId`, counted the same way, read with the client. */
export async function recordsInSandbox(mb: Medblocks, patientId: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let total = 0;
  for await (const { resource } of mb.patients.records(patientId)) {
    counts.set(resource.resourceType, (counts.get(resource.resourceType) ?? 0) + 1);
    total++;
  }
  return counts.set("Total", total);
}

/** The ids of the events of `type` about `patientId` that the sandbox delivered to the app's endpoint with a 2xx. */
export async function deliveredEvents(mb: Medblocks, patientId: string, type: string): Promise<string[]> {
  const [endpoint, ...others] = (await mb.webhooks.list()).data;
  expect(others, "one endpoint: the one --forward-to registered").toEqual([]);
  const ids: string[] = [];
  for await (const event of mb.webhooks.listEvents(endpoint!.id)) {
    const object = event.data.object as { patient_id?: unknown };
    if (event.type === type && object.patient_id === patientId && event.delivered_at !== null && event.last_status_code === 200)
      ids.push(event.id);
  }
  return ids;
}

/**
 * On the app's "Webhook events" page: each event of `types` about the
 * signed-in user is listed once, verified, and is the one the sandbox
 * delivered (reloading until it arrives: deliveries come on their own).
 */
export async function expectEventsListed(page: Page, mb: Medblocks, patientId: string, types: readonly string[]): Promise<void> {
  const mine = (type: string) =>
    page
      .getByRole("table", { name: "Verified webhook events", exact: true })
      .getByRole("row")
      .filter({ has: page.getByRole("cell", { name: type, exact: true }) })
      .filter({ has: page.getByRole("cell", { name: "you", exact: true }) })
      .filter({ has: page.getByRole("cell", { name: "verified", exact: true }) });
  for (const type of types) {
    await reloadUntil(page, mine(type), 1);
    const listed = (await mine(type).getByRole("cell").allInnerTexts()).filter((text) => text.startsWith("evt_"));
    expect(listed, `${type}: the event the sandbox delivered, listed once`).toEqual(await deliveredEvents(mb, patientId, type));
  }
}
