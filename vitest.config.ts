import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

/** The packages by name, as users import them, resolved to this repo's sources (no build needed). */
const packages = {
  "medblocks-client": fileURLToPath(new URL("./src/index.ts", import.meta.url)),
  "medblocks-sandbox": fileURLToPath(new URL("./sandbox/src/index.ts", import.meta.url)),
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "types",
          include: [],
          typecheck: { enabled: true, only: true, include: ["test/**/*.test-d.ts", "sandbox/test/**/*.test-d.ts"], tsconfig: "tsconfig.json" },
        },
      },
      {
        test: {
          name: "sandbox",
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
          include: ["e2e/**/*.test.ts"],
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
