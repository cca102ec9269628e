/** `POST /api/signin`: the fake sign-in's form (see lib/users.ts). */
import { NextResponse, type NextRequest } from "next/server";
import { readBody } from "@/lib/body";
import { appUrl } from "@/lib/config";
import { refuseCrossSite } from "@/lib/csrf";
import { signIn, USER_ID } from "@/lib/users";

export async function POST(request: NextRequest): Promise<Response> {
  // No sign-in yet, so no token to check: the origin check is what stops a
  // page elsewhere from signing the browser in as someone else (login CSRF).
  const refused = refuseCrossSite(request);
  if (refused) return refused;
  const body = await readBody(request, 4096);
  if (body === null) return new Response("the form is larger than 4 KB", { status: 413 });
  const username = (new URLSearchParams(new TextDecoder().decode(body)).get("username") ?? "").trim();
  if (!USER_ID.test(username)) {
    return NextResponse.redirect(
      new URL(`/signin?${new URLSearchParams({ error: "username", username: username.slice(0, 100) })}`, appUrl()),
      303,
    );
  }
  const response = NextResponse.redirect(new URL("/", appUrl()), 303);
  signIn(response, username, new URL(appUrl()).protocol === "https:");
  return response;
}
