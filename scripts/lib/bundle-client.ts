/**
 * The client as one ESM file (esbuild), openapi-fetch left as an import:
 * client/dist/index.js, the file the package ships. One file loads faster than a
 * tree of modules, which is what cold start in a request handler or edge
 * function pays for.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ENTRY = fileURLToPath(new URL("../../src/index.ts", import.meta.url));

/**
 * Writes the bundle of src/index.ts to `outfile` (relative to the current
 * directory), by a rename: a bundler reading it meanwhile (`next dev`) sees
 * the old file or the new one, never half of one.
 */
export async function bundleClient(outfile: string): Promise<void> {
  const { outputFiles } = await build({
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    external: ["openapi-fetch"],
    legalComments: "none",
    logLevel: "warning",
    write: false,
  });
  const [bundle, ...others] = outputFiles;
  if (bundle === undefined || others.length > 0) throw new Error(`esbuild wrote ${outputFiles.length} files, not one`);
  mkdirSync(dirname(outfile), { recursive: true });
  const partial = `${outfile}.${process.pid}.partial`;
  writeFileSync(partial, bundle.contents);
  renameSync(partial, outfile);
}
