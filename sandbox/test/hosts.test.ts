/**
 * DNS rebinding: the server answers requests addressed to its own names
 * only. Real requests over a socket to a started server, with the `Host` a
 * page on a rebinding name would send.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type SandboxServer } from "../src/index.js";
import { acceptedHosts, hostAccepted } from "../src/http/hosts.js";
import { send } from "./support/http.js";

let server: SandboxServer;
const reports: string[] = [];

beforeAll(async () => {
  server = await startServer({ port: 0, publicUrl: "http://sandbox.test:8080", report: (message) => reports.push(message) });
});
afterAll(() => server.close());

const auth = () => ({ authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" });
const at = (host: string) => ({ host });

describe("a request addressed to another host (DNS rebinding)", () => {
  const FOREIGN = [
    "rebind.attacker.example",
    "rebind.attacker.example:4100",
    "127.0.0.1.nip.io",
    "localhost.attacker.example",
    "sandbox.localhost",
    "[::2]",
  ];

  it.each(FOREIGN)("is refused with 403 and the envelope, naming the accepted hosts and --public-url (Host %s)", async (host) => {
    const answer = await send(server.port, { path: "/health", headers: at(host) });
    expect(answer.status).toBe(403);
    expect(answer.headers["content-type"]).toMatch(/^application\/json/);
    expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
    const { error } = JSON.parse(answer.text);
    expect(error).toMatchObject({ type: "permission_error", code: "forbidden", param: null, request_id: answer.headers["x-request-id"] });
    expect(error.message).toContain("127.0.0.1, localhost, [::1], sandbox.test");
    expect(error.message).toContain("--public-url");
  });

  it("is refused on every kind of route: the API, the control API, the hosted page, an unknown path", async () => {
    const session = JSON.parse(
      (
        await send(server.port, {
          method: "POST",
          path: "/patient-sessions",
          headers: auth(),
          body: JSON.stringify({ patient_id: "user_1", return_url: "https://app.example.com/back" }),
        })
      ).text,
    );
    const page = new URL(session.url).pathname;
    const host = at(`rebind.attacker.example:${server.port}`);
    const requests = [
      { path: "/patients", headers: { ...auth(), ...host } },
      { method: "POST", path: "/patients", headers: { ...auth(), ...host }, body: JSON.stringify({ patient_id: "planted" }) },
      { path: "/__sandbox/state", headers: { ...auth(), ...host } },
      { method: "POST", path: "/__sandbox/reset", headers: { ...auth(), ...host } },
      { path: page, headers: host },
      {
        method: "POST",
        path: `${page}/return`,
        headers: { ...host, "content-type": "application/x-www-form-urlencoded" },
        body: "form_token=x",
      },
      { path: "/no/such/route", headers: host },
    ];
    for (const request of requests) {
      const answer = await send(server.port, request);
      expect(answer.status, `${request.method ?? "GET"} ${request.path}`).toBe(403);
      expect(JSON.parse(answer.text).error.code).toBe("forbidden");
    }
    // Nothing of it happened: no patient planted, the session still open.
    const patients = JSON.parse((await send(server.port, { path: "/patients", headers: auth() })).text);
    expect(patients.data.map((patient: { id: string }) => patient.id)).toEqual(["user_1"]);
    const still = JSON.parse((await send(server.port, { path: `/patient-sessions/${session.id}`, headers: auth() })).text);
    expect(still.status).toBe("open");
  });

  it("cannot register a webhook at a local port to read its answer back", async () => {
    const body = JSON.stringify({ url: `http://127.0.0.1:${server.port}/__sandbox/state`, events: ["*"] });
    const answer = await send(server.port, {
      method: "POST",
      path: "/webhooks",
      headers: { ...auth(), ...at("rebind.attacker.example") },
      body,
    });
    expect(answer.status).toBe(403);
    const endpoints = JSON.parse((await send(server.port, { path: "/webhooks", headers: auth() })).text);
    expect(endpoints.data).toEqual([]);
  });
});

describe("a request addressed to the sandbox's own names", () => {
  const own = () => [
    "127.0.0.1",
    `127.0.0.1:${server.port}`,
    "localhost",
    `localhost:${server.port}`,
    "LOCALHOST",
    "[::1]",
    `[::1]:${server.port}`,
    // --public-url's host, with its port, another, or none
    "sandbox.test",
    "sandbox.test:8080",
    `sandbox.test:${server.port}`,
  ];

  it("is answered, with and without the port", async () => {
    for (const host of own()) {
      const answer = await send(server.port, { path: "/health", headers: at(host) });
      expect(answer.status, host).toBe(200);
      expect(JSON.parse(answer.text).ok).toBe(true);
    }
  });

  it("reaches the API, the control API and the hosted page", async () => {
    const host = at(`localhost:${server.port}`);
    expect((await send(server.port, { path: "/patients", headers: { ...auth(), ...host } })).status).toBe(200);
    expect((await send(server.port, { path: "/__sandbox/clock", headers: { ...auth(), ...host } })).status).toBe(200);
    const session = JSON.parse(
      (
        await send(server.port, {
          method: "POST",
          path: "/patient-sessions",
          headers: { ...auth(), ...host },
          body: JSON.stringify({ patient_id: "user_2", return_url: "https://app.example.com/back" }),
        })
      ).text,
    );
    const page = await send(server.port, { path: new URL(session.url).pathname, headers: at("sandbox.test:8080") });
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
  });
});

describe("the accepted names", () => {
  it("are the loopback names, the bind address and --public-url's host, as the URL parser writes them", () => {
    expect(acceptedHosts("127.0.0.1", undefined)).toEqual(["127.0.0.1", "localhost", "[::1]"]);
    expect(acceptedHosts("192.0.2.7", "https://Sandbox.Example.com/base")).toEqual([
      "127.0.0.1",
      "localhost",
      "[::1]",
      "192.0.2.7",
      "sandbox.example.com",
    ]);
    expect(acceptedHosts("0:0::1", undefined)).toEqual(["127.0.0.1", "localhost", "[::1]"]);
    expect(acceptedHosts("fd00::7", undefined)).toContain("[fd00::7]");
  });

  it("compare a Host header by its name only, and refuse anything that is not host[:port]", () => {
    const accepted = acceptedHosts("192.0.2.7", undefined);
    for (const host of ["192.0.2.7", "192.0.2.7:4100", "[::1]:1", "[0:0::1]"]) expect(hostAccepted(host, accepted), host).toBe(true);
    for (const host of [
      undefined,
      "",
      "192.0.2.8",
      "user@localhost",
      "localhost/",
      "localhost:port",
      "localhost:4100:1",
      "localhost.",
      " localhost",
      "[::2]",
    ]) {
      expect(hostAccepted(host, accepted), String(host)).toBe(false);
    }
  });
});
