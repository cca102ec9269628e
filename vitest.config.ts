import { defineConfig } from "vitest/config";

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
          typecheck: { enabled: true, only: true, include: ["test/**/*.test-d.ts"], tsconfig: "tsconfig.json" },
        },
      },
      {
        test: {
          name: "sandbox",
          include: ["sandbox/test/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "contract",
          include: ["contract-tests/**/*.test.ts", "contract/test/**/*.test.ts"],
          globalSetup: ["contract-tests/support/prism.global.ts"],
        },
      },
    ],
  },
});
