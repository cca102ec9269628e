/**
 * Who may submit the hosted page's forms. The token in the page's URL is
 * the capability to use the session; these checks keep another site from
 * submitting the forms in the patient's browser (cross-site request
 * forgery), without JavaScript or cookies:
 *
 * - a browser's own word: `Sec-Fetch-Site` must be `same-origin` (or
 *   `none`, typed by the user), and `Origin`, when sent, this page's origin
 *   (the request's own, or the sandbox's public URL behind a proxy);
 * - a form token that only this page's forms carry: an HMAC, keyed by the
 *   sandbox's seed, of the page token and the form's action, so a form
 *   written anywhere else, or for another action, fails.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export function formToken(seed: string, pageToken: string, action: string): string {
  return createHmac("sha256", `medblocks-sandbox form\u0000${seed}`).update(`${pageToken}\u0000${action}`).digest("base64url");
}

/** Why a POST is refused, or null when it comes from this page. */
export function crossSiteProblem(request: Request, publicOrigin: string): string | null {
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") return `the form was sent from another site (Sec-Fetch-Site: ${site})`;
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== new URL(request.url).origin && origin !== publicOrigin) return "the form was sent from another origin";
  return null;
}

/** Whether `given` is the expected form token (compared in constant time). */
export function formTokenMatches(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
