/**
 * Cross-site request forgery protection for every POST a page of this app
 * sends: sign-in, sign-out and the connect buttons. Without it another site
 * (or another app on another port of this host: the same *site*, so our
 * SameSite=Lax cookie goes along) could sign a visitor in as someone else,
 * sign them out, or start Medblocks sessions in their name. The webhook
 * receiver is mounted before this: Medblocks is not a browser, and its
 * deliveries are proven by their signature.
 *
 * Two independent checks; a forged form fails both:
 *
 * 1. The browser says where the form came from: `Sec-Fetch-Site`, when
 *    sent, must be `same-origin` (not `same-site`: another port or a
 *    sibling subdomain is another app), and `Origin`, when sent, this app's
 *    origin.
 * 2. The form carries a token only this app's pages hold: an HMAC of a
 *    random secret of this browser (its own signed, HttpOnly cookie) and of
 *    who is signed in. Before sign-in it ties the sign-in form to this
 *    browser; sign-in and sign-out replace the secret, so a token of one
 *    session never works in the next. A forged form cannot know the token.
 *
 * Copy this as it is, or use your framework's equivalent (the same two
 * checks); keep state-changing actions on POST, never GET.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { html, type Html } from "./html.js";
import { signedInUser } from "./users.js";

const SECRET_COOKIE = "example_csrf";
/** The name of the hidden field that carries the token. */
export const TOKEN_FIELD = "csrf_token";

/** What every page gets in `res.locals` to put in its forms. */
export interface FormLocals {
  formToken: string;
}

/** The hidden field every POST form of the app carries. */
export const tokenField = (token: string): Html => html`<input type="hidden" name="${TOKEN_FIELD}" value="${token}">`;

export interface CsrfOptions {
  /** The app's own origin, as browsers reach it (`APP_URL`). */
  appOrigin: string;
  /** Keys the tokens' HMAC (the cookie secret: signed cookies and tokens stand or fall together). */
  key: string;
}

export interface Csrf {
  /** For every request: gives the browser a secret when it has none, and its pages their form token (`res.locals.formToken`). */
  tokens: RequestHandler;
  /** For every POST from a page: 403 unless it comes from this app's origin with the form token of this browser and user. */
  check: RequestHandler;
  /** At sign-in and sign-out: a new secret, so the tokens of the session that ends stop working. */
  renew(res: Response): void;
}

export function csrf({ appOrigin, key }: CsrfOptions): Csrf {
  const newSecret = () => randomBytes(32).toString("base64url");
  const setSecret = (res: Response, secret: string) =>
    res.cookie(SECRET_COOKIE, secret, { signed: true, httpOnly: true, sameSite: "lax", path: "/" });
  const tokenFor = (secret: string, user: string | null) =>
    createHmac("sha256", key)
      .update(`csrf\0${secret}\0${user ?? ""}`)
      .digest("base64url");
  /** The browser's secret, from its signed cookie (cookie-parser checks the signature), or null. */
  const secretOf = (req: Request): string | null => {
    const value: unknown = req.signedCookies?.[SECRET_COOKIE];
    return typeof value === "string" && value.length > 0 ? value : null;
  };

  /** Why a POST is refused, or null when it comes from a page of this app in this browser and session. */
  const forgery = (req: Request): string | null => {
    const site = req.get("sec-fetch-site");
    if (site !== undefined && site !== "same-origin") return "it was sent from another site or origin";
    const origin = req.get("origin");
    if (origin !== undefined && origin !== appOrigin) return "it was sent from another origin";
    const secret = secretOf(req);
    const given: unknown = (req.body as Record<string, unknown> | undefined)?.[TOKEN_FIELD];
    if (secret === null || typeof given !== "string" || !sameText(given, tokenFor(secret, signedInUser(req)))) {
      return "it did not come from a page of this app, or from a page of an earlier session";
    }
    return null;
  };

  return {
    tokens(req: Request, res: Response, next: NextFunction) {
      let secret = secretOf(req);
      if (secret === null) setSecret(res, (secret = newSecret()));
      res.locals.formToken = tokenFor(secret, signedInUser(req));
      next();
    },

    check(req: Request, _res: Response, next: NextFunction) {
      if (req.method === "GET" || req.method === "HEAD") return next();
      const why = forgery(req);
      next(why === null ? undefined : new ForgedForm(why));
    },

    renew(res: Response) {
      setSecret(res, newSecret());
    },
  };
}

/** A POST that failed the checks; `message` says which (errors.ts answers it with a 403 page). */
export class ForgedForm extends Error {}

/** Whether two strings are equal, compared in constant time. */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
