import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Medblocks, MedblocksError } from "../src/index.js";
import DefaultMedblocks from "../src/index.js";
import { API_KEY, fakeClient, fakeFetch, json, SESSION, INIT } from "./support/fake-fetch.js";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

function constructionError(run: () => unknown): MedblocksError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MedblocksError);
    return error as MedblocksError;
  }
  throw new Error("construction succeeded");
}

describe("new Medblocks", () => {
  it("is the named and the default export", () => {
    expect(DefaultMedblocks).toBe(Medblocks);
  });

  it("fails without a key, naming the environment variable", () => {
    vi.stubEnv("MEDBLOCKS_API_KEY", "");
    const error = constructionError(() => new Medblocks());
    expect(error.code).toBe("missing_api_key");
    expect(error.message).toMatch(/MEDBLOCKS_API_KEY/);
  });

  it("takes the key from MEDBLOCKS_API_KEY", async () => {
    vi.stubEnv("MEDBLOCKS_API_KEY", "mb_sk_sbx_from_env");
    const { fetch, requests } = fakeFetch(() => json({ ok: true, server_time: "2026-04-25T14:30:00.000Z" }));
    await new Medblocks(undefined, { fetch }).health();
    expect(requests[0]!.headers.get("authorization")).toBe("Bearer mb_sk_sbx_from_env");
  });

  it.each([
    ["a key with a space", () => new Medblocks("mb_sk bad"), "apiKey"],
    ["a relative baseUrl", () => new Medblocks(API_KEY, { baseUrl: "/api" }), "baseUrl"],
    ["a malformed version", () => new Medblocks(API_KEY, { version: "latest" }), "version"],
    ["a zero timeout", () => new Medblocks(API_KEY, { timeout: 0 }), "timeout"],
    ["negative retries", () => new Medblocks(API_KEY, { maxNetworkRetries: -1 }), "maxNetworkRetries"],
  ])("refuses %s", (_name, run, param) => {
    const error = constructionError(run);
    expect(error.param).toBe(param);
    expect(error.message).not.toContain(API_KEY);
  });

  it("refuses to run in a browser unless told to", () => {
    vi.stubGlobal("window", {});
    vi.stubGlobal("document", {});
    expect(constructionError(() => new Medblocks(API_KEY)).message).toMatch(/browser/);
    expect(() => new Medblocks(API_KEY, { dangerouslyAllowBrowser: true })).not.toThrow();
  });

  it("keeps the key out of util.inspect and JSON.stringify", () => {
    const mb = new Medblocks(API_KEY);
    expect(inspect(mb, { depth: 10, showHidden: true })).not.toContain(API_KEY);
    expect(JSON.stringify(mb)).not.toContain(API_KEY);
    expect(inspect(mb.patientSession, { depth: 10, showHidden: true })).not.toContain(API_KEY);
  });
});

describe("requests", () => {
  it("sends the key, the default Version and JSON to the real service by default", async () => {
    const { mb, requests } = fakeClient(() => json(SESSION));
    await mb.patientSession.init(INIT);
    const [request] = requests;
    expect(request!.url.href).toBe("https://app.medblocks.com/patient-sessions");
    expect(request!.method).toBe("POST");
    expect(request!.headers.get("authorization")).toBe(`Bearer ${API_KEY}`);
    expect(request!.headers.get("version")).toBe("2026-04-25");
    expect(request!.headers.get("content-type")).toBe("application/json");
  });

  it("sends no Version to /health", async () => {
    const { mb, requests } = fakeClient(() => json({ ok: true, server_time: "2026-04-25T14:30:00.000Z" }));
    await mb.health();
    expect(requests[0]!.url.pathname).toBe("/health");
    expect(requests[0]!.headers.has("version")).toBe(false);
  });

  it("takes version, headers and baseUrl from the client and per request", async () => {
    const { mb, requests } = fakeClient(() => json(SESSION), { baseUrl: "http://127.0.0.1:9/base/", version: "2026-01-01" });
    await mb.patientSession.retrieve(SESSION.id);
    await mb.patientSession.retrieve(SESSION.id, { version: "2026-06-01", headers: { "X-Trace": "t1" } });
    expect(requests[0]!.url.href).toBe(`http://127.0.0.1:9/base/patient-sessions/${SESSION.id}`);
    expect(requests[0]!.headers.get("version")).toBe("2026-01-01");
    expect(requests[1]!.headers.get("version")).toBe("2026-06-01");
    expect(requests[1]!.headers.get("x-trace")).toBe("t1");
  });

  it("serializes list parameters into the query", async () => {
    const { mb, requests } = fakeClient(() => json({ resource_type: "list", data: [], has_more: false, next_cursor: null }));
    await mb.connections.list({ q: "st. mary's & co", type: "epic", limit: 20 });
    expect(requests[0]!.url.pathname).toBe("/connections");
    expect(Object.fromEntries(requests[0]!.url.searchParams)).toEqual({ q: "st. mary's & co", type: "epic", limit: "20" });
  });

  it.each([
    ["a slash", "a/b"],
    ["a query", "a?x=1"],
    ["a fragment", "a#x"],
    ["dot segments", "../../webhooks"],
    ["a whole URL", "https://fhir.example.org/api/FHIR/R4?x=1#y"],
    ["replacement patterns", "$&$`$'"],
    ["percent signs", "%2F%2E%2E"],
    ["unicode", "ü ñ"],
  ])("keeps an id with %s inside one path segment", async (_name, id) => {
    const { mb, requests } = fakeClient(() =>
      json({
        id: "fhirsrc_a",
        resource_type: "fhir_source",
        name: "n",
        type: null,
        fhir_base_url: "https://f",
        logo_url: null,
        portal_url: null,
      }),
    );
    await mb.connections.retrieve(id);
    const url = requests[0]!.url;
    expect(url.origin).toBe("https://app.medblocks.com");
    expect(url.search).toBe("");
    expect(url.hash).toBe("");
    const segments = url.pathname.split("/");
    expect(segments).toHaveLength(3);
    expect(segments[1]).toBe("connections");
    expect(decodeURIComponent(segments[2]!)).toBe(id);
  });
});
