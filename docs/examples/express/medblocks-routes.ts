// medblocks-routes.ts: connecting a patient's health records, as routes of your Express app.
// The API key stays on the server; every return is verified with Medblocks; every webhook
// delivery is verified against its raw body. Mount it before any body parser.
import express, { Router, type Response } from "express";
import { Medblocks, MedblocksReturnUrlError, MedblocksSignatureError, type ReturnOutcome, type WebhookEvent } from "medblocks-client";

export interface MedblocksRoutesOptions {
  /** Where browsers reach this app: Medblocks sends them back to `${appUrl}/connected`. */
  appUrl: string;
  /** The `whsec_` secret of this app's webhook endpoint. */
  webhookSecret: string;
  /** What your app does with a verified event (each event once). */
  onEvent(event: WebhookEvent): void | Promise<void>;
}

/** The signed-in user, as your sign-in middleware leaves it on `res.locals.user`. */
interface User {
  id: string;
  email: string;
}
const userOf = (res: Response): User | undefined => res.locals.user as User | undefined;

const OUTCOME_TEXT: Record<ReturnOutcome, string> = {
  connected: "Connected: your records are on their way.",
  not_connected: "You came back without connecting a health system.",
  failed: "A health system could not be connected. Try again.",
  expired: "The link expired before you finished. Start again.",
};

export function medblocksRoutes(mb: Medblocks, options: MedblocksRoutesOptions): Router {
  const router = Router();
  // Your database, in a real app: the session started last for each user, and the events handled.
  const sessions = new Map<string, string>();
  const handled = new Set<string>();

  router.post("/connect", async (_req, res) => {
    const user = userOf(res);
    if (!user) {
      res.status(401).send("Sign in first");
      return;
    }
    const session = await mb.patientSession.init({
      patient_id: user.id, // your own id for the user; Medblocks creates the patient if new
      patient_email: user.email,
      return_url: `${options.appUrl}/connected`,
    });
    sessions.set(user.id, session.id); // the return must be this session
    res.redirect(303, session.url);
  });

  router.get("/connected", async (req, res) => {
    const user = userOf(res);
    const sessionId = user && sessions.get(user.id);
    let outcome: ReturnOutcome | undefined;
    try {
      if (user && sessionId) ({ outcome } = await mb.patientSession.verifyReturn(req.query, { patientId: user.id, sessionId }));
    } catch (error) {
      // Malformed, another user's, an older session's: one answer for every bad return.
      if (!(error instanceof MedblocksReturnUrlError)) throw error;
    }
    if (outcome === undefined) res.status(400).send("This link is not valid for your account");
    else res.send(OUTCOME_TEXT[outcome]);
  });

  router.post("/webhooks/medblocks", express.raw({ type: "application/json" }), async (req, res) => {
    if (!Buffer.isBuffer(req.body)) {
      res.status(400).send("expected an application/json body");
      return;
    }
    let event: WebhookEvent;
    try {
      event = await Medblocks.webhooks.constructEvent(req.body, req.headers["medblocks-signature"], options.webhookSecret);
    } catch (error) {
      if (!(error instanceof MedblocksSignatureError)) throw error;
      res.status(400).send(error.reason);
      return;
    }
    if (!handled.has(event.id)) {
      handled.add(event.id); // deliveries repeat: handle each event id once
      await options.onEvent(event);
    }
    res.sendStatus(200); // within 5 s; slow work belongs after the answer
  });

  return router;
}
