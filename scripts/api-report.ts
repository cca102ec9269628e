/**
 * `npm run api:check` / `npm run api:update` (after `npm run build`): checks
 * the committed API report (api/medblocks-client.api.md) against the
 * declarations, or brings it up to date. See scripts/lib/api-report.ts.
 */
import { existsSync } from "node:fs";
import { relative } from "node:path";
import { apiReport, DEFAULT_ENTRY } from "./lib/api-report.js";

const update = process.argv.includes("--update");
if (!existsSync(DEFAULT_ENTRY)) {
  console.error(`${relative(process.cwd(), DEFAULT_ENTRY)} is missing: run \`npm run build\` first.`);
  process.exit(1);
}
const result = apiReport({ update });
if (!result.ok && result.diff) console.error(result.diff);
(result.ok ? console.log : console.error)(result.message);
process.exitCode = result.ok ? 0 : 1;
