/** `/`: the signed-in user's home, with the Connect button and the health systems they are linked to. */
import { isMedblocksError, type PatientDetail } from "medblocks-client";
import type { Metadata } from "next";
import { APP_NAME } from "@/lib/config";
import { healthSystemNames } from "@/lib/health-systems";
import { medblocks } from "@/lib/medblocks";
import { requireUser } from "@/lib/users";
import { ConnectButton } from "./connect-button";

export const metadata: Metadata = { title: "Your health records" };

/** What a link's status means to the patient. */
const STATUS_TEXT: Record<string, string> = {
  active: "connected",
  failed: "not connected",
  refresh_failed: "access lapsed: connect again",
  expired: "access expired: connect again",
  disconnected: "disconnected",
};

/** The patient's links, or none when Medblocks does not know the patient yet (no session started). */
async function linksOf(userId: string): Promise<PatientDetail["connections"]> {
  try {
    return (await medblocks().patients.retrieve(userId)).connections;
  } catch (error) {
    if (isMedblocksError(error) && error.code === "resource_not_found") return [];
    throw error;
  }
}

export default async function Home() {
  const user = await requireUser();
  const links = await linksOf(user.userId);
  const names = await healthSystemNames(links.map((link) => link.connection_id));
  return (
    <>
      <h1>Your health records</h1>
      <p>Share your records from the health systems where you are a patient. You sign in there; {APP_NAME} never sees your password.</p>
      {/* A Client Component gets the CSRF token as a prop, never the client or its key. */}
      <ConnectButton csrfToken={user.csrfToken} />
      <section aria-labelledby="linked">
        <h2 id="linked">Your health systems</h2>
        {links.length === 0 ? (
          <p>None connected yet.</p>
        ) : (
          <ul aria-labelledby="linked">
            {links.map((link, index) => (
              <li key={link.connection_id}>
                {names[index]}: {STATUS_TEXT[link.status] ?? link.status}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
