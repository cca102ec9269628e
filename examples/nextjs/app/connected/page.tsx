/**
 * `/connected`: the return from Medblocks. The query proves nothing by
 * itself, so it is verified with the server against the signed-in user and
 * the session the app started for them; the h1 says how it went.
 */
import { MedblocksReturnUrlError, type ReturnOutcome, type VerifiedReturn } from "medblocks-client";
import type { Metadata } from "next";
import { healthSystemNames } from "@/lib/health-systems";
import { medblocks } from "@/lib/medblocks";
import { store } from "@/lib/store";
import { requireUser } from "@/lib/users";

export const metadata: Metadata = { title: "Your connection" };

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

export default async function Connected({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const sessionId = store.sessionStartedFor(user.userId);
  // No session started here for this user: no return can be theirs.
  if (sessionId === undefined) return <ReturnRefused />;
  let verified: VerifiedReturn;
  try {
    verified = await medblocks().patientSession.verifyReturn(await searchParams, { patientId: user.userId, sessionId });
  } catch (error) {
    // Malformed, another user's, or an older session's: say so, and nothing else.
    if (error instanceof MedblocksReturnUrlError) return <ReturnRefused />;
    throw error;
  }
  const { outcome, connected, failed } = verified;
  const [connectedNames, failedNames] = await Promise.all([
    healthSystemNames(connected.map((link) => link.connection_id)),
    healthSystemNames(failed.map((link) => link.connection_id)),
  ]);
  return (
    <>
      <h1>{OUTCOME_TITLES[outcome]}</h1>
      <p>{OUTCOME_TEXT[outcome]}</p>
      <NamedList id="connected" heading="Connected health systems" names={connectedNames} />
      <NamedList id="failed" heading="Health systems not connected" names={failedNames} />
      <p>
        {connectedNames.length > 0 && (
          <>
            <a href="/records">See your records</a> ·{" "}
          </>
        )}
        <a href="/">Back to the home page</a>
      </p>
    </>
  );
}

/**
 * A return that fails verification. A page cannot choose its status, so this
 * answers 200: `notFound()` would answer 404, but Next.js then sends the page
 * empty and draws it only in the browser (vercel/next.js#62228).
 */
function ReturnRefused() {
  return (
    <>
      <h1>This link is not valid for your account</h1>
      <p>This address does not belong to a connection you started while signed in as this user.</p>
      <p>
        <a href="/">Go to the home page</a> to connect your records.
      </p>
    </>
  );
}

/** A list named by its heading (its accessible name is the heading's text); nothing when empty. */
function NamedList({ id, heading, names }: { id: string; heading: string; names: string[] }) {
  if (names.length === 0) return null;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      <ul aria-labelledby={id}>
        {names.map((name, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: names may repeat, and the list is rendered once, never reordered.
          <li key={index}>{name}</li>
        ))}
      </ul>
    </section>
  );
}
