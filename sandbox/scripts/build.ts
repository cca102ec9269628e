/**
 * `npm run build` (and `prepack`) in sandbox/: src/ → dist/, as
 * scripts/lib/build-package.ts builds a workspace package (dist/index.js and
 * dist/cli.js with the spec inside; hono, @hono/node-server, ajv and
 * ajv-formats stay dependencies), plus generated/api.d.ts, which the
 * sandbox's declarations import, and the API reference `/docs` serves
 * (src/http/reference.ts): generated/api-reference.html and the Redoc script it
 * imports, from the pinned @redocly/cli, in dist/reference/; and the
 * README's screenshot of the dashboard (docs/dashboard.png) beside the
 * guides in docs/. The bin runs dist/cli.js only where there is no src/
 * (an installed package).
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { buildPackage } from "../../scripts/lib/build-package.js";

await buildPackage();
mkdirSync("dist/types/generated", { recursive: true });
copyFileSync("../generated/api.d.ts", "dist/types/generated/api.d.ts");
mkdirSync("dist/reference", { recursive: true });
copyFileSync("../generated/api-reference.html", "dist/reference/api-reference.html");
copyFileSync(createRequire(import.meta.url).resolve("@redocly/cli/lib/chunks/redoc.standalone.js"), "dist/reference/redoc.standalone.js");
copyFileSync("../docs/dashboard.png", "docs/dashboard.png");
