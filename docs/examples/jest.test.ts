/**
 * The testing guide's jest variant (docs/examples/jest/), run by jest itself
 * — the pinned jest and ts-jest, ES modules as the guide's jest.config.js
 * sets them up, `NODE_OPTIONS=--experimental-vm-modules` as the guide runs
 * it. Only the package names are mapped to this repository's sources, as
 * the docs project's aliases do for vitest (vitest.config.ts). It must run
 * the same tests as the vitest variant, and pass them.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const REPO_DIR = fileURLToPath(new URL("../..", import.meta.url));
const JEST_DIR = fileURLToPath(new URL("./jest", import.meta.url));
const JEST = join(REPO_DIR, "node_modules", "jest", "bin", "jest.js");
/** The guide's jest.config.js, as jest itself would load it. */
const { default: config } = (await import(pathToFileURL(join(JEST_DIR, "jest.config.js")).href)) as {
  default: { moduleNameMapper: Record<string, string> };
};

/** The titles of a test file's `it(…)` cases, in order. */
const titles = (file: string) => [...readFileSync(file, "utf8").matchAll(/^\s+it\("([^"]+)"/gm)].map((match) => match[1]!);

interface JestResult {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  testResults: { assertionResults: { title: string; status: string }[] }[];
}

const out = mkdtempSync(join(tmpdir(), "medblocks-jest-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("the testing guide's jest variant", () => {
  it("runs under jest with the guide's config and passes the same tests as the vitest variant", { timeout: 120_000 }, async () => {
    const repoConfig = {
      ...config,
      rootDir: JEST_DIR,
      moduleNameMapper: {
        ...config.moduleNameMapper,
        "^medblocks-client$": join(REPO_DIR, "src", "index.ts"),
        "^medblocks-sandbox$": join(REPO_DIR, "sandbox", "src", "index.ts"),
      },
    };
    const results = join(out, "results.json");
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: "--experimental-vm-modules", NODE_NO_WARNINGS: "1" };
    delete env.VITEST;
    const child = spawn(process.execPath, [JEST, "--config", JSON.stringify(repoConfig), "--ci", "--json", "--outputFile", results], {
      cwd: JEST_DIR,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 110_000);
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve)).finally(() => clearTimeout(timer));
    expect(code, output).toBe(0);

    const result = JSON.parse(readFileSync(results, "utf8")) as JestResult;
    const ran = result.testResults.flatMap((file) => file.assertionResults.map(({ title, status }) => `${title}: ${status}`));
    const expected = titles(fileURLToPath(new URL("./integration.test.ts", import.meta.url)));
    expect(expected.length).toBeGreaterThan(0);
    expect(titles(join(JEST_DIR, "integration.test.ts"))).toEqual(expected);
    expect(ran).toEqual(expected.map((title) => `${title}: passed`));
    expect(result).toMatchObject({ success: true, numFailedTests: 0, numPassedTests: expected.length });
  });
});
