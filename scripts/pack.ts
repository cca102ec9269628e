/**
 * `tsx scripts/pack.ts DIR` (scripts/test.sh's first step): packs every
 * published package into DIR as `npm publish` would, its prepack building
 * its dist/ in place, and writes DIR/packed.json; the later steps find it
 * through MEDBLOCKS_PACKED (scripts/lib/packed.ts says who uses what).
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { packAll } from "./lib/packed.js";

const [into] = process.argv.slice(2);
if (!into) {
  console.error("usage: tsx scripts/pack.ts DIR");
  process.exit(2);
}
mkdirSync(into, { recursive: true });
for (const { filename, files } of await packAll(resolve(into))) console.log(`${filename}: ${files.length} files`);
