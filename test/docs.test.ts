/**
 * What the docs promise a new user:
 *
 * - the repository README's first command's demo walks the whole journey;
 * - every code block a guide (docs/*.md, as every package ships them)
 *   offers to copy is code a test runs: its lines appear, in order, in a
 *   file under docs/examples/ or examples/ (each run by a test: the docs,
 *   sandbox-packaging and e2e projects) or in contract-tests/docs-snippets.test.ts
 *   — or, for an install command, every package it names is one this
 *   repository pins, and so tests with. Blocks of output (```text, or no
 *   language) are not code to copy.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { guides } from "../scripts/lib/guides.js";

const REPO_DIR = fileURLToPath(new URL("..", import.meta.url));
const read = (path: string) => readFileSync(join(REPO_DIR, path), "utf8");

/** Languages of code meant to be copied. */
const CODE = new Set(["ts", "tsx", "js", "jsx", "mjs", "json", "yaml", "yml", "sh", "bash"]);

/** The fenced code blocks of a Markdown file: language, text (without the fences), line of the opening fence. */
function codeBlocks(markdown: string): { language: string; text: string; line: number }[] {
  const blocks: { language: string; text: string; line: number }[] = [];
  const lines = markdown.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const open = /^( {0,3})(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[index]!);
    if (!open) continue;
    const [, indent, fence, language] = open;
    const body: string[] = [];
    let end = index + 1;
    const closes = (line: string) => line.trim().length >= fence!.length && line.trim() === fence!.charAt(0).repeat(line.trim().length);
    while (end < lines.length && !closes(lines[end]!)) {
      body.push(lines[end]!.startsWith(indent!) ? lines[end]!.slice(indent!.length) : lines[end]!);
      end++;
    }
    blocks.push({ language: language!.toLowerCase(), text: body.join("\n"), line: index + 1 });
    index = end;
  }
  return blocks;
}

/** Whether `block`'s lines appear in order in `file`, each indented alike (a part of a function, say). */
function appearsIn(block: string, file: string): boolean {
  const wanted = block.replace(/\n+$/, "").split("\n");
  const lines = file.split("\n");
  for (let start = 0; start + wanted.length <= lines.length; start++) {
    const first = lines[start]!;
    if (!first.endsWith(wanted[0]!)) continue;
    const indent = first.slice(0, first.length - wanted[0]!.length);
    if (indent.trim() !== "") continue;
    if (wanted.every((line, offset) => (line === "" ? lines[start + offset]!.trim() === "" : lines[start + offset] === indent + line)))
      return true;
  }
  return false;
}

/** Every file a guide's code may come from (see the header), by its path in the repository. */
function proofFiles(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(REPO_DIR, dir), { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!/\.(png|jpe?g|ico|tgz)$/.test(entry.name)) found.set(path, read(path));
    }
  };
  walk("docs/examples");
  walk("examples");
  found.set("contract-tests/docs-snippets.test.ts", read("contract-tests/docs-snippets.test.ts"));
  return found;
}

