// jest.config.js: TypeScript tests as ES modules (medblocks-client and medblocks-sandbox are ESM only).
// Run with: NODE_OPTIONS=--experimental-vm-modules npx jest
/** @type {import("jest").Config} */
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { useESM: true }] },
  // Imports written `./module.js` (as NodeNext has them) find `./module.ts`.
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
};
