/**
 * `/connected`: the return from Medblocks. The query proves nothing by
 * itself, so it is verified with the server against the signed-in user and
 * the session the app started for them; the page then says how it went.
 */
import { MedblocksReturnUrlError, type Medblocks, type ReturnOutcome } from "medblocks-client";
import { Router, type Request, type Response } from "express";
import type { HealthSystems } from "../health-systems.js";
import { html } from "../html.js";
import { namedList, page } from "../layout.js";
import type { Store } from "../store.js";
import { requireUser, type SignedIn } from "../users.js";

/** The page's h1 for each outcome. */
const OUTCOME_TITLES: Record<ReturnOutcome, string> = {
  connected: "Connected",
  not_connected: "Not connected",
  failed: "Connection failed",
  expired: "Link expired",
};

const OUTCOME_TEXT: Record<ReturnOutcome, string> = {
  connected: "Your records are on their way. They can take a moment to arrive.",
  not_connected: "You came back without connecting a health system.",
  failed: "A health system could not be connected. You can try again.",
  expired: "The link to connect your records expired before you finished. Start again from the home page.",
};

export interface ConnectedDeps {
  mb: Medblocks;
  store: Store;
  healthSystems: HealthSystems;
}

export function connectedRoutes({ mb, store, healthSystems }: ConnectedDeps): Router {
  const router = Router();

  router.get("/connected", requireUser, async (req: Request, res: Response<unknown, SignedIn>) => {
    const user = res.locals.user;
    const sessionId = store.sessionStartedFor(user);
    const invalid = () => {
      // Malformed, another user's, or an older session's: say so, and nothing else.
      const content = html`<p>This address does not belong to a connection you started while signed in as this user.</p><p><a href="/">Go \
to the home page</a> to connect your records.</p>`;
      res.status(400).send(page({ title: "This link is not valid for your account", user, formToken: res.locals.formToken, content }));
    };
    // No session started here for this user: no return can be theirs.
    if (sessionId === undefined) return invalid();
    let verified;
    try {
      verified = await mb.patientSession.verifyReturn(req.query, { patientId: user, sessionId });
    } catch (error) {
      if (error instanceof MedblocksReturnUrlError) return invalid();
      throw error;
    }
    const { outcome, connected, failed } = verified;
    const [connectedNames, failedNames] = await Promise.all([
      healthSystems.names(connected.map((link) => link.connection_id)),
      healthSystems.names(failed.map((link) => link.connection_id)),
    ]);
    const item = (name: string) => html`<li>${name}</li>`;
    const content = html`<p>${OUTCOME_TEXT[outcome]}</p>
${connectedNames.length === 0 ? "" : namedList("connected", "Connected health systems", connectedNames.map(item))}
${failedNames.length === 0 ? "" : namedList("failed", "Health systems not connected", failedNames.map(item))}
<p>${connectedNames.length === 0 ? "" : html`<a href="/records">See your records</a> · `}<a href="/">Back to the home page</a></p>`;
    res.send(page({ title: OUTCOME_TITLES[outcome], user, formToken: res.locals.formToken, content }));
  });

  return router;
}
