/**
 * The API report check (`npm test` runs it; scripts/lib/api-report.ts): on
 * declarations built fresh from src/, the committed report is current; on a
 * copy with one exported type changed (or a spec type, which users see
 * through the exports), the check fails with the diff and the command that
 * updates the report; after that command, it passes again.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiReport, DEFAULT_REPORT_FOLDER, REPO_DIR, REPORT_FILE, UPDATE_COMMAND } from "../scripts/lib/api-report.js";
import { builtThisRun } from "../scripts/lib/packed.js";

const TSC = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const dir = mkdtempSync(join(tmpdir(), "medblocks-api-report-test-"));
const declarations = join(dir, "types");
const entry = join(declarations, "src", "index.d.ts");

/** A copy of the committed report to compare with (and update), so the real one is never touched. */
function reportCopy(name: string): string {
  const folder = join(dir, name);
  cpSync(DEFAULT_REPORT_FOLDER, folder, { recursive: true });
  return folder;
}

/** Changes one line of a declaration file, failing when the line is not there. */
function change(file: string, from: string, to: string): void {
  const path = join(declarations, file);
  const text = readFileSync(path, "utf8");
  expect(text, `${file} declares ${from}`).toContain(from);
  writeFileSync(path, text.replace(from, to));
}

beforeAll(() => {
  // The declarations as `npm run build` writes them (scripts/build.ts), in a directory of the test's own, which it changes:
  // a copy of this run's build in `npm test` (scripts/lib/packed.ts), else built here.
  if (builtThisRun()) {
    cpSync(join(REPO_DIR, "client", "dist", "types"), declarations, { recursive: true });
    return;
  }
  execFileSync(process.execPath, [TSC, "-p", "tsconfig.build.json", "--outDir", declarations], { cwd: REPO_DIR });
  mkdirSync(join(declarations, "generated"), { recursive: true });
  copyFileSync(join(REPO_DIR, "generated", "api.d.ts"), join(declarations, "generated", "api.d.ts"));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the API report check", () => {
  it("passes: the committed report describes the declarations src/ builds", () => {
    const result = apiReport({ entry, reportFolder: reportCopy("current") });
    expect(result.message).toMatch(/is up to date$/);
    expect(result.ok).toBe(true);
  }, 60_000);

  it("fails on an unreported change to an exported type, with the diff " +
    "and the command that updates the report; passes once updated", () => {
    change("src/options.d.ts", "    timeout?: number | undefined;", "    timeout?: string | undefined;");
    const folder = reportCopy("changed");
    const failed = apiReport({ entry, reportFolder: folder });
    expect(failed.ok).toBe(false);
    expect(failed.message).toMatch(
      new RegExp(`^The public API of medblocks-client differs from \\S*${REPORT_FILE.replace(/\./g, "\\.")}\\. `),
    );
    expect(failed.message).toContain(`run \`${UPDATE_COMMAND}\``);
    expect(failed.diff).toMatch(/^-\s+timeout\?: number \| undefined;$/m);
    expect(failed.diff).toMatch(/^\+\s+timeout\?: string \| undefined;$/m);

    expect(apiReport({ entry, reportFolder: folder, update: true }).ok).toBe(true);
    expect(readFileSync(join(folder, REPORT_FILE), "utf8")).toContain("timeout?: string | undefined;");
    expect(apiReport({ entry, reportFolder: folder }).ok).toBe(true);
  }, 60_000);

  it("fails when a type from the spec changes, though no export's own declaration did", () => {
    change("generated/api.d.ts", "            return_button_label: string | null;", "            return_label: string | null;");
    const failed = apiReport({ entry, reportFolder: reportCopy("spec-changed") });
    expect(failed.ok).toBe(false);
    expect(failed.diff).toMatch(/^\+\s+return_label: string \| null;$/m);
  }, 60_000);
});
