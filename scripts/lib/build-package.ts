/**
 * The build of a workspace package with a command (`npm run build` in its
 * folder): src/index.ts and src/cli.ts → dist/, as ESM for Node 20,
 * bundled with what they import from this repo — the spec
 * (generated/openapi.json) included — so the packed package needs nothing
 * outside itself; its `dependencies` stay imports. Then its declarations,
 * from tsc with the package's tsconfig.build.json, and the guides
 * (scripts/lib/guides.ts) in docs/.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";
import { shipGuides } from "./guides.js";

/** Builds the package in the current directory. */
export async function buildPackage(): Promise<void> {
  const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { dependencies?: Record<string, string> };
  rmSync("dist", { recursive: true, force: true });
  await build({
    entryPoints: ["src/index.ts", "src/cli.ts"],
    outdir: "dist",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: Object.keys(pkg.dependencies ?? {}),
    legalComments: "none",
    logLevel: "warning",
  });
  execFileSync(process.execPath, [new URL(import.meta.resolve("typescript/bin/tsc")).pathname, "-p", "tsconfig.build.json"], {
    stdio: "inherit",
  });
  shipGuides(".");
}
