/**
 * The line-length rule: no line over 140 characters in the files people
 * write. The formatter wraps code at that width but cannot break a string,
 * a comment or a regular expression; this finds what it left. Characters are
 * counted as code points, so `─` or `…` counts one, as an editor shows it.
 */

export const MAX_LINE = 140;

/**
 * Whether the rule applies to `path` (relative to the repository, `/`-separated):
 * code, JSON, CSS, shell and YAML. Not generated/ (machine output, checked for
 * drift), the package.json files and the lockfile (npm writes them, and a JSON
 * string cannot be wrapped), nor Markdown and HTML (a table row or a paragraph
 * is one line).
 */
export function lineRuleApplies(path: string): boolean {
  if (path.startsWith("generated/")) return false;
  if (/(^|\/)package(-lock)?\.json$/.test(path)) return false;
  return /\.(ts|tsx|js|mjs|cjs|json|css|sh|ya?ml)$/.test(path) || path === ".ci/run";
}

/** `file:line: N characters` for each line of `text` longer than `max`. */
export function longLines(path: string, text: string, max = MAX_LINE): string[] {
  const found: string[] = [];
  text.split("\n").forEach((line, index) => {
    const length = [...line.replace(/\r$/, "")].length;
    if (length > max) found.push(`${path}:${index + 1}: ${length} characters`);
  });
  return found;
}
