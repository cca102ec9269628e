/**
 * What the app keeps, in memory (a real app uses its database): the
 * session it started last for each user, and the webhook events it
 * verified, once each.
 */
import type { WebhookEvent } from "medblocks-client";

export interface ReceivedEvent {
  id: string;
  type: string;
  receivedAt: string;
  /** The patient the event is about, when its object names one. */
  patientId: string | null;
}

export class Store {
  readonly #sessions = new Map<string, string>();
  readonly #events = new Map<string, ReceivedEvent>();

  /** Remembers `sessionId` as the one session whose return `userId` may come back with. */
  startedSession(userId: string, sessionId: string): void {
    this.#sessions.set(userId, sessionId);
  }

  sessionStartedFor(userId: string): string | undefined {
    return this.#sessions.get(userId);
  }

  /** Records a verified event; false when its id was seen before (deliveries repeat). */
  recordEvent(event: WebhookEvent, receivedAt: Date): boolean {
    if (this.#events.has(event.id)) return false;
    const object: unknown = event.data.object;
    const patientId =
      typeof object === "object" && object !== null && "patient_id" in object && typeof object.patient_id === "string"
        ? object.patient_id
        : null;
    this.#events.set(event.id, { id: event.id, type: String(event.type), receivedAt: receivedAt.toISOString(), patientId });
    return true;
  }

  /** Every event received, newest first. */
  events(): ReceivedEvent[] {
    return [...this.#events.values()].reverse();
  }
}
