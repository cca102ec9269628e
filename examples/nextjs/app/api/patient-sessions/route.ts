/**
 * `POST /api/patient-sessions`: starts a patient session for the signed-in
 * user, remembers its id for them, and answers `{ url }`; the Connect button
 * (app/connect-button.tsx) sends the browser there.
 */
import { isMedblocksError } from "medblocks-client";
import { NextResponse, type NextRequest } from "next/server";
import { APP_NAME, appUrl } from "@/lib/config";
import { refuseCrossSite, refuseWithoutToken } from "@/lib/csrf";
import { suggestedHealthSystems } from "@/lib/health-systems";
import { medblocks } from "@/lib/medblocks";
import { store } from "@/lib/store";
import { signedIn } from "@/lib/users";

export async function POST(request: NextRequest): Promise<Response> {
  const refused = refuseCrossSite(request);
  if (refused) return refused;
  const user = signedIn(request);
  if (user === null) return NextResponse.json({ error: "Sign in first." }, { status: 401 });
  const wrongToken = refuseWithoutToken(user, request.headers.get("x-csrf-token"));
  if (wrongToken) return wrongToken;
  try {
    const suggested = await suggestedHealthSystems();
    const session = await medblocks().patientSession.init({
      patient_id: user.userId,
      return_url: `${appUrl()}/connected`,
      return_button_label: `Back to ${APP_NAME}`,
      recommended_connection_ids: suggested.map((ehr) => ehr.id),
    });
    // The return is checked against this id: only the session started last for this user counts.
    store.startedSession(user.userId, session.id);
    return NextResponse.json({ url: session.url });
  } catch (error) {
    if (!isMedblocksError(error)) throw error;
    // The code and the request id are what support needs; the message stays in the server's log.
    console.error(`medblocks error ${error.code} (status ${error.statusCode ?? "none"}, request ${error.requestId ?? "none"})`);
    return NextResponse.json(
      { error: "Medblocks could not start the connection. Try again in a moment.", code: error.code, request_id: error.requestId ?? null },
      { status: 502 },
    );
  }
}
