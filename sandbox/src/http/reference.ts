/**
 * `/docs`: the API reference, built from the spec by `npm run generate`
 * (Redoc, see scripts/generate/reference.ts), with nothing loaded from
 * elsewhere, so it works with no network. Two files: the page
 * (generated/api-reference.html, which also holds the spec) and Redoc's
 * script, which the page imports from `docs/redoc-<version>.standalone.js`.
 * In this repository they are read from generated/ and from the installed
 * @redocly/cli; in the packed package, from dist/reference/, where the
 * build copies both. Every error's `doc_url` points at its code's entry
 * on the page (`docUrl`).
 *
 * The page runs Redoc, so its CSP allows its own two inline scripts (by
 * hash), the script beside it, and inline styles (Redoc writes them as it
 * renders); images only from itself, connections only to itself, no forms,
 * no framing.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Hono } from "hono";
import type { Core } from "../core.js";
import { reply } from "./reply.js";
import type { ErrorCode } from "../spec.js";

/** The reference's path on the sandbox. */
export const DOCS_PATH = "/docs";

/** Where an error code is explained: its entry in the reference's "Errors" section (a route of Redoc's hash router). */
export const docUrl = (baseUrl: string, code: ErrorCode): string => `${baseUrl}${DOCS_PATH}#/section/errors/${code}`;

interface Reference {
  html: string;
  /** The path the page imports Redoc from, and the file. */
  scriptPath: string;
  script: string;
  /** The page's CSP. */
  policy: string;
}

/** The two files: in the package's dist/reference/, else in this repository. */
function locate(): { html: string; script: string } | undefined {
  const packed = {
    html: fileURLToPath(new URL("./reference/api-reference.html", import.meta.url)),
    script: fileURLToPath(new URL("./reference/redoc.standalone.js", import.meta.url)),
  };
  if (existsSync(packed.html) && existsSync(packed.script)) return packed;
  try {
    const html = fileURLToPath(new URL("../../../generated/api-reference.html", import.meta.url));
    const script = createRequire(import.meta.url).resolve("@redocly/cli/lib/chunks/redoc.standalone.js");
    return existsSync(html) ? { html, script } : undefined;
  } catch {
    return undefined;
  }
}

let loaded: Reference | null | undefined;

/** The reference, read once; null when its files are missing (a broken install). */
export function reference(): Reference | null {
  if (loaded !== undefined) return loaded;
  const files = locate();
  if (!files) return (loaded = null);
  const html = readFileSync(files.html, "utf8");
  const scriptPath = /import \{ hydrate \} from "\.\/(docs\/redoc-[0-9.]+\.standalone\.js)";/.exec(html)?.[1];
  if (scriptPath === undefined) return (loaded = null);
  const hashes = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map(
    (match) => `'sha256-${createHash("sha256").update(match[1]!).digest("base64")}'`,
  );
  const policy = [
    "default-src 'none'",
    `script-src 'self' ${hashes.join(" ")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
  loaded = { html, scriptPath: `/${scriptPath}`, script: readFileSync(files.script, "utf8"), policy };
  return loaded;
}

/** Adds `/docs` and Redoc's script to the app. */
export function referenceRoutes(app: Hono, core: Core): void {
  type Made = { status?: number; body: string | null; headers: Record<string, string> };
  const serve = (request: Request, route: string, make: (found: Reference) => Made | null) =>
    reply(core, request, route, () => {
      const found = reference();
      const made = found && make(found);
      const headers: Record<string, string> = {
        "x-content-type-options": "nosniff",
        "referrer-policy": "same-origin",
        ...(made ? made.headers : { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }),
      };
      const body = made
        ? made.body
        : "The API reference is not part of this installation of medblocks-sandbox (its files are missing): reinstall the package.";
      return { status: made ? (made.status ?? 200) : 404, headers, body: request.method === "HEAD" ? null : body };
    });
  app.get(DOCS_PATH, (c) =>
    serve(c.req.raw, DOCS_PATH, (found) => ({
      body: found.html,
      headers: {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": found.policy,
        "x-frame-options": "DENY",
        "cache-control": "no-cache",
      },
    })),
  );
  app.get(`${DOCS_PATH}/`, (c) =>
    serve(c.req.raw, `${DOCS_PATH}/`, () => ({ status: 308, body: null, headers: { location: DOCS_PATH, "cache-control": "no-store" } })),
  );
  app.get(`${DOCS_PATH}/:file`, (c) =>
    serve(c.req.raw, `${DOCS_PATH}/{file}`, (found) =>
      new URL(c.req.url).pathname === found.scriptPath
        ? {
            body: found.script,
            headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=31536000, immutable" },
          }
        : null,
    ),
  );
}
