/**
 * What the app keeps, in memory (a real app uses its database): who is
 * signed in, the session it started last for each user, and the webhook
 * events it verified, once each.
 */
import "server-only";
import type { WebhookEvent } from "medblocks-client";

/** A signed-in browser: the user, and the token its state-changing requests must carry. */
export interface SignIn {
  userId: string;
  csrfToken: string;
}

export interface ReceivedEvent {
  id: string;
  type: string;
  receivedAt: string;
  /** The patient the event is about, when its object names one. */
  patientId: string | null;
}

export class Store {
  readonly #signIns = new Map<string, SignIn>();
  readonly #sessions = new Map<string, string>();
  readonly #events = new Map<string, ReceivedEvent>();

  signIn(token: string, signIn: SignIn): void {
    this.#signIns.set(token, signIn);
  }

  signInOf(token: string): SignIn | undefined {
    return this.#signIns.get(token);
  }

  signOut(token: string): void {
    this.#signIns.delete(token);
  }

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

/**
 * The app's one store, kept on `globalThis`: Next.js bundles each route
 * (every page, every route handler) with its own copy of the modules it
 * imports, so a module-level `new Store()` would give the sign-in route one
 * store and the pages another; `next dev` also re-evaluates modules on edits.
 */
const shared = globalThis as typeof globalThis & { exampleStore?: Store };
export const store: Store = (shared.exampleStore ??= new Store());