/** The packages this repository pins (every package.json's dependencies) and publishes (the workspaces' names). */
function pinnedPackages(): Set<string> {
  const root = JSON.parse(read("package.json")) as { workspaces: string[] };
  const dirs = [
    ".",
    ...root.workspaces.flatMap((entry) =>
      entry.endsWith("/*") ? readdirSync(join(REPO_DIR, entry.slice(0, -2))).map((name) => join(entry.slice(0, -2), name)) : [entry],
    ),
  ];
  const names = new Set<string>();
  for (const dir of dirs) {
    let manifest: { name: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    try {
      manifest = JSON.parse(read(join(dir, "package.json"))) as typeof manifest;
    } catch {
      continue;
    }
    names.add(manifest.name);
    for (const name of [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]) names.add(name);
  }
  return names;
}

/** Why `text`, an install command, is not proven: the packages it names that this repository does not pin. */
function unpinnedInstall(text: string, pinned: Set<string>): string[] | null {
  const commands = text.split("\n").filter((line) => line.trim() !== "");
  if (!commands.every((line) => /^npm (install|i) /.test(line))) return null;
  return commands.flatMap((line) =>
    line
      .replace(/#.*$/, "")
      .split(/\s+/)
      .slice(2)
      .filter((word) => word !== "" && !word.startsWith("-") && !pinned.has(word)),
  );
}

/** Each copyable block of `markdown` (a guide at `path`) that no test runs, as `path:line (language): why`. */
function unproven(path: string, markdown: string, files: Map<string, string>, pinned: Set<string>): string[] {
  return codeBlocks(markdown)
    .filter((block) => CODE.has(block.language))
    .flatMap((block) => {
      const where = `${path}:${block.line} (${block.language})`;
      const install = unpinnedInstall(block.text, pinned);
      if (install !== null)
        return install.length === 0 ? [] : [`${where}: installs ${install.join(", ")}, which this repository does not pin`];
      return [...files.values()].some((file) => appearsIn(block.text, file))
        ? []
        : [`${where}: its lines appear in no file under docs/examples/ or examples/`];
    });
}

describe("the README", () => {
  it("starts with the two commands", () => {
    const [, , , first, second] = read("README.md").split("\n");
    expect(first).toMatch(/^npm ci && npm run demo\b/);
    expect(second).toMatch(/^npm test\b/);
  });
});

describe("the guides", () => {
  const files = proofFiles();
  const pinned = pinnedPackages();

  it("are the ones the packages ship, and each offers code to copy", () => {
    expect(guides()).toEqual(expect.arrayContaining(["ci.md", "express.md", "testing.md"]));
    for (const guide of guides())
      expect(codeBlocks(read(`docs/${guide}`)).filter((block) => CODE.has(block.language)).length, guide).toBeGreaterThan(0);
  });

  it.each(guides())("docs/%s: every block of code to copy is code a test runs", (guide) => {
    expect(unproven(`docs/${guide}`, read(`docs/${guide}`), files, pinned)).toEqual([]);
  });

  it("the check finds a block no test runs, a changed line, and an install of a package nothing here pins", () => {
    const guide = [
      "```sh",
      "npm install --save-dev medblocks-sandbox vitest",
      "npm install left-pad",
      "```",
      "```ts",
      "const sb = createSandbox();",
      "```",
      "```ts",
      '  router.post("/connect", async (_req, res) => {',
      "    const user = userOf(res);",
      "```",
      "```ts",
      'router.post("/connect", async (_req, res) => {',
      "  const user = userOf(res) ?? anonymous;",
      "```",
      "```text",
      "any output",
      "```",
      "",
    ].join("\n");
    const found = unproven(
      "guide.md",
      guide,
      new Map([
        ["proof.ts", 'export function f() {\n  router.post("/connect", async (_req, res) => {\n    const user = userOf(res);\n  });\n}\n'],
      ]),
      pinned,
    );
    expect(found).toEqual([
      "guide.md:1 (sh): installs left-pad, which this repository does not pin",
      "guide.md:5 (ts): its lines appear in no file under docs/examples/ or examples/",
      "guide.md:12 (ts): its lines appear in no file under docs/examples/ or examples/",
    ]);
  });
});

describe("npm run demo", () => {
  it("walks the journey on the in-process sandbox: the hosted page, the return, webhooks, records, an error", {
    timeout: 60_000,
  }, async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], {
      cwd: new URL("..", import.meta.url),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 50_000);
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve)).finally(() => clearTimeout(timer));
    expect(code, output).toBe(0);
    expect(output).toMatch(/303 to https:\/\/app\.example\.com\/connected\?patient_id=user_42&patient_session_id=ps_/);
    expect(output).toMatch(/outcome: connected/);
    expect(output).toMatch(/patient_session\.completed \(evt_\w+\) verified/);
    expect(output).toMatch(/records\.sync\.completed \(evt_\w+\) verified/);
    expect(output).toMatch(/Observation \d+/);
    expect(output).toMatch(/404 resource_not_found/);
  });
});
