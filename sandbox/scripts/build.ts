/**
 * `npm run build` (and `prepack`) in sandbox/: src/ → dist/, as
 * scripts/lib/build-package.ts builds a workspace package (dist/index.js and
 * dist/cli.js with the spec inside; hono, @hono/node-server, ajv and
 * ajv-formats stay dependencies), plus generated/api.d.ts, which the
 * sandbox's declarations import. The bin runs dist/cli.js only where there
 * is no src/ (an installed package).
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { buildPackage } from "../../scripts/lib/build-package.js";

await buildPackage();
mkdirSync("dist/types/generated", { recursive: true });
copyFileSync("../generated/api.d.ts", "dist/types/generated/api.d.ts");
