/**
 * The links of a packed package's Markdown files (its README and the guides
 * it ships), checked where its readers follow them: someone who ran
 * `npm install` has the tarball's files and nothing else of this repository.
 *
 * - A relative link (`docs/testing.md`, `#webhooks`, `docs/ci.md#github-actions`)
 *   must name a file in the tarball, and its anchor a heading (or an
 *   `id`/`name` attribute) of that file, as GitHub and npm make heading anchors.
 * - A link into the package's `repository` (`<repo>/blob/<ref>/<path>`,
 *   `<repo>/tree/<ref>/<path>`) must name a file (or a folder) the repository
 *   tracks, and its anchor a heading there.
 * - A link to a package page on npm (`https://www.npmjs.com/package/medblocks-…`)
 *   must name a package this repository publishes.
 *
 * Code blocks and code spans are not read: what they hold is code, not links.
 */
import { gunzipSync } from "node:zlib";

/** A tarball's regular files, by their path inside the package (npm's leading `package/` removed). */
export function tarballFiles(gzipped: Uint8Array): Map<string, Buffer> {
  const tar = gunzipSync(gzipped);
  const files = new Map<string, Buffer>();
  const text = (start: number, length: number) => tar.toString("utf8", start, start + length).replace(/\0.*$/s, "");
  let longPath: string | undefined;
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const name = text(offset, 100);
    if (name === "") break;
    const size = Number.parseInt(text(offset + 124, 12).trim() || "0", 8);
    const type = text(offset + 156, 1) || "0";
    const prefix = text(offset + 345, 155);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === "x") {
      // A pax header: its `path` record names the next entry (paths longer than the header holds).
      longPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString("utf8"))?.[1];
      continue;
    }
    const path = longPath ?? (prefix ? `${prefix}/${name}` : name);
    longPath = undefined;
    if (type === "0") files.set(path.replace(/^[^/]+\//, ""), Buffer.from(body));
  }
  return files;
}

/** Markdown with its fenced code blocks and code spans blanked out (lines kept, so line numbers hold). */
function prose(markdown: string): string {
  let fence: string | null = null;
  return markdown
    .split("\n")
    .map((line) => {
      const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence === null && marker) {
        fence = marker;
        return "";
      }
      if (fence !== null) {
        if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
        return "";
      }
      return line.replace(/(`+)(?:(?!\1).)+?\1/g, "");
    })
    .join("\n");
}

/** The anchors a Markdown file's headings get (GitHub's rule, which npm follows), and its explicit `id`/`name` attributes. */
export function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | null = null;
  for (const line of markdown.split("\n")) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === null && marker) fence = marker;
    else if (fence !== null && marker && marker[0] === fence[0] && line.trim() === marker) fence = null;
    if (fence !== null || marker) continue;
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading !== undefined) {
      const text = heading
        .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
        .replace(/<[^>]+>/g, "")
        // Code spans keep their text; emphasis marks go (`_` is kept: it is also a word character, and this repo emphasises with `*`).
        .replace(/[`*~]/g, "");
      const slug = text
        .toLowerCase()
        .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
        .replace(/ /g, "-");
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      found.add(count === 0 ? slug : `${slug}-${count}`);
    }
    for (const match of line.matchAll(/<[a-z][^>]*\s(?:id|name)=["']([^"']+)["']/gi)) found.add(match[1]!);
  }
  return found;
}

/** The link targets of a Markdown file, each with its line: inline links and images, reference definitions, autolinks and `href`s. */
export function links(markdown: string): { target: string; line: number }[] {
  const found: { target: string; line: number }[] = [];
  prose(markdown)
    .split("\n")
    .forEach((text, index) => {
      const line = index + 1;
      for (const match of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)/g)) found.push({ target: match[1]!, line });
      for (const match of text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g)) found.push({ target: match[1]!, line });
      for (const match of text.matchAll(/<((?:https?|mailto):[^>\s]+)>/g)) found.push({ target: match[1]!, line });
      for (const match of text.matchAll(/\shref=["']([^"']+)["']/g)) found.push({ target: match[1]!, line });
    });
  return found;
}

/** What a link into the package's repository is checked against: the files git tracks, read from the working tree. */
export interface Repository {
  /** The repository's web address, as the package's `repository` field gives it (`https://github.com/owner/name`). */
  url: string;
  /** The tracked files' paths, relative to the repository's root. */
  tracked: ReadonlySet<string>;
  /** A tracked file's text. */
  read(path: string): string;
}

