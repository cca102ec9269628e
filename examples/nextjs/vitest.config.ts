/**
 * Tests of the app's server code (route handlers, lib/) in vitest, outside
 * Next.js. Two things Next.js does that vitest does not:
 * - `import "server-only"` resolves, in Next.js, to the package's empty
 *   `react-server` export; anywhere else it throws ("This module cannot be
 *   imported from a Client Component module"). So it is aliased to a stub.
 * - `@/…` is tsconfig's `paths`, which Next.js reads and vitest does not.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "server-only": here("./test/server-only-stub.ts"),
      "@": here("."),
      // In this repository only: the packages from their source. In your app, leave these out.
      "medblocks-client": here("../../src/index.ts"),
      "medblocks-sandbox": here("../../sandbox/src/index.ts"),
    },
  },
  test: {
    name: "nextjs",
    include: ["test/**/*.test.ts"],
  },
});
