/** `/signin` and `/signout`: the fake sign-in (see users.ts). Their forms are checked by csrf.ts like every other. */
import { Router, type Response } from "express";
import { tokenField, type FormLocals } from "../csrf.js";
import { html } from "../html.js";
import { page } from "../layout.js";
import { signIn, signOut, USER_ID } from "../users.js";

const form = (value: string, error: string | null, formToken: string) =>
  html`<p>This example has no passwords: any username signs you in. It is also your patient id at Medblocks.</p>
<form method="post" action="/signin">
${tokenField(formToken)}
<label for="username">Username</label>
<p id="username-hint">Lowercase letters, digits, - and _, up to 40 characters.</p>
${error === null ? "" : html`<p id="username-error" class="error">${error}</p>`}
<input id="username" name="username" value="${value}" autocomplete="username" required \
aria-describedby="username-hint${error === null ? "" : " username-error"}"${error === null ? "" : html` aria-invalid="true"`}>
<div class="actions"><button type="submit">Sign in</button></div>
</form>`;

export interface SignInDeps {
  /** Replaces the browser's form-token secret (csrf.ts): a session's tokens end with it. */
  renew(res: Response): void;
}

export function signInRoutes({ renew }: SignInDeps): Router {
  const router = Router();
  router.get("/signin", (_req, res: Response<unknown, FormLocals>) => {
    res.send(page({ title: "Sign in", user: null, formToken: res.locals.formToken, content: form("", null, res.locals.formToken) }));
  });
  router.post("/signin", (req, res: Response<unknown, FormLocals>) => {
    const body: unknown = req.body;
    const username =
      typeof body === "object" && body !== null && "username" in body && typeof body.username === "string" ? body.username.trim() : "";
    if (!USER_ID.test(username)) {
      const content = form(username, "Enter a username of lowercase letters, digits, - and _.", res.locals.formToken);
      res.status(400).send(page({ title: "Sign in", user: null, formToken: res.locals.formToken, content }));
      return;
    }
    renew(res);
    signIn(res, username);
    res.redirect(303, "/");
  });
  router.post("/signout", (_req, res) => {
    renew(res);
    signOut(res);
    res.redirect(303, "/signin");
  });
  return router;
}
