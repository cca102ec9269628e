/**
 * One workspace: everything one sandbox API key sees, isolated from every
 * other key's. Its clock is its own too (an offset over the sandbox's time
 * source), so a test that advances time does not expire another test's
 * sessions. Exported and imported as plain data (WorkspaceData); what
 * changed since the state file last wrote it is `takeChanges()`.
 */
import { seededId, seededUuid, type RngState } from "../domain/random.js";
import type { DeliveryFaultRow, EndpointRow, EventRow, FaultRow, LaunchContextRow, LinkRow, PatientRow, SessionRow } from "./rows.js";
import { Table, type Keyed } from "./table.js";

/** A workspace as JSON. */
export interface WorkspaceData {
  clock_offset_ms: number;
  rng: RngState;
  seq: number;
  patients: PatientRow[];
  sessions: SessionRow[];
  links: LinkRow[];
  webhooks: EndpointRow[];
  events: EventRow[];
  launch_contexts: LaunchContextRow[];
  faults: FaultRow[];
  /** Absent in state written before webhook delivery: read as none. */
  delivery_faults?: DeliveryFaultRow[];
}

/** The record collections of WorkspaceData, by their names there. */
export const COLLECTIONS = ["patients", "sessions", "links", "webhooks", "events", "launch_contexts"] as const;
export type Collection = (typeof COLLECTIONS)[number];

/** The fields of a workspace that are not rows: written whole with every change. */
export type WorkspaceScalars = Pick<WorkspaceData, "clock_offset_ms" | "rng" | "seq" | "faults" | "delivery_faults">;

/** What changed in a workspace: its scalars as they are, the rows now there, and the ids removed. */
export interface WorkspaceChanges {
  set: WorkspaceScalars;
  put: Partial<Record<Collection, Keyed[]>>;
  gone: Partial<Record<Collection, string[]>>;
}

/** What a store indexes across the workspaces it keeps; each keeps it up to date as it changes. */
export interface WorkspaceIndex {
  /** Each session's workspace and id, by the token of its page. */
  readonly byToken: Map<string, { workspace: Workspace; id: string }>;
  /** The workspaces with an event whose next attempt is planned. */
  readonly withPending: Set<Workspace>;
}

const linkKey = (patientId: string, connectionId: string) => `${patientId}\u0000${connectionId}`;

export class Workspace {
  clockOffsetMs: number;
  readonly rng: RngState;
  #seq: number;
  readonly patients: Table<PatientRow>;
  readonly sessions: Table<SessionRow>;
  readonly links: Table<LinkRow>;
  readonly webhooks: Table<EndpointRow>;
  readonly events: Table<EventRow>;
  readonly launchContexts: Table<LaunchContextRow>;
  faults: FaultRow[];
  deliveryFaults: DeliveryFaultRow[];
  /** Links by (patient, EHR): derived from `links`, rebuilt on import. */
  readonly #linkByPair = new Map<string, LinkRow>();
  /** Events with an attempt planned (`next_attempt_at` set): derived from `events`, rebuilt on import. */
  readonly #pending = new Set<string>();
  /** The index of the store that keeps this workspace; none while it is not kept. */
  #index: WorkspaceIndex | undefined;
  /** The tables by their collection's name in WorkspaceData. */
  readonly #tables: Record<Collection, Table<Keyed>>;

