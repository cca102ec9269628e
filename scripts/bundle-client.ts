/**
 * `tsx scripts/bundle-client.ts OUTFILE`: the client's bundle (what
 * dist/index.js holds) at OUTFILE, and nothing else. The Next.js example
 * runs it before `next build` and `next dev`: Turbopack cannot compile the
 * client's source (its imports name `./x.js` for `./x.ts`), and dist/ is
 * rebuilt by other steps while tests run.
 */
import { bundleClient } from "./lib/bundle-client.js";

const outfile = process.argv[2];
if (outfile === undefined || process.argv.length > 3) {
  console.error("usage: tsx scripts/bundle-client.ts OUTFILE");
  process.exit(2);
}
await bundleClient(outfile);
