import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

/** The packages by name, as users import them, resolved to this repo's sources (no build needed). */
const packages = {
  "medblocks-client": fileURLToPath(new URL("./src/index.ts", import.meta.url)),
  "medblocks-sandbox": fileURLToPath(new URL("./sandbox/src/index.ts", import.meta.url)),
};

export default defineConfig({
  test: {
    // Vitest's default is one worker per core less one: a single file at a time here (2 cores), while most files
    // spend their time waiting on processes, sockets and browsers they start (`--maxWorkers` overrides).
    maxWorkers: Math.max(2, availableParallelism()),
    // `isolate: false` below: a worker runs file after file in one process and module graph instead of a
    // fresh one for each (a fifth of the suite's CPU here). Only for projects whose files leave nothing behind
    // in the modules they share (each test restores what it stubs; the modules' own state is caches);
    // examples/nextjs keeps a client made once in a module, so it and the small docs project stay isolated.
    projects: [
      {
        test: {
          name: "unit",
          isolate: false,
          include: ["test/**/*.test.ts"],
        },
      },
      {
        test: {
          // tsc on the whole of tsconfig.json (vitest runs `tsc -p tsconfig.json`, and an error in any file fails the run),
          // which reports the type tests' assertions one by one. `npm test` type-checks the root project only here.
          name: "types",
          include: [],
          typecheck: {
            enabled: true,
            only: true,
            include: ["test/**/*.test-d.ts", "sandbox/test/**/*.test-d.ts"],
            tsconfig: "tsconfig.json",
          },
        },
      },
      {
        test: {
          name: "sandbox",
          isolate: false,
          include: ["sandbox/test/**/*.test.ts"],
        },
      },
      {
        resolve: { alias: packages },
        test: {
          name: "docs",
          include: ["docs/examples/**/*.test.ts"],
          // The jest variant of the testing guide is jest's to run (docs/examples/jest.test.ts runs it).
          exclude: [...configDefaults.exclude, "docs/examples/jest/**"],
        },
      },
      {
        test: {
          name: "contract",
          isolate: false,
          include: ["contract-tests/**/*.test.ts", "contract/test/**/*.test.ts"],
          globalSetup: ["contract-tests/support/prism.global.ts"],
        },
      },
      // The Next.js example's server code, with its own aliases (examples/nextjs/vitest.config.ts).
      "examples/nextjs/vitest.config.ts",
      {
        test: {
          // Real Chromium through the example app and the sandbox's hosted page (e2e/support/browser.ts).
          name: "e2e",
          isolate: false,
          include: ["e2e/**/*.test.ts"],
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
