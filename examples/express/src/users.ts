/**
 * A fake sign-in, enough for the example: the user's id lives in a signed
 * cookie (cookie-parser checks the signature). A real app has its own
 * accounts; what matters to Medblocks is that the patient id comes from
 * here, never from a query string.
 */
import type { NextFunction, Request, Response } from "express";
import type { FormLocals } from "./csrf.js";

const COOKIE = "example_user";

/** A user id as this app accepts it; it is also the Medblocks `patient_id`. */
export const USER_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** The signed-in user's id, or null. */
export function signedInUser(req: Request): string | null {
  const value: unknown = req.signedCookies?.[COOKIE];
  return typeof value === "string" && USER_ID.test(value) ? value : null;
}

export function signIn(res: Response, userId: string): void {
  // Lax, not Strict: the browser comes back from Medblocks (another site) with
  // a top-level GET to /connected, and must bring the cookie along.
  res.cookie(COOKIE, userId, { signed: true, httpOnly: true, sameSite: "lax", path: "/" });
}

export function signOut(res: Response): void {
  res.clearCookie(COOKIE, { httpOnly: true, sameSite: "lax", path: "/" });
}

/** The locals of a request past `requireUser`. */
export interface SignedIn extends FormLocals {
  user: string;
}

/** Sends a visitor who is not signed in to the sign-in page. */
export function requireUser(req: Request, res: Response<unknown, SignedIn>, next: NextFunction): void {
  const user = signedInUser(req);
  if (user === null) return res.redirect(303, "/signin");
  res.locals.user = user;
  next();
}
