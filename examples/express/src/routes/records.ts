/** `/records`: the patient's FHIR resources, counted by resource type, every page read. */
import { isMedblocksError, type Medblocks } from "medblocks-client";
import { Router, type Response } from "express";
import { html } from "../html.js";
import { page } from "../layout.js";
import { requireUser, type SignedIn } from "../users.js";

/** Resource type → how many, walking every page (the iterator fetches the next page when it needs it). */
async function countByType(mb: Medblocks, userId: string): Promise<Map<string, number> | null> {
  const counts = new Map<string, number>();
  try {
    for await (const { resource } of mb.patients.records(userId)) {
      counts.set(resource.resourceType, (counts.get(resource.resourceType) ?? 0) + 1);
    }
  } catch (error) {
    // No session ever started: Medblocks does not know this patient.
    if (isMedblocksError(error) && error.code === "resource_not_found") return null;
    throw error;
  }
  return counts;
}

export function recordsRoutes({ mb }: { mb: Medblocks }): Router {
  const router = Router();
  router.get("/records", requireUser, async (_req, res: Response<unknown, SignedIn>) => {
    const user = res.locals.user;
    const counts = await countByType(mb, user);
    if (counts === null || counts.size === 0) {
      const content = html`<p>No records yet. <a href="/">Connect a health system</a> to share them; they arrive shortly after.</p>`;
      res.send(page({ title: "Your records", user, formToken: res.locals.formToken, content }));
      return;
    }
    const rows = [...counts].sort(([a], [b]) => a.localeCompare(b));
    const total = rows.reduce((sum, [, count]) => sum + count, 0);
    const content = html`<table>
<caption>Records by resource type</caption>
<thead><tr><th scope="col">Resource type</th><th scope="col" class="number">Count</th></tr></thead>
<tbody>${rows.map(([type, count]) => html`<tr><th scope="row">${type}</th><td class="number">${count}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">Total</th><td class="number">${total}</td></tr></tfoot>
</table>`;
    res.send(page({ title: "Your records", user, formToken: res.locals.formToken, content }));
  });
  return router;
}
