/**
 * The import boundaries (`npm run check:boundaries`, .dependency-cruiser.cjs): the command
 * package.json runs, with the repository's config, on a small tree in a temporary folder shaped
 * like this repository (generated/, lib/, src/, sandbox/src/, contract/src/, scripts/). It passes
 * as built; each planted back-import fails it, named by its file and its rule. Nothing is written
 * inside the repository, so an interrupted run leaves nothing behind in it.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const COMMAND: string = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts["check:boundaries"];

/** A file's text from its lines. */
const source = (...lines: string[]): string => `${lines.join("\n")}\n`;

/** Every arrow the rules allow: each layer imports the ones below it, npm packages and built-ins. */
const ALLOWED: Record<string, string> = {
  "generated/schemas.ts": source(`import type { Paths } from "./api.js";`, "export const paths: Paths[] = [];"),
  "generated/api.ts": source("export type Paths = string;"),
  "lib/urls.ts": source(`import { paths } from "../generated/schemas.js";`, "export const first = (): string | undefined => paths[0];"),
  "lib/spec/validate.ts": source(
    `import { readFileSync } from "node:fs";`,
    `import { first } from "../urls.js";`,
    "export const read = () => readFileSync(first()!);",
  ),
  "src/index.ts": source(
    `import { first } from "../lib/urls.js";`,
    `import type { Paths } from "../generated/api.js";`,
    "export const path: Paths | undefined = first();",
  ),
  "sandbox/src/index.ts": source(
    `import { createServer } from "node:http";`,
    `import { Hono } from "hono";`,
    `import { read } from "../../lib/spec/validate.js";`,
    "export const parts = [createServer, Hono, read];",
  ),
  "sandbox/src/http/app.ts": source(`import { parts } from "../index.js";`, "export const app = parts;"),
  "sandbox/src/state/store.ts": source(`import { read } from "../../../lib/spec/validate.js";`, "export const store = read;"),
  "contract/src/index.ts": source(
    `import { read } from "../../lib/spec/validate.js";`,
    `import { paths } from "../../generated/schemas.js";`,
    "export const parts = [read, paths];",
  ),
  "scripts/bench/main.ts": source(
    `import { path } from "../../src/index.js";`,
    `import { parts } from "../../sandbox/src/index.js";`,
    `import { parts as more } from "../../contract/src/index.js";`,
    "export const all = [path, parts, more];",
  ),
  "scripts/lib/printable.ts": source("export const printable = (text: string) => text;"),
  "test/support/fixtures.ts": source(`import { all } from "../../scripts/bench/main.js";`, "export const fixtures = all;"),
};

/** A back-import per rule: the file, what it holds, the rule that must name it. */
const PLANTED: [file: string, text: string, rule: string][] = [
  ["generated/back.ts", source(`import { first } from "../lib/urls.js";`, "export const x = first;"), "generated-imports-nothing-of-ours"],
  ["lib/back.ts", source(`import { path } from "../../src/index.js";`, "export const x = path;"), "lib-imports-lib-and-generated"],
  [
    "src/back.ts",
    source(`import { parts } from "../../sandbox/src/index.js";`, "export const x = parts;"),
    "client-imports-src-generated-lib",
  ],
  ["src/uses-spec.ts", source(`import { read } from "../lib/spec/validate.js";`, "export const x = read;"), "client-is-web-standard"],
  ["src/uses-node.ts", source(`import { randomUUID } from "crypto";`, "export const x = randomUUID;"), "client-is-web-standard"],
  ["src/through-lib.ts", source(`import { now } from "../lib/clock.js";`, "export const x = now;"), "client-is-web-standard"],
  ["lib/clock.ts", source(`import { performance } from "node:perf_hooks";`, "export const now = () => performance.now();"), ""],
  [
    "sandbox/src/back.ts",
    source(
      `import type { Paths } from "../../generated/api.js";`,
      `import { path } from "../../src/index.js";`,
      "export const x: Paths | undefined = path;",
    ),
    "sandbox-imports-itself-generated-lib",
  ],
  [
    "sandbox/src/uses-scripts.ts",
    source(`import { printable } from "../../scripts/lib/printable.js";`, "export const x = printable;"),
    "sandbox-imports-itself-generated-lib",
  ],
  [
    "sandbox/src/state/back.ts",
    source(`import { app } from "../http/app.js";`, "export const x = app;"),
    "sandbox-model-imports-no-surface",
  ],
  [
    "contract/src/back.ts",
    source(`import { parts } from "../../sandbox/src/index.js";`, "export const x = parts;"),
    "contract-imports-itself-generated-lib",
  ],
  [
    "scripts/back.ts",
    source(`import { fixtures } from "../test/support/fixtures.js";`, "export const x = fixtures;"),
    "scripts-import-no-tests",
  ],
];

const dir = mkdtempSync(join(tmpdir(), "medblocks-boundaries-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(files: Iterable<[string, string]>): void {
  for (const [file, text] of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
}

function check(): Promise<{ code: number; output: string }> {
  const env = { ...process.env, PATH: `${join(ROOT, "node_modules", ".bin")}:${process.env.PATH}` };
  return new Promise((resolve) => {
    execFile("sh", ["-c", COMMAND], { cwd: dir, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: stdout + stderr });
    });
  });
}

for (const file of [".dependency-cruiser.cjs", "tsconfig.json"]) copyFileSync(join(ROOT, file), join(dir, file));
symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
for (const folder of ["sandbox/scripts", "contract/scripts"]) mkdirSync(join(dir, folder), { recursive: true });
write(Object.entries(ALLOWED));

describe("the import boundaries", () => {
  it("pass on a tree whose every arrow points down (spec → generated → lib → packages → scripts → tests)", async () => {
    const { code, output } = await check();
    expect(output).not.toMatch(/error/);
    expect(code).toBe(0);
  }, 60_000);

  it("fail on each planted back-import, naming its file and its rule", async () => {
    write(PLANTED.map(([file, text]) => [file, text]));
    const { code, output } = await check();
    expect(code).not.toBe(0);
    for (const [file, , rule] of PLANTED) {
      if (rule === "") continue; // lib/clock.ts may use Node.js; src/through-lib.ts may not reach it
      expect(output).toMatch(new RegExp(`error ${rule}: ${file.replace(/[.]/g, "\\.")} →`));
    }
    // Only planted files are named (src/back.ts twice: through the sandbox it also reaches node:http).
    const named = new Set([...output.matchAll(/^ {2}error [a-z-]+: (\S+) →/gm)].map((match) => match[1]));
    expect([...named].sort()).toEqual(
      PLANTED.filter(([, , rule]) => rule !== "")
        .map(([file]) => file)
        .sort(),
    );
  }, 60_000);
});
