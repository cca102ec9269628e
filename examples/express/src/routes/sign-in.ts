/** `/signin` and `/signout`: the fake sign-in (see users.ts). */
import express, { Router } from "express";
import { html } from "../html.js";
import { page } from "../layout.js";
import { signIn, signOut, USER_ID } from "../users.js";

const form = (value: string, error: string | null) =>
  html`<p>This example has no passwords: any username signs you in. It is also your patient id at Medblocks.</p>
<form method="post" action="/signin">
<label for="username">Username</label>
<p id="username-hint">Lowercase letters, digits, - and _, up to 40 characters.</p>
${error === null ? "" : html`<p id="username-error" class="error">${error}</p>`}
<input id="username" name="username" value="${value}" autocomplete="username" required aria-describedby="username-hint${error === null ? "" : " username-error"}"${error === null ? "" : html` aria-invalid="true"`}>
<div class="actions"><button type="submit">Sign in</button></div>
</form>`;

export function signInRoutes(): Router {
  const router = Router();
  router.get("/signin", (_req, res) => {
    res.send(page({ title: "Sign in", user: null, content: form("", null) }));
  });
  router.post("/signin", express.urlencoded({ extended: false, limit: "4kb" }), (req, res) => {
    const body: unknown = req.body;
    const username = typeof body === "object" && body !== null && "username" in body && typeof body.username === "string" ? body.username.trim() : "";
    if (!USER_ID.test(username)) {
      res.status(400).send(page({ title: "Sign in", user: null, content: form(username, "Enter a username of lowercase letters, digits, - and _.") }));
      return;
    }
    signIn(res, username);
    res.redirect(303, "/");
  });
  router.post("/signout", (_req, res) => {
    signOut(res);
    res.redirect(303, "/signin");
  });
  return router;
}
