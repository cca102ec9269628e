/**
 * Vitest global setup for the contract project: one Prism mock of the
 * bundled spec for the whole run, its URL handed to tests via `inject`.
 * It is provided to the root project too, so any project's test that needs
 * the mock (test/packaging.test.ts) uses this one when the contract project
 * runs beside it, and starts its own only when it runs without it.
 */
import type { TestProject } from "vitest/node";
import { startPrism } from "../../scripts/prism.js";

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const prism = await startPrism();
  project.provide("prismUrl", prism.url);
  project.vitest.getRootProject().provide("prismUrl", prism.url);
  return () => prism.stop();
}
