/**
 * The Next.js example (examples/nextjs) in real Chromium, built once with
 * `next build` and served by `next start`: the hosted journey with its
 * webhooks, a denial, replayed returns, and what a page on another origin
 * or an oversized delivery gets.
 */
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { isMedblocksError } from "../src/index.js";
import { browserTests, newUser } from "./support/fixture.js";
import { expectEventsListed, recordsInSandbox, recordsTable } from "./support/records.js";
import { deniedJourney, olderReturnReplayed, returnReplayedByAnotherUser } from "./support/scenarios.js";
import { NEXTJS } from "./support/stack.js";
import { expectHeading, listItems } from "./support/steps.js";

const t = browserTests("nextjs", NEXTJS);

/** How many patient sessions the sandbox holds for `patientId` (none when it does not know the patient). */
async function sessionsOf(patientId: string): Promise<number> {
  try {
    return (await t.client().patients.listPatientSessions(patientId)).data.length;
  } catch (error) {
    if (isMedblocksError(error) && error.code === "resource_not_found") return 0;
    throw error;
  }
}

/** The status of a POST that declares `length` bytes of JSON and sends none of them. */
function declaredOnly(url: string, length: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(length) },
      timeout: 15_000,
    });
    req.once("response", (response) => {
      resolve(response.statusCode);
      req.destroy();
    });
    req.once("timeout", () => req.destroy(new Error(`no answer from ${url} within 15 s`)));
    req.once("error", reject);
    req.flushHeaders();
  });
}

describe("the Next.js example, hosted mode", () => {
  it("pick a suggested EHR, approve, return: Connected, its records, and both webhooks verified", async ({ task }) => {
    const journey = await t.journey(task.name);
    const { page } = journey;
    const user = newUser("next");
    await journey.signIn(user);
    const suggested = await journey.connectHosted();
    expect(suggested.length, "the app suggests its partner EHRs").toBe(3);
    await journey.pickSuggested(suggested[0]!);
    await journey.decide("Approve access");
    await journey.returnToApp();
    await journey.expectOutcome("Connected");
    expect(await listItems(page, "Connected health systems")).toEqual([suggested[0]]);

    await journey.navigate("Your records", "Your records");
    const held = await recordsInSandbox(t.client(), user);
    expect(held.get("Total")).toBeGreaterThan(0);
    expect(await recordsTable(page)).toEqual(held);

    await journey.navigate("Webhook events", "Webhook events");
    await expectEventsListed(page, t.client(), user, ["records.sync.completed", "patient_session.completed"]);
    expect(t.stack.appOutput()).toMatch(/^webhook patient_session\.completed evt_\S+ verified$/m);
  });

  it("deny: Connection failed, the EHR listed as not connected", ({ task }) => deniedJourney(t, task.name));
});

describe("the Next.js example, replayed returns", () => {
  // A page cannot set its status in the App Router: the refusal is a 200 page (app/connected/page.tsx says why).
  it("one user's return opened in another user's browser: not valid for that account", ({ task }) =>
    returnReplayedByAnotherUser(t, task.name, 200));

  it("a user's own older return, after starting another session: not valid", ({ task }) => olderReturnReplayed(t, task.name, 200));
});

describe("the Next.js example, hostile input", () => {
  it("a page on another port of this host (same site, another origin) can neither sign the browser in nor start a session", async ({
    task,
  }) => {
    const journey = await t.journey(task.name);
    const victim = newUser("victim");
    await journey.signIn(victim);
    const { appUrl } = t.stack;
    // Posts as the browser would for the page: the sign-in cookie (SameSite=Lax) comes along on same-site requests.
    const attack = `<!doctype html><html lang="en"><head><title>Another site</title></head><body><main><h1>Another site</h1>
<form id="f" method="post" action="${appUrl}/api/signin"><input name="username" value="attacker"></form>
<script>fetch("${appUrl}/api/patient-sessions", { method: "POST", mode: "no-cors", credentials: "include" }).finally(() => \
document.getElementById("f").submit());</script>
</main></body></html>`;
    const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(attack));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const signInRefused = journey.page.waitForResponse(`${appUrl}/api/signin`, { timeout: 15_000 });
      await journey.page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect((await signInRefused).status()).toBe(403);
      // The form's navigation ends on the refusal; only then is the browser free to go elsewhere.
      await journey.page.waitForURL(`${appUrl}/api/signin`, { timeout: 15_000 });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    await journey.page.goto(appUrl);
    await expectHeading(journey.page, "Your health records");
    expect(await journey.page.getByText(`Signed in as ${victim}`).count(), "still signed in as the victim").toBe(1);
    expect(await sessionsOf(victim), "no session started for the victim").toBe(0);
  });

  it(
    "a delivery larger than 1 MB gets 413, also when chunked (no " + "Content-Length); one that does not verify gets 400 with the reason",
    async () => {
      const url = `${t.stack.appUrl}/api/webhooks/medblocks`;
      const chunk = new Uint8Array(64 * 1024).fill(0x20);
      let sent = 0;
      const chunked = new ReadableStream<Uint8Array>({
        pull(controller) {
          sent += chunk.byteLength;
          if (sent > 2 * 1024 * 1024) controller.close();
          else controller.enqueue(chunk);
        },
      });
      const init = { method: "POST", headers: { "content-type": "application/json" }, signal: AbortSignal.timeout(15_000) };
      const tooLarge = await fetch(url, { ...init, body: chunked, duplex: "half" } as RequestInit);
      expect([tooLarge.status, await tooLarge.text()]).toEqual([413, "the body is larger than 1 MB"]);
      expect(await declaredOnly(url, 2 * 1024 * 1024), "refused on its Content-Length, before a byte of the body").toBe(413);

      await t.stack.control("POST", "/faults", { delivery: "bad_signature" });
      const { events } = (await t.stack.control("POST", "/webhooks/trigger", { type: "records.sync.failed" })) as {
        events: { last_status_code: number | null; last_response_body: string | null }[];
      };
      expect(events.map((event) => [event.last_status_code, event.last_response_body])).toEqual([[400, "no_matching_signature"]]);
    },
  );
});
