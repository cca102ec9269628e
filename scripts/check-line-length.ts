/**
 * `npm run check:lines` (part of `npm test`, through scripts/check-code.sh):
 * fails naming file:line for every line over 140 characters in the files git
 * tracks or would track (scripts/lib/long-lines.ts says which). The folder
 * checked is the repository, or the one given as the first argument.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { lineRuleApplies, longLines, MAX_LINE } from "./lib/long-lines.js";

const root = process.argv[2] ?? fileURLToPath(new URL("..", import.meta.url));
const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" });
const files = listed.split("\0").filter((path) => path !== "" && lineRuleApplies(path));
const found: string[] = [];
for (const path of files) {
  let text: string;
  try {
    text = readFileSync(join(root, path), "utf8");
  } catch {
    continue; // deleted but not yet staged
  }
  found.push(...longLines(path, text));
}
if (found.length > 0) {
  console.error(found.join("\n"));
  console.error(
    `${found.length} lines over ${MAX_LINE} characters: wrap them (the formatter cannot break a string, a comment or a regular expression)`,
  );
  process.exitCode = 1;
} else {
  console.log(`no line over ${MAX_LINE} characters in ${files.length} ${files.length === 1 ? "file" : "files"}`);
}
