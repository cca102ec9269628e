/**
 * `npm run build` (and `prepack`) in contract/: src/ → dist/.
 *
 * - dist/index.js and dist/cli.js (ESM, for Node 20), bundled with what they
 *   import from this repo — the spec (generated/openapi.json) included — so
 *   the packed package checks servers against the spec it was built with;
 *   ajv and ajv-formats stay dependencies.
 * - dist/types/: declarations from tsc.
 *
 * The bin runs dist/cli.js only where there is no src/ (an installed package).
 */
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { dependencies: Record<string, string> };

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: ["src/index.ts", "src/cli.ts"],
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: Object.keys(pkg.dependencies),
  legalComments: "none",
  logLevel: "warning",
});
execFileSync(process.execPath, [new URL(import.meta.resolve("typescript/bin/tsc")).pathname, "-p", "tsconfig.build.json"], { stdio: "inherit" });
