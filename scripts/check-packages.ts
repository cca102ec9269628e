/**
 * `npm run check:packages`: every package this repo publishes (the root and
 * each workspace) packed as `npm publish` packs it (its prepack builds it),
 * then checked with publint and attw, and its README's and guides' links
 * followed inside the tarball (scripts/lib/package-problems.ts says how);
 * any problem fails. In `npm test` the tarballs are the ones scripts/pack.ts
 * made for the whole run (scripts/lib/packed.ts); alone, it packs them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { problems } from "./lib/package-problems.js";
import { packAll, sharedPacks } from "./lib/packed.js";

const into = mkdtempSync(join(tmpdir(), "medblocks-packages-"));
try {
  const tarballs = sharedPacks() ?? (await packAll(into));
  const packages = tarballs.map(({ name }) => name);
  const results = await Promise.all(
    tarballs.map(async ({ filename, tarball }) => ({ name: filename, found: await problems(tarball, { packages }) })),
  );
  for (const { name, found } of results) {
    if (found.length === 0) console.log(`${name}: publint and attw found no problems, and every link resolves`);
    else console.error(`${name}:\n${found.map((line) => `  ${line}`).join("\n")}`);
  }
  const failed = results.some(({ found }) => found.length > 0);
  if (failed) {
    console.error(
      "Fix the packages' package.json (exports, types, files, bin) until both tools find nothing, and every link a README or guide " +
        "makes until it resolves in its tarball.",
    );
    process.exitCode = 1;
  }
} finally {
  rmSync(into, { recursive: true, force: true });
}
