/**
 * Cross-site request forgery: a page on another site (or on another port of
 * this host, which is "same-site") can make the browser POST here with the
 * user's cookie. Every state-changing route handler first checks that the
 * request comes from this app's own pages (`Sec-Fetch-Site`, else `Origin`);
 * those acting for a signed-in user also check that sign-in's token, which
 * only this app's pages know.
 */
import "server-only";
import { timingSafeEqual } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { appUrl } from "./config";
import type { SignIn } from "./store";

/** A 403 when `request` does not come from this app's own pages, else null. */
export function refuseCrossSite(request: NextRequest): NextResponse | null {
  const site = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  // Browsers send Sec-Fetch-Site on every request; `same-site` is not enough
  // (another port of this host is the same site). Without it, Origin decides;
  // without either, the request is not from a browser page of ours.
  const fromHere = site !== null ? site === "same-origin" : origin === new URL(appUrl()).origin;
  return fromHere ? null : forbidden("This request did not come from this app's pages.");
}

/** A 403 unless `token` is the sign-in's CSRF token. */
export function refuseWithoutToken(signIn: SignIn, token: unknown): NextResponse | null {
  const expected = Buffer.from(signIn.csrfToken);
  const given = Buffer.from(typeof token === "string" ? token : "");
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? null
    : forbidden("This request's CSRF token is missing or wrong: reload the page.");
}

function forbidden(error: string): NextResponse {
  return NextResponse.json({ error }, { status: 403 });
}
