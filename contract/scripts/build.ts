/**
 * `npm run build` (and `prepack`) in contract/: src/ → dist/ (dist/index.js,
 * dist/cli.js with the spec inside, dist/types/), as scripts/lib/build-package.ts
 * builds a workspace package. The bin runs dist/cli.js only where there is no
 * src/ (an installed package).
 */
import { buildPackage } from "../../scripts/lib/build-package.js";

await buildPackage();
