/**
 * The client as one ESM file (esbuild), openapi-fetch left as an import:
 * dist/index.js, the file the package ships. One file loads faster than a
 * tree of modules, which is what cold start in a request handler or edge
 * function pays for.
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ENTRY = fileURLToPath(new URL("../../src/index.ts", import.meta.url));

/** Writes the bundle of src/index.ts to `outfile` (relative to the current directory). */
export async function bundleClient(outfile: string): Promise<void> {
  await build({
    entryPoints: [ENTRY],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    external: ["openapi-fetch"],
    legalComments: "none",
    logLevel: "warning",
  });
}
