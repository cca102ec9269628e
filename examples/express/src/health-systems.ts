/**
 * The EHRs the app knows by name. A real app lists the health systems it
 * works with; this one takes them from the catalog once: three Epic systems
 * to suggest on the hosted page, and one Cerner system to connect to
 * directly. Names of other EHRs (those a patient found by searching) are
 * looked up by id and remembered.
 */
import type { Connection, Medblocks } from "medblocks-client";

export interface Partners {
  /** Shown first on the hosted page (`recommended_connection_ids`). */
  suggested: Connection[];
  /** The "Connect directly to …" button's EHR (`connection_id`). */
  direct: Connection;
}

export class HealthSystems {
  readonly #mb: Medblocks;
  #partners: Promise<Partners> | undefined;
  readonly #names = new Map<string, string>();

  constructor(mb: Medblocks) {
    this.#mb = mb;
  }

  partners(): Promise<Partners> {
    this.#partners ??= this.#loadPartners().catch((error: unknown) => {
      this.#partners = undefined; // try again on the next request
      throw error;
    });
    return this.#partners;
  }

  async #loadPartners(): Promise<Partners> {
    const [suggested, direct] = await Promise.all([
      this.#mb.connections.list({ type: "epic", limit: 3 }),
      this.#mb.connections.list({ type: "cerner", limit: 1 }),
    ]);
    const partners = { suggested: suggested.data, direct: direct.data[0] };
    if (partners.suggested.length === 0 || partners.direct === undefined)
      throw new Error("the EHR catalog has no Epic or no Cerner system");
    for (const ehr of [...partners.suggested, partners.direct]) this.#names.set(ehr.id, ehr.name);
    return { suggested: partners.suggested, direct: partners.direct };
  }

  /** The EHRs' names, in order, by their `fhirsrc_` ids. */
  async names(ids: readonly string[]): Promise<string[]> {
    return Promise.all(
      ids.map(async (id) => {
        const known = this.#names.get(id);
        if (known !== undefined) return known;
        const { name } = await this.#mb.connections.retrieve(id);
        this.#names.set(id, name);
        return name;
      }),
    );
  }
}
