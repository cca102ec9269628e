/**
 * The workspace's patients and their links to EHRs, newest first.
 */
import { html } from "hono/html";
import { findSource } from "../../domain/catalog.js";
import { table, time } from "../parts.js";
import { newest, PAGE_LIMIT, type DashboardView, type PageContext } from "./context.js";

export function patients({ workspace }: PageContext): DashboardView {
  const linkCount = new Map<string, number>();
  for (const link of workspace.links.all()) linkCount.set(link.patient_id, (linkCount.get(link.patient_id) ?? 0) + 1);
  const patientRows = newest(workspace.patients.all(), PAGE_LIMIT).map(
    (patient) =>
      html`<tr><td><code>${patient.id}</code></td><td>${patient.name ?? "—"}</td><td>${patient.email ?? "—"}</td>\
<td>${time(patient.created_at)}</td><td>${linkCount.get(patient.id) ?? 0}</td></tr>`,
  );
  const linkRows = newest(workspace.links.all(), PAGE_LIMIT).map(
    (link) =>
      html`<tr><td><code>${link.id}</code></td><td><code>${link.patient_id}</code></td><td>${findSource(link.connection_id)?.name ?? ""} \
<code>${link.connection_id}</code></td><td>${link.status}</td><td>${link.failure_code ?? "—"}</td>\
<td>${link.synced_at === null ? "not yet" : time(link.synced_at)}</td><td>${time(link.updated_at)}</td></tr>`,
  );
  const more = (total: number) => (total > PAGE_LIMIT ? html`<p class="note">The newest ${PAGE_LIMIT} of ${total}.</p>` : "");
  return {
    title: "Patients",
    current: "Patients",
    content: html`<section aria-labelledby="patients"><h2 id="patients">Patients</h2>
${table(
  "patients-table",
  "Patients",
  ["Patient id", "Name", "Email", "Created", "Links"],
  patientRows,
  "No patient yet: POST /patients, or start a session.",
)}${more(workspace.patients.size)}
</section>
<section aria-labelledby="links"><h2 id="links">Links to EHRs</h2>
${table(
  "links-table",
  "Links",
  ["Link", "Patient", "Health system", "Status", "Failure", "Records pulled", "Updated"],
  linkRows,
  "No link yet: a patient makes one by visiting an EHR in a session.",
)}${more(workspace.links.size)}
</section>`,
  };
}
