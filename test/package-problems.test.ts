/**
 * The package checks `npm test` runs on this repo's tarballs
 * (scripts/check-packages.ts) find real problems: a small package whose
 * `bin` names a file it does not ship (publint) and whose `types` are
 * CommonJS declarations for ESM code (attw: "masquerading as CJS") fails;
 * the same package with its fields right passes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pack, problems } from "../scripts/lib/package-problems.js";

const dir = mkdtempSync(join(tmpdir(), "medblocks-package-problems-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Packs a one-export ESM package with `fields` and its declarations in `declarations`. */
function packed(name: string, declarations: string, fields: Record<string, unknown>): Promise<string> {
  const source = join(dir, name);
  mkdirSync(source);
  writeFileSync(join(source, "package.json"), JSON.stringify({ name, version: "1.0.0", type: "module", license: "MIT", ...fields }));
  writeFileSync(join(source, "index.js"), "export const answer = 42;\n");
  writeFileSync(join(source, declarations), "export declare const answer: number;\n");
  return pack(source, dir);
}

describe("the package checks", () => {
  it("find a bin that is not shipped and CommonJS types for ESM code", async () => {
    const found = await problems(await packed("broken", "index.d.cts", { exports: { ".": { types: "./index.d.cts", default: "./index.js" } }, bin: "./cli.js" }));
    expect(found[0]).toBe("publint error: pkg.bin is ./cli.js but the file does not exist.");
    expect(found[1]).toMatch(/^attw:\n[\s\S]*node16 \(from ESM\): Masquerading as CJS/);
    expect(found).toHaveLength(2);
  }, 60_000);

  it("find nothing once the fields are right", async () => {
    const fixed = await packed("fixed", "index.d.ts", { exports: { ".": { types: "./index.d.ts", default: "./index.js" } }, types: "./index.d.ts" });
    expect(await problems(fixed)).toEqual([]);
  }, 60_000);
});
