/**
 * `/`: the signed-in user's home, with the two ways to connect, and
 * `POST /connect` and `POST /connect/direct`, which start a patient session
 * and send the browser to its URL.
 */
import { isMedblocksError, type Medblocks, type PatientDetail } from "medblocks-client";
import { Router, type Response } from "express";
import type { Config } from "../config.js";
import type { HealthSystems } from "../health-systems.js";
import { tokenField } from "../csrf.js";
import { html } from "../html.js";
import { APP_NAME, namedList, page } from "../layout.js";
import type { Store } from "../store.js";
import { requireUser, type SignedIn } from "../users.js";

export interface HomeDeps {
  mb: Medblocks;
  config: Config;
  store: Store;
  healthSystems: HealthSystems;
}

/** What a link's status means to the patient. */
const STATUS_TEXT: Record<string, string> = {
  active: "connected",
  failed: "not connected",
  refresh_failed: "access lapsed: connect again",
  expired: "access expired: connect again",
  disconnected: "disconnected",
};

/** The patient's links, or none when Medblocks does not know the patient yet (no session started). */
async function linksOf(mb: Medblocks, userId: string): Promise<PatientDetail["connections"]> {
  try {
    return (await mb.patients.retrieve(userId)).connections;
  } catch (error) {
    if (isMedblocksError(error) && error.code === "resource_not_found") return [];
    throw error;
  }
}

export function homeRoutes({ mb, config, store, healthSystems }: HomeDeps): Router {
  const router = Router();

  router.get("/", requireUser, async (_req, res: Response<unknown, SignedIn>) => {
    const { user, formToken } = res.locals;
    const [{ direct }, links] = await Promise.all([healthSystems.partners(), linksOf(mb, user)]);
    const names = await healthSystems.names(links.map((link) => link.connection_id));
    const content = html`<p>Share your records from the health systems where you are a patient. You sign in there; ${APP_NAME} never sees \
your password.</p>
<form method="post" action="/connect">${tokenField(formToken)}<div class="actions"><button type="submit">Connect your health \
records</button></div></form>
<form method="post" action="/connect/direct">${tokenField(formToken)}<div class="actions"><button type="submit" class="quiet">Connect \
directly to ${direct.name}</button></div></form>
${
  links.length === 0
    ? html`<h2>Your health systems</h2><p>None connected yet.</p>`
    : namedList(
        "linked",
        "Your health systems",
        links.map((link, index) => html`<li>${names[index]}: ${STATUS_TEXT[link.status] ?? link.status}</li>`),
      )
}`;
    res.send(page({ title: "Your health records", user, formToken, content }));
  });

  /** Starts a session for the signed-in user, remembers it, and sends the browser to Medblocks. */
  const connect = (mode: "hosted" | "direct") => async (_req: unknown, res: Response<unknown, SignedIn>) => {
    const user = res.locals.user;
    const { suggested, direct } = await healthSystems.partners();
    const session = await mb.patientSession.init({
      patient_id: user,
      return_url: `${config.appUrl}/connected`,
      // The button's whole text on the hosted page, shown as written.
      return_button_label: `Back to ${APP_NAME}`,
      ...(mode === "hosted" ? { recommended_connection_ids: suggested.map((ehr) => ehr.id) } : { connection_id: direct.id }),
    });
    // The return is checked against this id: only the session started last for this user counts.
    store.startedSession(user, session.id);
    res.redirect(303, session.url);
  };
  router.post("/connect", requireUser, connect("hosted"));
  router.post("/connect/direct", requireUser, connect("direct"));

  return router;
}
