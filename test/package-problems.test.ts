/**
 * The package checks `npm test` runs on this repo's tarballs
 * (scripts/check-packages.ts) find real problems: a small package whose
 * `bin` names a file it does not ship (publint) and whose `types` are
 * CommonJS declarations for ESM code (attw: "masquerading as CJS") fails;
 * so does one whose README links what its tarball lacks; the same packages
 * with their fields and links right pass.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { problems } from "../scripts/lib/package-problems.js";
import { pack } from "../scripts/lib/packed.js";

const dir = mkdtempSync(join(tmpdir(), "medblocks-package-problems-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Packs a one-export ESM package with `fields`, its declarations in `declarations`, and `files` (path → text) beside them. */
async function packed(
  name: string,
  declarations: string,
  fields: Record<string, unknown>,
  files: Record<string, string> = {},
): Promise<string> {
  const source = join(dir, name);
  mkdirSync(source);
  writeFileSync(join(source, "package.json"), JSON.stringify({ name, version: "1.0.0", type: "module", license: "MIT", ...fields }));
  writeFileSync(join(source, "index.js"), "export const answer = 42;\n");
  writeFileSync(join(source, declarations), "export declare const answer: number;\n");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(source, path, ".."), { recursive: true });
    writeFileSync(join(source, path), text);
  }
  return (await pack(source, dir)).tarball;
}

const FIELDS = { exports: { ".": { types: "./index.d.ts", default: "./index.js" } }, types: "./index.d.ts" };
const PACKAGES = { packages: ["medblocks-client", "medblocks-sandbox"] };
/** A repository address for the fixtures' `repository` field: links into it are checked against this repository's tracked files. */
const REPO = "https://github.com/example-owner/example-repo";

describe("the package checks", () => {
  it("find a bin that is not shipped and CommonJS types for ESM code", async () => {
    const found = await problems(
      await packed("broken", "index.d.cts", { exports: { ".": { types: "./index.d.cts", default: "./index.js" } }, bin: "./cli.js" }),
      PACKAGES,
    );
    expect(found[0]).toBe("publint error: pkg.bin is ./cli.js but the file does not exist.");
    expect(found[1]).toMatch(/^attw:\n[\s\S]*node16 \(from ESM\): Masquerading as CJS/);
    expect(found).toHaveLength(2);
  }, 60_000);

  it("find nothing once the fields are right", async () => {
    const fixed = await packed("fixed", "index.d.ts", FIELDS);
    expect(await problems(fixed, PACKAGES)).toEqual([]);
  }, 60_000);

  it("find every link of a packed README or guide that does not resolve for someone with only the tarball", async () => {
    const readme = [
      "# links",
      "## Quick start",
      "[a guide](docs/guide.md), [its section](docs/guide.md#in-ci-exec), [here](#quick-start).",
      "[not packed](examples/express/README.md) and [a lost anchor](#quick-starts), [a lost section](docs/guide.md#jest).",
      "[the repository](../../CONTRIBUTING.md), [tracked](" +
        REPO +
        "/blob/main/CONTRIBUTING.md#adding-an-operation), [a folder](" +
        REPO +
        "/tree/main/spec).",
      "[untracked](" + REPO + "/blob/main/examples/missing.md), [a wrong heading](" + REPO + "/blob/main/CONTRIBUTING.md#no-such-heading).",
      "[on npm](https://www.npmjs.com/package/medblocks-sandbox), [a typo on npm](https://www.npmjs.com/package/medblocks-sandbx).",
      "```md",
      "[in a code block](nowhere.md)",
      "```",
      "`[in a code span](nowhere.md)` and [elsewhere](https://example.com/nowhere.md).",
      "",
    ].join("\n");
    const guide = "# Guide\n\n## In CI: `exec`\n\nBack to the [README](../README.md#links); [a sibling](other.md).\n";
    const found = await problems(
      await packed(
        "links",
        "index.d.ts",
        { ...FIELDS, repository: { type: "git", url: `git+${REPO}.git` } },
        { "README.md": readme, "docs/guide.md": guide },
      ),
      PACKAGES,
    );
    expect(found).toEqual([
      "link README.md:4: examples/express/README.md: the tarball has no examples/express/README.md",
      "link README.md:4: #quick-starts: README.md has no heading for #quick-starts",
      "link README.md:4: docs/guide.md#jest: docs/guide.md has no heading for #jest",
      "link README.md:5: ../../CONTRIBUTING.md: points outside the package, where an installed package has nothing",
      `link README.md:6: ${REPO}/blob/main/examples/missing.md: the repository tracks no file examples/missing.md`,
      `link README.md:6: ${REPO}/blob/main/CONTRIBUTING.md#no-such-heading: CONTRIBUTING.md in the repository has no heading for ` +
        `#no-such-heading`,
      "link README.md:7: https://www.npmjs.com/package/medblocks-sandbx: this repository publishes no package medblocks-sandbx (it " +
        "publishes medblocks-client, medblocks-sandbox)",
      "link docs/guide.md:5: other.md: the tarball has no docs/other.md",
    ]);
  }, 60_000);
});
