/**
 * What the ecosystem's package checks find in a packed package, offline, on
 * the tarball:
 *
 * - publint: package.json's fields against the files in the tarball; every
 *   message counts, suggestions included.
 * - Are the Types Wrong (attw): the `exports` and `types` resolved as
 *   TypeScript resolves them for node10, node16 (from CJS and from ESM) and
 *   bundlers. One rule is not applied: `cjs-resolves-to-esm`. This repo's
 *   packages are ESM only by design (`"type": "module"`, one ESM build,
 *   Node ≥ 20), so a `require()` reaching ESM is what they are, not a
 *   mistake in their fields; everything else, node10 included, must resolve
 *   cleanly.
 * - The links of its README and guides (scripts/lib/readme-links.ts): each
 *   must resolve for someone who has only the tarball.
 */
import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { linkProblems, repositoryUrl, tarballFiles, type Repository } from "./readme-links.js";

const REPO_DIR = join(import.meta.dirname, "..", "..");
const ATTW = join(REPO_DIR, "node_modules", ".bin", "attw");
const ATTW_IGNORED_RULES = ["cjs-resolves-to-esm"];

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], cwd: string): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, timeout: 180_000, maxBuffer: 32 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** This repository as its `url` on the web: what links into it are checked against. */
function repository(url: string): Repository {
  const tracked = new Set(
    execFileSync("git", ["ls-files", "-z"], { cwd: REPO_DIR, encoding: "utf8", maxBuffer: 32 << 20 })
      .split("\0")
      .filter(Boolean),
  );
  return { url, tracked, read: (path) => readFileSync(join(REPO_DIR, path), "utf8") };
}

/**
 * The problems found in one tarball, as lines; none when it is clean.
 * `packages` are the names this repository publishes, which its READMEs may link on npm.
 */
export async function problems(tarball: string, { packages }: { packages: readonly string[] }): Promise<string[]> {
  const data = readFileSync(tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer },
    level: "suggestion",
    strict: true,
  });
  const found = messages.map((message) => `publint ${message.type}: ${formatMessage(message, pkg, { color: false }) ?? message.code}`);
  const attw = await run(ATTW, [tarball, "--ignore-rules", ...ATTW_IGNORED_RULES, "--format", "ascii", "--no-color", "--no-emoji"], ".");
  if (attw.code !== 0) found.push(`attw:\n${attw.stdout}${attw.stderr}`);
  const files = tarballFiles(data);
  const manifest = JSON.parse(files.get("package.json")?.toString("utf8") ?? "{}") as { repository?: unknown };
  const url = repositoryUrl(manifest.repository);
  found.push(
    ...linkProblems(files, { packages, repository: url === null ? undefined : repository(url) }).map((problem) => `link ${problem}`),
  );
  return found;
}
