#!/usr/bin/env node
// The `medblocks-contract` command. In the repository the TypeScript source
// runs through tsx (a devDependency there), so no build step is needed after
// `npm ci`; the published package has no src/ and runs the built dist/.
import { existsSync } from "node:fs";

const source = new URL("../src/cli.ts", import.meta.url);
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(source.href);
} else {
  await import("../dist/cli.js");
}
