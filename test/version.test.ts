import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VERSION } from "../src/version.js";

describe("VERSION", () => {
  it("is client/package.json's version (the one the User-Agent reports)", () => {
    const manifest = JSON.parse(readFileSync(new URL("../client/package.json", import.meta.url), "utf8")) as { version: string };
    expect(VERSION).toBe(manifest.version);
  });
});