  constructor(data: WorkspaceData) {
    this.clockOffsetMs = data.clock_offset_ms;
    this.rng = [...data.rng];
    this.#seq = data.seq;
    this.patients = new Table(data.patients);
    this.sessions = new Table(data.sessions);
    this.links = new Table(data.links);
    this.webhooks = new Table(data.webhooks);
    this.events = new Table(data.events);
    this.launchContexts = new Table(data.launch_contexts);
    this.#tables = {
      patients: this.patients,
      sessions: this.sessions,
      links: this.links,
      webhooks: this.webhooks,
      events: this.events,
      launch_contexts: this.launchContexts,
    } as unknown as Record<Collection, Table<Keyed>>;
    this.faults = data.faults;
    this.deliveryFaults = data.delivery_faults ?? [];
    for (const event of this.events.all()) if (event.next_attempt_at !== null) this.#pending.add(event.id);
    for (const link of data.links) this.#linkByPair.set(linkKey(link.patient_id, link.connection_id), link);
  }

  static empty(rng: RngState): Workspace {
    return new Workspace({
      clock_offset_ms: 0,
      rng,
      seq: 0,
      patients: [],
      sessions: [],
      links: [],
      webhooks: [],
      events: [],
      launch_contexts: [],
      faults: [],
      delivery_faults: [],
    });
  }

  /** Nothing was ever made here and nothing is queued: the same as a workspace not yet used. */
  isEmpty(): boolean {
    return this.#seq === 0 && this.clockOffsetMs === 0 && this.faults.length === 0 && this.deliveryFaults.length === 0;
  }

  /** Joins (or, with undefined, leaves) a store's index: its sessions' tokens and its pending events are found there. */
  indexIn(index: WorkspaceIndex | undefined): void {
    const old = this.#index;
    for (const session of old ? this.sessions.all() : []) old!.byToken.delete(session.token);
    old?.withPending.delete(this);
    this.#index = index;
    for (const session of index ? this.sessions.all() : []) index!.byToken.set(session.token, { workspace: this, id: session.id });
    if (this.#pending.size > 0) index?.withPending.add(this);
  }

  /** The next creation-order number. */
  nextSeq(): number {
    return ++this.#seq;
  }

  /** A new id with `prefix` from the workspace's seeded generator. */
  newId(prefix: string): string {
    return seededId(this.rng, prefix);
  }

  /** A new UUID from the workspace's seeded generator. */
  newUuid(): string {
    return seededUuid(this.rng);
  }

  /** The patient's link to an EHR, if one was ever made. */
  linkOf(patientId: string, connectionId: string): LinkRow | undefined {
    return this.#linkByPair.get(linkKey(patientId, connectionId));
  }

  addLink(link: LinkRow): LinkRow {
    this.#linkByPair.set(linkKey(link.patient_id, link.connection_id), this.links.insert(link));
    return link;
  }

  addSession(session: SessionRow): SessionRow {
    this.sessions.insert(session);
    this.#index?.byToken.set(session.token, { workspace: this, id: session.id });
    return session;
  }

  /** The events with an attempt planned, by id. */
  pendingEvents(): ReadonlySet<string> {
    return this.#pending;
  }

  #setPending(id: string, pending: boolean): void {
    if (pending) this.#pending.add(id);
    else this.#pending.delete(id);
    if (this.#pending.size > 0) this.#index?.withPending.add(this);
    else this.#index?.withPending.delete(this);
  }

  /** Records an event; it is pending while an attempt is planned. */
  addEvent(event: EventRow): EventRow {
    this.events.insert(event);
    if (event.next_attempt_at !== null) this.#setPending(event.id, true);
    return event;
  }

  /** Plans the event's next attempt at `at` (ISO), or none when null. */
  planAttempt(event: EventRow, at: string | null): void {
    this.events.update(event, { next_attempt_at: at });
    this.#setPending(event.id, at !== null);
  }

  /** Stops counting an event as pending when it no longer is (deleted, or no attempt planned). */
  settle(id: string): void {
    const event = this.events.get(id);
    if (!event || event.next_attempt_at === null) this.#setPending(id, false);
  }

  deleteEvent(id: string): void {
    this.events.delete(id);
    this.#setPending(id, false);
  }

  /** Removes the patient with their sessions and links (webhook history stays). */
  deletePatient(patientId: string): void {
    this.patients.delete(patientId);
    for (const session of this.sessions.newestFirst((row) => row.patient_id === patientId)) {
      this.sessions.delete(session.id);
      this.#index?.byToken.delete(session.token);
    }
    for (const link of this.links.newestFirst((row) => row.patient_id === patientId)) {
      this.links.delete(link.id);
      this.#linkByPair.delete(linkKey(patientId, link.connection_id));
    }
  }

  #scalars(): WorkspaceScalars {
    return {
      clock_offset_ms: this.clockOffsetMs,
      rng: this.rng,
      seq: this.#seq,
      faults: this.faults,
      delivery_faults: this.deliveryFaults,
    };
  }

  /** What changed since the last call (or since the workspace was made): the live rows, not copies. */
  takeChanges(): WorkspaceChanges {
    const changes: WorkspaceChanges = { set: this.#scalars(), put: {}, gone: {} };
    for (const [name, table] of Object.entries(this.#tables) as [Collection, Table<Keyed>][]) {
      const { put, gone } = table.takeChanged();
      if (put.length > 0) changes.put[name] = put;
      if (gone.length > 0) changes.gone[name] = gone;
    }
    return changes;
  }

  /** Lets go of what changed, as written whole (or as no state file takes it). */
  forgetChanges(): void {
    for (const table of Object.values(this.#tables)) table.forgetChanged();
  }

  /** The workspace as JSON data, sharing the live rows (for writing out at once; `toData` for a copy). */
  view(): WorkspaceData {
    return {
      clock_offset_ms: this.clockOffsetMs,
      rng: this.rng,
      seq: this.#seq,
      patients: this.patients.all(),
      sessions: this.sessions.all(),
      links: this.links.all(),
      webhooks: this.webhooks.all(),
      events: this.events.all(),
      launch_contexts: this.launchContexts.all(),
      faults: this.faults,
      delivery_faults: this.deliveryFaults,
    };
  }

  /** A deep copy as JSON data. */
  toData(): WorkspaceData {
    return structuredClone(this.view());
  }
}