/** The web address a package.json `repository` field stands for (`github:o/n`, `o/n`, `git+https://…/o/n.git`, `{ url }`), or null. */
export function repositoryUrl(field: unknown): string | null {
  const raw =
    typeof field === "string"
      ? field
      : typeof field === "object" && field !== null && "url" in field && typeof field.url === "string"
        ? field.url
        : null;
  if (raw === null) return null;
  const shorthand = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(raw);
  if (shorthand) return `https://github.com/${shorthand[1]!.replace(/\.git$/, "")}`;
  const url = /^(?:git\+)?(https?:\/\/[^\s]+?)(?:\.git)?\/?$/.exec(raw);
  return url ? url[1]! : null;
}

const pathAndAnchor = (target: string) => {
  const hash = target.indexOf("#");
  const path = hash === -1 ? target : target.slice(0, hash);
  return {
    path: decodeURIComponent(path.replace(/\?.*$/, "")),
    anchor: hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1)),
  };
};

/** `from`'s directory joined with `relative`, normalised; null when it climbs out of the package. */
function resolvePath(from: string, relative: string): string | null {
  const parts = from.split("/").slice(0, -1);
  for (const part of relative.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join("/");
}

export interface LinkCheckOptions {
  /** The package's repository, when its package.json names one. */
  repository?: Repository | undefined;
  /** The names of the packages this repository publishes (for links to their pages on npm). */
  packages: readonly string[];
}

/** Every broken link of every Markdown file in `files` (a packed package), as `file:line: target: why`; none when all resolve. */
export function linkProblems(files: ReadonlyMap<string, Buffer>, options: LinkCheckOptions): string[] {
  const problems: string[] = [];
  const anchorsOf = new Map<string, Set<string>>();
  const anchorsIn = (key: string, markdown: () => string) => {
    let found = anchorsOf.get(key);
    if (!found) anchorsOf.set(key, (found = anchors(markdown())));
    return found;
  };
  const isDir = (paths: Iterable<string>, dir: string) => {
    for (const path of paths) if (path.startsWith(`${dir}/`)) return true;
    return false;
  };
  for (const [file, content] of [...files].filter(([path]) => path.endsWith(".md")).sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const { target, line } of links(content.toString("utf8"))) {
      const where = `${file}:${line}: ${target}`;
      const repository = options.repository;
      if (repository && (target === repository.url || target.startsWith(`${repository.url}/`))) {
        const route = /^\/(?:-\/)?(blob|tree)\/[^/]+\/(.+)$/.exec(target.slice(repository.url.length));
        if (!route) continue;
        const { path, anchor } = pathAndAnchor(route[2]!);
        const clean = path.replace(/\/$/, "");
        if (route[1] === "blob" && !repository.tracked.has(clean)) problems.push(`${where}: the repository tracks no file ${clean}`);
        else if (route[1] === "tree" && !repository.tracked.has(clean) && !isDir(repository.tracked, clean))
          problems.push(`${where}: the repository tracks nothing at ${clean}`);
        else if (
          anchor &&
          clean.endsWith(".md") &&
          repository.tracked.has(clean) &&
          !anchorsIn(`repo:${clean}`, () => repository.read(clean)).has(anchor)
        )
          problems.push(`${where}: ${clean} in the repository has no heading for #${anchor}`);
        continue;
      }
      const npm = /^https:\/\/(?:www\.)?npmjs\.com\/package\/(medblocks-[\w.-]+)/.exec(target);
      if (npm) {
        if (!options.packages.includes(npm[1]!))
          problems.push(`${where}: this repository publishes no package ${npm[1]} (it publishes ${options.packages.join(", ")})`);
        continue;
      }
      if (/^[a-z][a-z\d+.-]*:/i.test(target) || target.startsWith("//")) continue;
      const { path, anchor } = pathAndAnchor(target);
      const resolved = path === "" ? file : resolvePath(file, path);
      if (resolved === null) {
        problems.push(`${where}: points outside the package, where an installed package has nothing`);
        continue;
      }
      const clean = resolved.replace(/\/$/, "");
      const packed = files.get(clean);
      if (!packed) {
        if (!isDir(files.keys(), clean)) problems.push(`${where}: the tarball has no ${clean === "" ? "such path" : clean}`);
        continue;
      }
      if (anchor && clean.endsWith(".md") && !anchorsIn(clean, () => packed.toString("utf8")).has(anchor))
        problems.push(`${where}: ${clean} has no heading for #${anchor}`);
    }
  }
  return problems;
}
