/** `/records`: the patient's FHIR resources, counted by resource type, every page read (a Server Component calls the client directly). */
import { isMedblocksError } from "medblocks-client";
import type { Metadata } from "next";
import { medblocks } from "@/lib/medblocks";
import { requireUser } from "@/lib/users";

export const metadata: Metadata = { title: "Your records" };

/** Resource type → how many, walking every page (the iterator fetches the next page when it needs it). */
async function countByType(userId: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  try {
    for await (const { resource } of medblocks().patients.records(userId)) {
      counts.set(resource.resourceType, (counts.get(resource.resourceType) ?? 0) + 1);
    }
  } catch (error) {
    // No session ever started: Medblocks does not know this patient.
    if (!(isMedblocksError(error) && error.code === "resource_not_found")) throw error;
  }
  return counts;
}

export default async function Records() {
  const user = await requireUser();
  const rows = [...(await countByType(user.userId))].sort(([a], [b]) => a.localeCompare(b));
  if (rows.length === 0) {
    return (
      <>
        <h1>Your records</h1>
        <p>
          No records yet. <a href="/">Connect a health system</a> to share them; they arrive shortly after.
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Your records</h1>
      <table>
        <caption>Records by resource type</caption>
        <thead>
          <tr>
            <th scope="col">Resource type</th>
            <th scope="col">Count</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([type, count]) => (
            <tr key={type}>
              <th scope="row">{type}</th>
              <td className="number">{count}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="number">{rows.reduce((sum, [, count]) => sum + count, 0)}</td>
          </tr>
        </tfoot>
      </table>
    </>
  );
}
