/**
 * The guides in docs/ travel inside every package: the packages' READMEs
 * link them, and a link must resolve in the tarball (no repository address
 * is published to link to instead). Each package's build copies them into
 * its own docs/ (git-ignored, like dist/); `files` ships that folder.
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const DOCS_DIR = fileURLToPath(new URL("../../docs/", import.meta.url));

/** docs/performance.md is about this repository's benchmark (`npm run bench`), not about using a package. */
const NOT_SHIPPED = new Set(["performance.md"]);

/** The guides' file names: every Markdown file directly in docs/ but those about the repository itself. */
export function guides(): string[] {
  return readdirSync(DOCS_DIR)
    .filter((name) => name.endsWith(".md") && !NOT_SHIPPED.has(name))
    .sort();
}

/** Replaces `<packageDir>/docs/` with a copy of the guides. */
export function shipGuides(packageDir: string): void {
  const into = join(packageDir, "docs");
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into);
  for (const name of guides()) copyFileSync(join(DOCS_DIR, name), join(into, name));
}
