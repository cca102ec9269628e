/**
 * The answers when nothing else answered: 404, and the error page. A
 * MedblocksError is shown by its code and request id (what support needs),
 * never by its message or anything from the request.
 */
import { isMedblocksError } from "medblocks-client";
import type { NextFunction, Request, Response } from "express";
import { html } from "./html.js";
import { page } from "./layout.js";
import { signedInUser } from "./users.js";

export function notFound(req: Request, res: Response): void {
  const content = html`<p>There is nothing at this address. <a href="/">Go to the home page</a>.</p>`;
  res.status(404).send(page({ title: "Page not found", user: signedInUser(req), content }));
}

export function errorPage(error: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  const user = signedInUser(req);
  if (isMedblocksError(error)) {
    console.error(`medblocks error ${error.code} (status ${error.statusCode ?? "none"}, request ${error.requestId ?? "none"})`);
    const content = html`<p>Medblocks could not do what this page needs. Try again in a moment.</p>
<p>Error <code>${error.code}</code>${error.requestId ? html`, request <code>${error.requestId}</code>` : ""}.</p>`;
    res.status(502).send(page({ title: "Something went wrong", user, content }));
    return;
  }
  console.error(error);
  res.status(500).send(page({ title: "Something went wrong", user, content: html`<p>The app failed. Try again in a moment.</p>` }));
}
