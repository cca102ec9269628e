/**
 * The line-length rule (scripts/lib/long-lines.ts) and its check (`npm run check:lines`,
 * scripts/check-line-length.ts), run on a git repository in a temporary folder.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { lineRuleApplies, longLines, MAX_LINE } from "../scripts/lib/long-lines.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

describe("longLines", () => {
  it("names each line over the limit by its number and length, and none at the limit", () => {
    const text = ["a".repeat(MAX_LINE), "b".repeat(MAX_LINE + 1), "", `${"c".repeat(MAX_LINE + 5)}\r`].join("\n");
    expect(longLines("x.ts", text)).toEqual([`x.ts:2: ${MAX_LINE + 1} characters`, `x.ts:4: ${MAX_LINE + 5} characters`]);
  });

  it("counts characters, not bytes or UTF-16 units", () => {
    expect(longLines("x.ts", "─".repeat(MAX_LINE))).toEqual([]);
    expect(longLines("x.ts", "😀".repeat(MAX_LINE))).toEqual([]);
    expect(longLines("x.ts", "😀".repeat(MAX_LINE + 1))).toHaveLength(1);
  });
});

describe("lineRuleApplies", () => {
  it("to code, JSON, CSS, shell and YAML", () => {
    for (const path of [
      "src/a.ts",
      "e/b.tsx",
      "c.js",
      "d.mjs",
      "e.cjs",
      "tsconfig.json",
      "app/x.css",
      "scripts/t.sh",
      "spec/a.yaml",
      "b.yml",
      ".ci/run",
    ]) {
      expect(lineRuleApplies(path), path).toBe(true);
    }
  });

  it("not to generated/, npm's package files, Markdown or HTML", () => {
    for (const path of ["generated/api.d.ts", "package.json", "client/package.json", "package-lock.json", "README.md", "docs/page.html"]) {
      expect(lineRuleApplies(path), path).toBe(false);
    }
  });
});

describe("npm run check:lines", () => {
  const dir = mkdtempSync(join(tmpdir(), "medblocks-long-lines-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  const check = (): Promise<{ code: number; output: string }> =>
    new Promise((resolve) => {
      const tsx = join(ROOT, "node_modules", ".bin", "tsx");
      execFile(tsx, [join(ROOT, "scripts", "check-line-length.ts"), dir], { timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? 1 : 0, output: stdout + stderr });
      });
    });

  execFileSync("git", ["init", "-q"], { cwd: dir });
  write(".gitignore", "ignored/\n");
  write("src/fine.ts", `${"x".repeat(MAX_LINE)}\n`);
  write("generated/api.ts", `${"x".repeat(MAX_LINE + 1)}\n`);
  write("ignored/long.ts", `${"x".repeat(MAX_LINE + 1)}\n`);
  write("README.md", `${"x".repeat(MAX_LINE + 1)}\n`);

  it("passes when no checked file has a line over the limit", async () => {
    const { code, output } = await check();
    expect(output).toContain(`no line over ${MAX_LINE} characters in 1 file`);
    expect(code).toBe(0);
  }, 60_000);

  it("fails naming file:line, for a file git does not track yet too", async () => {
    write("src/new.ts", `ok\n${"y".repeat(MAX_LINE + 1)}\n`);
    const { code, output } = await check();
    expect(output).toContain(`src/new.ts:2: ${MAX_LINE + 1} characters`);
    expect(output).not.toMatch(/generated|ignored|README/);
    expect(code).toBe(1);
  }, 60_000);
});
