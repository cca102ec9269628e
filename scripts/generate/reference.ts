/**
 * generated/api-reference.html: the API reference the sandbox serves at
 * `/docs`, built by Redocly's `build-docs` (Redoc) from the bundle, for a
 * laptop with no network:
 *
 * - An "Errors" section is added to the overview, one entry per
 *   `ErrorCode` with its `x-enumDescriptions` text, so each error's
 *   `doc_url` can point at its code (`#/section/errors/<code>`). The
 *   descriptions are taken off the schema in this copy: the section says
 *   them once, instead of at every error response.
 * - Redoc's script is not inlined (2.3 MB, the same for every spec, and
 *   not ours): the page imports it from `docs/redoc-<version>.standalone.js`
 *   beside itself, which the sandbox serves from @redocly/cli in this
 *   repository and from its own dist/ once packed. Nothing is loaded from
 *   a CDN; the links of the prerendered menu are hash routes, as Redoc's
 *   router makes them, so they stay on the page before and without
 *   hydration.
 *
 * The output depends only on the bundle and the pinned Redoc: the same
 * bytes on every run.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Json } from "../../lib/spec/openapi.js";

/** Where the page's headings put each code: Redoc's route for a heading `## <code>` under `# Errors` in the overview. */
export const ERRORS_SECTION = "Errors";

/** The bundle as the reference shows it: the error catalog as a section of the overview. */
export function referenceSpec(bundle: Json): Json {
  const copy: Json = structuredClone(bundle);
  const errorCode: Json = copy.components.schemas.ErrorCode;
  const descriptions: Record<string, string> = errorCode["x-enumDescriptions"] ?? {};
  const codes: string[] = errorCode.enum;
  const missing = codes.filter((code) => typeof descriptions[code] !== "string");
  const extra = Object.keys(descriptions).filter((code) => !codes.includes(code));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `ErrorCode: x-enumDescriptions must describe every code and no other (missing: ${missing.join(", ") || "none"}; not ` +
        `codes: ${extra.join(", ") || "none"})`,
    );
  }
  delete errorCode["x-enumDescriptions"];
  const entries = codes.map((code) => `## ${code}\n\n${descriptions[code]}`);
  copy.info.description = `${copy.info.description}\n\n# ${ERRORS_SECTION}\n\nEvery failure answers \`{ "error": { type, code, message, \
param, doc_url, request_id } }\`; branch on \`code\`. The codes:\n\n${entries.join("\n\n")}\n`;
  return copy;
}

/** The CDN import Redocly writes, and the modulepreload link beside it. */
const CDN_IMPORT = /import \{ hydrate \} from "https:\/\/cdn\.redocly\.com\/redoc\/v([0-9.]+)\/bundles\/redoc\.standalone\.js";/;
const CDN_PRELOAD = /<link rel="modulepreload" href="https:\/\/cdn\.redocly\.com\/[^"]*"[^>]*\/>/;

/** The file name the page imports Redoc from, beside it under `docs/`. */
export const redocFile = (version: string) => `redoc-${version}.standalone.js`;

/** Builds the reference page for `bundle` with the repository's Redocly. */
export function referenceHtml(bundle: Json): string {
  const dir = mkdtempSync(join(tmpdir(), "medblocks-reference-"));
  try {
    const input = join(dir, "openapi.json");
    const output = join(dir, "reference.html");
    writeFileSync(input, JSON.stringify(referenceSpec(bundle)));
    execFileSync("node_modules/.bin/redocly", ["build-docs", input, "-o", output, "--title", `${bundle.info.title} reference`], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    });
    let page = readFileSync(output, "utf8");
    const version = CDN_IMPORT.exec(page)?.[1];
    if (version === undefined || !CDN_PRELOAD.test(page))
      throw new Error("build-docs no longer imports Redoc from its CDN as expected: scripts/generate/reference.ts needs updating");
    page = page.replace(CDN_IMPORT, `import { hydrate } from "./docs/${redocFile(version)}";`).replace(CDN_PRELOAD, "");
    // No icon: the browser would ask the sandbox for /favicon.ico, which is no page.
    page = page.replace("<head>", '<head>\n  <link rel="icon" href="data:,">');
    // The prerendered menu links `/health`, `/patients`…: routes of Redoc's hash router, which the sandbox's paths would answer instead.
    page = page.replace(/ href="\/([a-z0-9/._-]*)"/g, ' href="#/$1"');
    if (/(src|href)="https?:\/\//.test(page.replace(/<a [^>]*>/g, "")))
      throw new Error("the reference page loads something from another origin");
    return page;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
