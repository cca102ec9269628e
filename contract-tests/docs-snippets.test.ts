/**
 * Code in the style of the Medblocks docs, with only the import changed:
 * it must compile (npm run typecheck covers this file) and run against the
 * mock. MEDBLOCKS_API_KEY and MEDBLOCKS_BASE_URL point the unchanged
 * `new Medblocks(process.env.MEDBLOCKS_API_KEY)` at Prism.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Medblocks, parseReturnUrl } from "../src/index.js";
import { mockUrl, TEST_API_KEY } from "./support/mock.js";

beforeEach(() => {
  vi.stubEnv("MEDBLOCKS_API_KEY", TEST_API_KEY);
  vi.stubEnv("MEDBLOCKS_BASE_URL", mockUrl());
});
afterEach(() => vi.unstubAllEnvs());

/** The little of Express the snippets use. */
function fakeResponse() {
  const sent: { status: number; body?: string; redirect?: string } = { status: 200 };
  const res = {
    status(code: number) {
      sent.status = code;
      return res;
    },
    send(body: string) {
      sent.body = body;
      return res;
    },
    redirect(url: string) {
      sent.status = 302;
      sent.redirect = url;
      return res;
    },
  };
  return { res, sent };
}

describe("docs snippets", () => {
  it("starts a hosted session and redirects", async () => {
    const { res, sent } = fakeResponse();
    const user = { id: "user_42", email: "jane@example.com", name: "Jane Doe" };
    // --- snippet ---
    const mb = new Medblocks(process.env.MEDBLOCKS_API_KEY);
    const session = await mb.patientSession.init({
      patient_id: user.id,
      patient_email: user.email,
      patient_name: user.name,
      return_url: "https://yourapp.com/connected",
    });
    res.redirect(session.url);
    // --- end ---
    expect(sent.redirect).toMatch(/^https:\/\/app\.medblocks\.com\/c\//);
  });

  it("starts a direct-mode session for one facility", async () => {
    // --- snippet ---
    const mb = new Medblocks(process.env.MEDBLOCKS_API_KEY);
    const session = await mb.patientSession.init({
      patient_id: "user_42",
      connection_id: "fhirsrc_01J9YR9N3X4VZ6P2K5RH7M3LMP",
      return_url: "https://yourapp.com/connected",
      expires_in: 600,
    });
    // --- end ---
    expect(session.resource_type).toBe("patient_session");
  });

  it("searches connections for a picker", async () => {
    const query = "sunrise";
    // --- snippet ---
    const mb = new Medblocks(process.env.MEDBLOCKS_API_KEY);
    if (query.length < 2) return;
    const { data } = await mb.connections.list({ q: query, limit: 20 });
    const options = data.map((connection) => ({ id: connection.id, label: connection.name, logo: connection.logo_url }));
    // --- end ---
    expect(options[0]).toMatchObject({ id: expect.stringMatching(/^fhirsrc_/), label: expect.any(String) });
  });

  it.each([
    ["a hosted return", "?patient_id=user_42&patient_session_id=ps_01J9YQ8M2X4VZ6P2K5RH7M3KQT", 200, "connected 1 EHR(s)"],
    [
      "a failed direct return",
      "?patient_id=user_42&patient_session_id=ps_01J9YQ8M2X4VZ6P2K5RH7M3KQT&success=false&error=user_denied",
      302,
      undefined,
    ],
    ["no return at all", "?tab=home", 400, "Missing return parameters"],
  ])("handles %s", async (_name, search, status, body) => {
    const req = { url: `/connected${search}` };
    const { res, sent } = fakeResponse();
    // --- snippet ---
    const mb = new Medblocks(process.env.MEDBLOCKS_API_KEY);
    const result = parseReturnUrl(new URL(req.url, "https://yourapp.com").searchParams);
    if (!result) {
      res.status(400).send("Missing return parameters");
    } else if (result.success === false) {
      res.redirect(`/connect?error=${encodeURIComponent(result.error)}`);
    } else {
      const session = await mb.patientSession.retrieve(result.patient_session_id);
      const active = session.connections.filter((connection) => connection.status === "active");
      res.send(`connected ${active.length} EHR(s)`);
    }
    // --- end ---
    expect(sent.status).toBe(status);
    expect(sent.body).toBe(body);
  });

  it("iterates every page with for await", async () => {
    const mb = new Medblocks(process.env.MEDBLOCKS_API_KEY);
    // The mock repeats one page forever; the client notices the repeated cursor.
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const connection of mb.connections.list({ type: "epic" })) seen.push(connection.id);
      })(),
    ).rejects.toMatchObject({ code: "unexpected_response" });
    expect(seen.length).toBeGreaterThan(0);
  });
});
