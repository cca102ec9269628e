/**
 * `POST /webhooks/medblocks`: Medblocks' deliveries, verified against the
 * raw bytes (a parsed and re-serialized body no longer matches the
 * signature), recorded once per event id; and `/webhooks`, the events the
 * app verified.
 */
import { Medblocks, MedblocksSignatureError, type WebhookEvent } from "medblocks-client";
import express, { Router, type NextFunction, type Request, type Response } from "express";
import { requestErrorStatus } from "../errors.js";
import { html } from "../html.js";
import { page } from "../layout.js";
import type { Store } from "../store.js";
import { requireUser, type SignedIn } from "../users.js";

export interface WebhookDeps {
  store: Store;
  webhookSecret: string;
}

/**
 * Largest delivery read: Medblocks' events are a few KB; a larger body is
 * refused (413) as it arrives, never buffered whole.
 */
const MAX_DELIVERY_BYTES = "1mb";

/** The receiver: mount it before any body parser and before the cookies (Medblocks sends none). */
export function webhookReceiver({ store, webhookSecret }: WebhookDeps): Router {
  const router = Router();

  router.post("/webhooks/medblocks", express.raw({ type: "application/json", limit: MAX_DELIVERY_BYTES }), async (req, res) => {
    if (!Buffer.isBuffer(req.body)) {
      res.status(400).type("text/plain").send("expected an application/json body");
      return;
    }
    let event: WebhookEvent;
    try {
      event = await Medblocks.webhooks.constructEvent(req.body, req.headers["medblocks-signature"], webhookSecret);
    } catch (error) {
      if (!(error instanceof MedblocksSignatureError)) throw error;
      console.log(`webhook rejected: ${error.reason}`);
      res.status(400).type("text/plain").send(error.reason);
      return;
    }
    const fresh = store.recordEvent(event, new Date());
    console.log(`webhook ${String(event.type)} ${event.id} verified${fresh ? "" : ", a repeat: ignored"}`);
    // Answer at once; slow work belongs after the answer (Medblocks waits 5 s at most).
    res.sendStatus(200);
  });
  // The body parser's refusals (too large: 413; not JSON's encoding: 415; cut short: 400) are the sender's
  // mistakes, answered in plain text as the receiver answers; anything else is the app's own failure.
  router.use("/webhooks/medblocks", (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status = requestErrorStatus(error);
    if (status === undefined) return next(error);
    console.log(`webhook refused: ${status}`);
    res
      .status(status)
      .type("text/plain")
      .send(status === 413 ? "payload_too_large" : "bad_request");
  });
  return router;
}

/** `/webhooks`: the verified events, for a signed-in user. */
export function webhookEventsPage({ store }: { store: Store }): Router {
  const router = Router();
  router.get("/webhooks", requireUser, (_req, res: Response<unknown, SignedIn>) => {
    const user = res.locals.user;
    const events = store.events();
    const about = (patientId: string | null) => (patientId === null ? "—" : patientId === user ? "you" : "another patient");
    const content =
      events.length === 0
        ? html`<p>No verified event yet. Events arrive here as Medblocks sends them: connect a health system to cause some.</p>`
        : html`<p>Every delivery to <code>POST /webhooks/medblocks</code> whose signature verified, once per event id, newest first.</p>
<table>
<caption>Verified webhook events</caption>
<thead><tr><th scope="col">Type</th><th scope="col">Event</th><th scope="col">About</th><th scope="col">Received</th><th \
scope="col">Signature</th></tr></thead>
<tbody>${events.map(
            (event) =>
              html`<tr><td>${event.type}</td><td>${event.id}</td><td>${about(event.patientId)}</td><td><time \
datetime="${event.receivedAt}">${event.receivedAt.slice(11, 19)} UTC</time></td><td>verified</td></tr>`,
          )}</tbody>
</table>`;
    res.send(page({ title: "Webhook events", user, formToken: res.locals.formToken, content }));
  });

  return router;
}
