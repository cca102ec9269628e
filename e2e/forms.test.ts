/**
 * The example app's forms can only be sent from its own pages (csrf.ts):
 * in Chromium, a page of another app on another port of the same host —
 * the same site, so the app's SameSite=Lax cookies go along — cannot sign
 * the visitor in as someone else, sign them out, or start a session in
 * their name; over plain HTTP, each check on its own refuses a forged post,
 * and an oversized form is answered 413.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppSession } from "./support/app-http.js";
import { browserTests, newUser } from "./support/fixture.js";
import { expectHeading } from "./support/steps.js";

const t = browserTests("forms");
const REFUSED = "This form cannot be sent from here";

/** Another app on 127.0.0.1 (another port: the same site as the example app), whose page posts to the app. */
let attacker: Server;
let attackerUrl: string;
beforeAll(async () => {
  attacker = createServer((_request, response) => {
    const app = t.stack.appUrl;
    const form = (action: string, label: string, fields = "") =>
      `<form method="post" action="${app}${action}">${fields}<button type="submit">${label}</button></form>`;
    response
      .writeHead(200, { "content-type": "text/html; charset=utf-8" })
      .end(`<!doctype html><html lang="en"><title>Another app</title><main><h1>Another app</h1>
${form("/signin", "Sign in as the attacker", '<input type="hidden" name="username" value="attacker">')}
${form("/connect", "Connect")}
${form("/connect/direct", "Connect directly")}
${form("/signout", "Sign out")}
</main></html>`);
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  attacker.closeAllConnections();
  await new Promise((resolve) => attacker.close(resolve));
});

describe("a form posted from another app's page (same site, another port)", () => {
  it("cannot start a session in the signed-in user's name, nor sign them out", async ({ task }) => {
    const journey = await t.journey(task.name);
    const user = newUser("victim");
    await journey.signIn(user);
    for (const button of ["Connect", "Connect directly", "Sign out"]) {
      await journey.page.goto(attackerUrl);
      const [response] = await Promise.all([
        journey.page.waitForResponse((answer) => answer.url().startsWith(t.stack.appUrl)),
        journey.page.getByRole("button", { name: button, exact: true }).click(),
      ]);
      expect(response.status(), button).toBe(403);
      await expectHeading(journey.page, REFUSED);
      await journey.steps.record(journey.page, `forged ${button}`);
    }
    // Still signed in, and Medblocks never heard of the user: no session was started.
    await journey.home();
    const known = await t
      .client()
      .patients.retrieve(user)
      .then(
        () => "known",
        (error: unknown) => (error as { code?: string }).code,
      );
    expect(known).toBe("resource_not_found");
  });

  it("cannot sign a visitor in as someone else (login CSRF)", async ({ task }) => {
    const journey = await t.journey(task.name);
    await journey.page.goto(attackerUrl);
    const [response] = await Promise.all([
      journey.page.waitForResponse((answer) => answer.url().startsWith(t.stack.appUrl)),
      journey.page.getByRole("button", { name: "Sign in as the attacker", exact: true }).click(),
    ]);
    expect(response.status()).toBe(403);
    await journey.page.goto(t.stack.appUrl);
    await expectHeading(journey.page, "Sign in");
  });
});

describe("a forged post over HTTP", () => {
  it("is refused without the form token, with another session's, or from another origin or site, each alone", async () => {
    const session = new AppSession(t.stack.appUrl);
    const beforeSignIn = await session.formToken("/signin");
    // Login CSRF: no token, or a token of another browser.
    expect((await new AppSession(t.stack.appUrl).post("/signin", { username: "attacker" })).status).toBe(403);
    expect((await new AppSession(t.stack.appUrl).post("/signin", { username: "attacker", csrf_token: beforeSignIn })).status).toBe(403);
    await session.signIn(newUser("http"));
    const token = await session.formToken("/");
    for (const [why, fields, headers] of [
      ["no token", {}, {}],
      ["the sign-in page's token, from before the session", { csrf_token: beforeSignIn }, {}],
      ["another port's Origin", { csrf_token: token }, { origin: "http://127.0.0.1:1" }],
      ["an opaque Origin", { csrf_token: token }, { origin: "null" }],
      ["Sec-Fetch-Site same-site", { csrf_token: token }, { "sec-fetch-site": "same-site" }],
      ["Sec-Fetch-Site cross-site", { csrf_token: token }, { "sec-fetch-site": "cross-site" }],
    ] as const) {
      for (const path of ["/connect", "/connect/direct", "/signout"]) {
        const response = await session.post(path, fields, headers);
        expect(response.status, `${path}: ${why}`).toBe(403);
        expect(await response.text()).toContain(REFUSED);
      }
    }
    // The page's own post, with its token, goes through: to the hosted page; signing out ends the session's tokens.
    const connected = await session.post("/connect", { csrf_token: token });
    expect([connected.status, new URL(connected.headers.get("location")!).origin]).toEqual([303, t.stack.sandboxUrl]);
    expect((await session.post("/signout", { csrf_token: token })).status).toBe(303);
    expect((await session.post("/signout", { csrf_token: token })).status).toBe(403);
  });

  it("answers 413 to a form past its size, with a page", async () => {
    const session = new AppSession(t.stack.appUrl);
    const response = await session.post("/signin", { csrf_token: await session.formToken("/signin"), username: "x".repeat(10_000) });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain("This form is too large");
  });
});
