/**
 * `npm run build`: src/ → dist/.
 *
 * - dist/index.js: one ESM file (esbuild), openapi-fetch left as an import.
 *   One file loads faster than a tree of modules, which is what cold start
 *   in a request handler or edge function pays for.
 * - dist/types/: declarations from tsc, plus generated/api.d.ts they import.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: ["src/index.ts"],
  outfile: "dist/index.js",
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  external: ["openapi-fetch"],
  legalComments: "none",
  logLevel: "warning",
});
execFileSync("node_modules/.bin/tsc", ["-p", "tsconfig.build.json"], { stdio: "inherit" });
mkdirSync("dist/types/generated", { recursive: true });
copyFileSync("generated/api.d.ts", "dist/types/generated/api.d.ts");
