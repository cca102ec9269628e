/**
 * One way out for every answer (src/http/reply.ts): the API's, the control API's,
 * the hosted page's, the dashboard's, the API reference's and the 404 of no
 * route each carry `X-Request-Id` and `X-Medblocks-Sandbox`, and log
 * exactly one line — the same request id, the answer's status, the route's
 * template. A request that ends without an answer logs one line too, with
 * status 0 and why.
 */
import { afterAll, describe, expect, it } from "vitest";
import { CATALOG, createSandbox, SANDBOX_VERSION, type RequestLogEntry } from "../src/index.js";
import { asPage, Browser } from "../src/page/browser.js";

const entries: RequestLogEntry[] = [];
const sb = createSandbox({ seed: "reply", log: (entry) => entries.push(entry) });
const browser = new Browser(sb.fetch, sb.baseUrl);
afterAll(() => sb.close());

const api = (method: string, path: string, body?: unknown) =>
  sb.fetch(`${sb.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${sb.apiKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? null : JSON.stringify(body),
  });

/** Sends one request and checks its answer against the one log line it wrote. */
async function expectOneLine(send: () => Promise<Response>, method: string, route: string, status: number): Promise<Response> {
  const before = entries.length;
  const response = await send();
  expect(response.status, route).toBe(status);
  expect(response.headers.get("x-medblocks-sandbox"), route).toBe(SANDBOX_VERSION);
  expect(entries.slice(before), route).toEqual([
    { method, route, status, ms: expect.any(Number), requestId: response.headers.get("x-request-id") },
  ]);
  expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  return response;
}

describe("every answer", () => {
  it("of the API and the control API, value or error: the error's request_id is the header's", async () => {
    await expectOneLine(() => api("GET", "/health"), "GET", "/health", 200);
    // The first call with the key notes its hint on the line: the same line, not a second.
    const before = entries.length;
    const created = await api("POST", "/patients", { patient_id: "p1" });
    expect(entries.slice(before)).toEqual([
      expect.objectContaining({
        route: "/patients",
        status: 200,
        requestId: created.headers.get("x-request-id"),
        newKey: `…${sb.apiKey.slice(-4)}`,
      }),
    ]);
    const missing = await expectOneLine(() => api("GET", "/patients/nobody"), "GET", "/patients/{id}", 404);
    expect(((await missing.json()) as any).error.request_id).toBe(missing.headers.get("x-request-id"));
    await expectOneLine(() => api("POST", "/__sandbox/clock/advance", { seconds: 1 }), "POST", "/__sandbox/clock/advance", 200);
    await expectOneLine(() => api("GET", "/no/such/route"), "GET", "(no such route)", 404);
  }, 30_000);

  it("of the hosted page, a form's included", async () => {
    const session = (await (
      await api("POST", "/patient-sessions", { patient_id: "p2", return_url: "https://app.example.com/back" })
    ).json()) as { url: string };
    const token = new URL(session.url).pathname;
    await expectOneLine(() => sb.fetch(session.url), "GET", "/c/{token}", 200);
    const login = asPage(await browser.open(`${session.url}/ehr/${CATALOG[0]!.id}`));
    const form = login.forms().find((each) => each.action.endsWith(`${token}/ehr/${CATALOG[0]!.id}`))!;
    const formToken = form.controls.find((control) => control.attrs.name === "form_token")!.attrs.value!;
    await expectOneLine(
      () =>
        sb.fetch(`${sb.baseUrl}${token}/ehr/${CATALOG[0]!.id}`, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
          body: new URLSearchParams({ form_token: formToken, outcome: "deny" }).toString(),
        }),
      "POST",
      "/c/{token}/ehr/{connection_id}",
      303,
    );
  }, 30_000);

  it("of the dashboard and the API reference", async () => {
    await expectOneLine(() => sb.fetch(`${sb.baseUrl}/__sandbox/`), "GET", "/__sandbox/", 303);
    await expectOneLine(() => sb.fetch(`${sb.baseUrl}/__sandbox/workspaces`), "GET", "/__sandbox/workspaces", 200);
    await expectOneLine(() => sb.fetch(`${sb.baseUrl}/docs/`), "GET", "/docs/", 308);
  }, 30_000);
});

describe("a request that ends without an answer", () => {
  it("a dropped connection: one line, status 0, saying so", async () => {
    sb.injectFault({ operation: "api.listPatients", drop: true });
    const before = entries.length;
    await expect(api("GET", "/patients")).rejects.toThrow(TypeError);
    expect(entries.slice(before)).toEqual([
      expect.objectContaining({ method: "GET", route: "/patients", status: 0, note: "connection dropped (injected fault)" }),
    ]);
  }, 30_000);

  it("a caller that went away: one line, status 0, saying so", async () => {
    sb.injectFault({ operation: "api.listPatients", delayMs: 5_000 });
    const before = entries.length;
    const controller = new AbortController();
    const call = sb.fetch(`${sb.baseUrl}/patients`, { headers: { authorization: `Bearer ${sb.apiKey}` }, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(call).rejects.toThrow();
    for (const deadline = Date.now() + 2_000; entries.length === before && Date.now() < deadline; )
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(entries.slice(before)).toEqual([expect.objectContaining({ route: "/patients", status: 0, note: "the caller went away" })]);
  }, 30_000);
});
