/** `/webhooks`: the events the receiver (app/api/webhooks/medblocks/route.ts) verified, for a signed-in user. */
import type { Metadata } from "next";
import { store } from "@/lib/store";
import { requireUser } from "@/lib/users";

export const metadata: Metadata = { title: "Webhook events" };

export default async function WebhookEvents() {
  const user = await requireUser();
  const events = store.events();
  const about = (patientId: string | null) => (patientId === null ? "—" : patientId === user.userId ? "you" : "another patient");
  return (
    <>
      <h1>Webhook events</h1>
      {events.length === 0 ? (
        <p>No verified event yet. Events arrive here as Medblocks sends them: connect a health system to cause some.</p>
      ) : (
        <>
          <p>
            Every delivery to <code>POST /api/webhooks/medblocks</code> whose signature verified, once per event id, newest first.
          </p>
          <table>
            <caption>Verified webhook events</caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Event</th>
                <th scope="col">About</th>
                <th scope="col">Received</th>
                <th scope="col">Signature</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <td>{event.type}</td>
                  <td>{event.id}</td>
                  <td>{about(event.patientId)}</td>
                  <td>
                    <time dateTime={event.receivedAt}>{event.receivedAt.slice(11, 19)} UTC</time>
                  </td>
                  <td>verified</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
