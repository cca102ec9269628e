/**
 * A fake sign-in, enough for the example: any username signs in. The browser
 * holds a random token in an HttpOnly cookie; the server maps it to the user
 * and to that sign-in's CSRF token. A real app has its own accounts; what
 * matters to Medblocks is that the patient id comes from here, never from a
 * query string.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { NextRequest, NextResponse } from "next/server";
import { store, type SignIn } from "./store";

const COOKIE = "example_session";

/** A user id as this app accepts it; it is also the Medblocks `patient_id`. */
export const USER_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** The signed-in user of a route handler's request, or null. */
export function signedIn(request: NextRequest): SignIn | null {
  return signInOf(request.cookies.get(COOKIE)?.value);
}

/** The signed-in user of the page being rendered, or null (Server Components). */
export async function currentUser(): Promise<SignIn | null> {
  return signInOf((await cookies()).get(COOKIE)?.value);
}

/** The signed-in user of the page being rendered; a visitor who is not signed in is sent to the sign-in page. */
export async function requireUser(): Promise<SignIn> {
  return (await currentUser()) ?? redirect("/signin");
}

function signInOf(token: string | undefined): SignIn | null {
  return (token && store.signInOf(token)) || null;
}

/** Signs `userId` in on the browser that gets `response`. */
export function signIn(response: NextResponse, userId: string, secure: boolean): void {
  const token = randomBytes(32).toString("base64url");
  store.signIn(token, { userId, csrfToken: randomBytes(32).toString("base64url") });
  // Lax, not Strict: the browser comes back from Medblocks (another site) with
  // a top-level GET to /connected, and must bring the cookie along.
  response.cookies.set(COOKIE, token, { httpOnly: true, sameSite: "lax", path: "/", secure });
}

export function signOut(request: NextRequest, response: NextResponse): void {
  const token = request.cookies.get(COOKIE)?.value;
  if (token) store.signOut(token);
  response.cookies.delete(COOKIE);
}
