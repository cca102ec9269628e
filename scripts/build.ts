/**
 * `npm run build`: src/ → dist/.
 *
 * - dist/index.js: one ESM file (scripts/lib/bundle-client.ts).
 * - dist/types/: declarations from tsc, plus generated/api.d.ts they import.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { bundleClient } from "./lib/bundle-client.js";

rmSync("dist", { recursive: true, force: true });
await bundleClient("dist/index.js");
execFileSync("node_modules/.bin/tsc", ["-p", "tsconfig.build.json"], { stdio: "inherit" });
mkdirSync("dist/types/generated", { recursive: true });
copyFileSync("generated/api.d.ts", "dist/types/generated/api.d.ts");
