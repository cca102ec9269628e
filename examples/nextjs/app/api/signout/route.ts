/** `POST /api/signout`: the header's Sign out button. */
import { NextResponse, type NextRequest } from "next/server";
import { readBody } from "@/lib/body";
import { appUrl } from "@/lib/config";
import { refuseCrossSite, refuseWithoutToken } from "@/lib/csrf";
import { signedIn, signOut } from "@/lib/users";

export async function POST(request: NextRequest): Promise<Response> {
  const refused = refuseCrossSite(request);
  if (refused) return refused;
  const user = signedIn(request);
  const response = NextResponse.redirect(new URL("/signin", appUrl()), 303);
  if (user === null) return response;
  const body = await readBody(request, 4096);
  if (body === null) return new Response("the form is larger than 4 KB", { status: 413 });
  const wrongToken = refuseWithoutToken(user, new URLSearchParams(new TextDecoder().decode(body)).get("csrf_token"));
  if (wrongToken) return wrongToken;
  signOut(request, response);
  return response;
}
