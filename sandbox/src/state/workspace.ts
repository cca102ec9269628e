/**
 * One workspace: everything one sandbox API key sees, isolated from every
 * other key's. Its clock is its own too (an offset over the sandbox's time
 * source), so a test that advances time does not expire another test's
 * sessions. Exported and imported as plain data (WorkspaceData).
 */
import { seededId, seededUuid, type RngState } from "../random.js";
import type {
  DeliveryFaultRecord,
  EndpointRecord,
  EventRecord,
  FaultRecord,
  LaunchContextRecord,
  LinkRecord,
  PatientRecord,
  SessionRecord,
} from "./records.js";
import { Table } from "./table.js";

/** A workspace as JSON. */
export interface WorkspaceData {
  clock_offset_ms: number;
  rng: RngState;
  seq: number;
  patients: PatientRecord[];
  sessions: SessionRecord[];
  links: LinkRecord[];
  webhooks: EndpointRecord[];
  events: EventRecord[];
  launch_contexts: LaunchContextRecord[];
  faults: FaultRecord[];
  /** Absent in state written before webhook delivery: read as none. */
  delivery_faults?: DeliveryFaultRecord[];
}

const linkKey = (patientId: string, connectionId: string) => `${patientId}\u0000${connectionId}`;

export class Workspace {
  clockOffsetMs: number;
  readonly rng: RngState;
  #seq: number;
  readonly patients: Table<PatientRecord>;
  readonly sessions: Table<SessionRecord>;
  readonly links: Table<LinkRecord>;
  readonly webhooks: Table<EndpointRecord>;
  readonly events: Table<EventRecord>;
  readonly launchContexts: Table<LaunchContextRecord>;
  faults: FaultRecord[];
  deliveryFaults: DeliveryFaultRecord[];
  /** Links by (patient, EHR): derived from `links`, rebuilt on import. */
  readonly #linkByPair = new Map<string, LinkRecord>();
  /** Events with an attempt planned (`next_attempt_at` set): derived from `events`, rebuilt on import. */
  readonly pendingEvents = new Set<string>();

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
    this.faults = data.faults;
    this.deliveryFaults = data.delivery_faults ?? [];
    for (const event of this.events.all()) if (event.next_attempt_at !== null) this.pendingEvents.add(event.id);
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
  linkOf(patientId: string, connectionId: string): LinkRecord | undefined {
    return this.#linkByPair.get(linkKey(patientId, connectionId));
  }

  addLink(link: LinkRecord): LinkRecord {
    this.#linkByPair.set(linkKey(link.patient_id, link.connection_id), this.links.insert(link));
    return link;
  }

  /** Records an event; it is pending while an attempt is planned. */
  addEvent(event: EventRecord): EventRecord {
    this.events.insert(event);
    if (event.next_attempt_at !== null) this.pendingEvents.add(event.id);
    return event;
  }

  /** Plans the event's next attempt at `at` (ISO), or none when null. */
  planAttempt(event: EventRecord, at: string | null): void {
    event.next_attempt_at = at;
    if (at === null) this.pendingEvents.delete(event.id);
    else this.pendingEvents.add(event.id);
  }

  deleteEvent(id: string): void {
    this.events.delete(id);
    this.pendingEvents.delete(id);
  }

  /** Removes the patient with their sessions and links (webhook history stays). */
  deletePatient(patientId: string): void {
    this.patients.delete(patientId);
    for (const session of this.sessions.newestFirst((record) => record.patient_id === patientId)) {
      this.sessions.delete(session.id);
    }
    for (const link of this.links.newestFirst((record) => record.patient_id === patientId)) {
      this.links.delete(link.id);
      this.#linkByPair.delete(linkKey(patientId, link.connection_id));
    }
  }

  /** A deep copy as JSON data. */
  toData(): WorkspaceData {
    return structuredClone({
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
    });
  }
}
