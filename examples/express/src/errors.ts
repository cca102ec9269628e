/**
 * The answers when nothing else answered: 404, and the error page. A
 * MedblocksError is shown by its code and request id (what support needs),
 * never by its message or anything from the request. A forged form (see
 * csrf.ts) gets 403, and a request the body parser refused (too large,
 * malformed) its own 4xx, never a 500.
 */
import { isMedblocksError } from "medblocks-client";
import type { NextFunction, Request, Response } from "express";
import { ForgedForm } from "./csrf.js";
import { html, type Html } from "./html.js";
import { page } from "./layout.js";
import { signedInUser } from "./users.js";

/** The page for `status`, as the visitor is signed in (or not). */
function send(req: Request, res: Response, status: number, title: string, content: Html): void {
  // Unset when the request failed before the form tokens were made (csrf.ts): no form of this page would be taken then.
  const formToken = typeof res.locals.formToken === "string" ? res.locals.formToken : "";
  res.status(status).send(page({ title, user: signedInUser(req), formToken, content }));
}

/** The status of an error the body parser raised about the request itself (413 too large, 400 malformed, 415), or undefined. */
export function requestErrorStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return (error as { expose?: unknown } | null)?.expose === true && typeof status === "number" && status >= 400 && status < 500
    ? status
    : undefined;
}

export function notFound(req: Request, res: Response): void {
  send(req, res, 404, "Page not found", html`<p>There is nothing at this address. <a href="/">Go to the home page</a>.</p>`);
}

export function errorPage(error: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  if (error instanceof ForgedForm) {
    console.log(`form refused: ${error.message}`);
    send(
      req,
      res,
      403,
      "This form cannot be sent from here",
      html`<p>It was not sent from this app's own page: ${error.message}. Go back, reload the page and try again.</p>`,
    );
    return;
  }
  const requestStatus = requestErrorStatus(error);
  if (requestStatus !== undefined) {
    const title = requestStatus === 413 ? "This form is too large" : "This form could not be read";
    send(req, res, requestStatus, title, html`<p>Go back, reload the page and try again.</p>`);
    return;
  }
  if (isMedblocksError(error)) {
    console.error(`medblocks error ${error.code} (status ${error.statusCode ?? "none"}, request ${error.requestId ?? "none"})`);
    const content = html`<p>Medblocks could not do what this page needs. Try again in a moment.</p>
<p>Error <code>${error.code}</code>${error.requestId ? html`, request <code>${error.requestId}</code>` : ""}.</p>`;
    send(req, res, 502, "Something went wrong", content);
    return;
  }
  console.error(error);
  send(req, res, 500, "Something went wrong", html`<p>The app failed. Try again in a moment.</p>`);
}
