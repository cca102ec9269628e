/**
 * `npm run build` (and the client's `prepack`): src/ → client/dist/, the
 * folder of the `medblocks-client` package (CONTRIBUTING.md says why the
 * package has a folder of its own while its sources stay in src/).
 *
 * - client/dist/index.js: one ESM file (scripts/lib/bundle-client.ts).
 * - client/dist/types/: declarations from tsc, plus generated/api.d.ts they import.
 * - client/docs/: the guides (scripts/lib/guides.ts).
 *
 * Paths are the repository's, wherever it is run from (the root or client/).
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bundleClient } from "./lib/bundle-client.js";
import { shipGuides } from "./lib/guides.js";

const REPO_DIR = fileURLToPath(new URL("..", import.meta.url));
process.chdir(REPO_DIR);

rmSync("client/dist", { recursive: true, force: true });
await bundleClient("client/dist/index.js");
execFileSync("node_modules/.bin/tsc", ["-p", "tsconfig.build.json"], { stdio: "inherit" });
mkdirSync("client/dist/types/generated", { recursive: true });
copyFileSync("generated/api.d.ts", "client/dist/types/generated/api.d.ts");
shipGuides("client");
