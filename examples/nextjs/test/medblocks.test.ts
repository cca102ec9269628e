/**
 * lib/medblocks.ts as `next build` and the tests meet it: importing it needs
 * no API key (the client is made on first use), and outside Next.js it
 * imports only through the `server-only` alias of vitest.config.ts.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("lib/medblocks.ts", () => {
  it("imports without MEDBLOCKS_API_KEY, as `next build` imports every route's modules; the first call needs the key", async () => {
    vi.stubEnv("MEDBLOCKS_API_KEY", "");
    const { medblocks } = await import("@/lib/medblocks");
    expect(() => medblocks()).toThrow(/no API key: pass one or set MEDBLOCKS_API_KEY/);

    vi.stubEnv("MEDBLOCKS_API_KEY", "mb_sk_sbx_lazy");
    vi.stubEnv("MEDBLOCKS_BASE_URL", "http://127.0.0.1:4100");
    const client = medblocks();
    expect(client.baseUrl).toBe("http://127.0.0.1:4100");
    expect(medblocks(), "one client, made once").toBe(client);
  });

  it("needs the alias: the real `server-only` throws wherever the bundler did not pick its react-server export", async () => {
    const real = createRequire(import.meta.url).resolve("server-only");
    await expect(import(pathToFileURL(real).href)).rejects.toThrow("This module cannot be imported from a Client Component module");
  });
});
