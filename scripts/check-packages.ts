/**
 * `npm run check:packages`: every package this repo publishes (the root and
 * each workspace) packed as `npm publish` packs it (its prepack builds it),
 * then checked with publint and attw, and its README's and guides' links
 * followed inside the tarball (scripts/lib/package-problems.ts says how);
 * any problem fails.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pack, problems } from "./lib/package-problems.js";

const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; workspaces?: string[]; private?: boolean };

/** The directories of the published packages: the root and its workspaces (a `dir/*` entry is each folder in it), less the private ones (the root is). */
function packageDirs(): string[] {
  const workspaces = (manifest(".").workspaces ?? []).flatMap((entry) =>
    entry.endsWith("/*") ? readdirSync(entry.slice(0, -2), { withFileTypes: true }).filter((item) => item.isDirectory()).map((item) => join(entry.slice(0, -2), item.name)) : [entry],
  );
  return [".", ...workspaces].filter((dir) => existsSync(join(dir, "package.json")) && manifest(dir).private !== true);
}

const into = mkdtempSync(join(tmpdir(), "medblocks-packages-"));
try {
  const dirs = packageDirs();
  const packages = dirs.map((dir) => manifest(dir).name);
  const results = await Promise.all(
    dirs.map(async (dir) => {
      const tarball = await pack(dir, into);
      return { name: tarball.slice(into.length + 1), found: await problems(tarball, { packages }) };
    }),
  );
  for (const { name, found } of results) {
    if (found.length === 0) console.log(`${name}: publint and attw found no problems, and every link resolves`);
    else console.error(`${name}:\n${found.map((line) => `  ${line}`).join("\n")}`);
  }
  const failed = results.some(({ found }) => found.length > 0);
  if (failed) {
    console.error("Fix the packages' package.json (exports, types, files, bin) until both tools find nothing, and every link a README or guide makes until it resolves in its tarball.");
    process.exitCode = 1;
  }
} finally {
  rmSync(into, { recursive: true, force: true });
}
