/**
 * A whole dashboard page: the hosted page's look (its stylesheet, its
 * sandbox banner) widened for tables, with the dashboard's navigation in the
 * header; one h1 (the page's title) in main; a footer. No script: every
 * page is complete as served, and a reload shows what is true now. The
 * headers are the hosted page's, with a CSP that allows this stylesheet
 * (by its hash), forms to the sandbox itself and the page's empty icon
 * (a `data:` URL, so the browser asks for no /favicon.ico), nothing else.
 */
import { createHash } from "node:crypto";
import { html, raw } from "hono/html";
import { documentStart, pageHeaders, type Html } from "../page/document.js";
import { CSS } from "../page/style.js";
import { SANDBOX_VERSION } from "../version.js";
import type { KnownWorkspace } from "./workspaces.js";

/** The hosted page's stylesheet and what tables, code and the navigation need. */
export const DASHBOARD_CSS = [
  CSS,
  "main,footer{max-width:80rem}",
  "h3{font-size:1rem;margin:1.25rem 0 .5rem}h4{font-size:.9375rem;margin:1rem 0 .25rem}",
  ".vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}",
  "ul.outcomes li{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:center;padding:.375rem 0}",
  "nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;max-width:80rem;margin:0 auto;padding:.5rem 1rem;box-sizing:border-box}",
  "nav li,nav li:has(>a){border:0;padding:0}",
  "nav li>a{display:inline-block;padding:.5rem .25rem;color:#0b4f9c}",
  "nav a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}",
  "header{border-bottom:1px solid #c4c4c4}",
  ".scroll{overflow-x:auto;margin:.5rem 0 1rem}",
  "table{border-collapse:collapse;width:100%;font-size:.9375rem}",
  "caption{text-align:left;font-weight:600;padding:.25rem 0}",
  "th,td{border-bottom:1px solid #c4c4c4;padding:.375rem .5rem;text-align:left;vertical-align:top}",
  "th{background:#f2f2f2}",
  "td form,td .actions{margin:0}",
  "time span{white-space:nowrap}td.why{min-width:14rem}",
  "code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.875rem}",
  "pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f5f5f5;border:1px solid #c4c4c4;padding:.5rem;margin:.25rem 0 1rem}",
  "code{overflow-wrap:anywhere}",
  ".when{color:#4a4a4a;font-size:.875rem}",
  "dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0 1rem}",
  "dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}",
  ".bad{color:#a4262c;font-weight:600}.good{color:#1e6b2e;font-weight:600}",
  "[role=status],[role=alert]{border:2px solid #0b4f9c;padding:.5rem 1rem;margin:1rem 0}",
  "[role=alert]{border-color:#a4262c}",
  ".inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}.inline label{margin:0 0 .25rem}.inline input,.inline select{width:auto}",
  ".inline>div{display:flex;flex-direction:column}",
  "ol.timeline{padding-left:1.5rem}ol.timeline li{border-bottom:1px solid #c4c4c4;padding:.5rem .25rem}",
  ".check{display:flex;align-items:center;gap:.5rem;margin:1rem 0}.check label{margin:0}.check input{width:1.25rem;min-height:1.25rem}",
  "@media (max-width:30rem){dl{grid-template-columns:1fr}}",
].join("\n");

const CSS_SOURCE = `'sha256-${createHash("sha256").update(DASHBOARD_CSS).digest("base64")}'`;

/** The headers of every dashboard answer: the hosted page's protections, this stylesheet, forms to the sandbox only. */
export function dashboardHeaders(): Record<string, string> {
  return {
    ...pageHeaders(),
    "content-security-policy": `default-src 'none'; style-src ${CSS_SOURCE}; img-src data:; form-action 'self'; frame-ancestors 'none'; \
base-uri 'none'`,
  };
}

/** The sections of a workspace's dashboard, in the navigation's order. */
export const SECTIONS = [
  ["", "Overview"],
  ["/patients", "Patients"],
  ["/sessions", "Sessions"],
  ["/webhooks", "Webhooks"],
  ["/requests", "Requests"],
] as const;

/** A place in the navigation: a section of the workspace, or the list of workspaces. */
export type Section = (typeof SECTIONS)[number][1] | "Workspaces";

/** Where the dashboard of `workspace` is: `/__sandbox/workspaces/<fingerprint>`. */
export const workspacePath = (workspace: Pick<KnownWorkspace, "fingerprint">) => `/__sandbox/workspaces/${workspace.fingerprint}`;

export interface Chrome {
  /** The workspace the page is about; none on pages before one is chosen. */
  workspace?: KnownWorkspace | undefined;
  /** The navigation's current entry. */
  current?: Section | undefined;
  /** What the last action did, said once at the top of the page. */
  notice?: string | undefined;
}

/** The document around `content`; `title` is its h1 too. */
export async function dashboardDocument(title: string, content: Html, chrome: Chrome = {}): Promise<string> {
  const { workspace, current, notice } = chrome;
  const link = (href: string, name: string, here: boolean) =>
    html`<li><a href="${href}"${here ? raw(' aria-current="page"') : ""}>${name}</a></li>`;
  const sections = workspace ? SECTIONS.map(([path, name]) => link(`${workspacePath(workspace)}${path}`, name, name === current)) : [];
  return String(
    await html`${documentStart(
      `${title}${workspace ? ` · ${workspace.label}` : ""} · Medblocks sandbox dashboard`,
      DASHBOARD_CSS,
      raw('<link rel="icon" href="data:,">\n'),
    )}
<body>
<header><p class="sandbox">Medblocks sandbox dashboard: a simulation. No real health system is contacted and no real records are shared.</p>
<nav aria-label="Dashboard"><ul>${sections}${link("/__sandbox/workspaces", "Workspaces", current === "Workspaces")}<li><a href="/docs">API \
reference</a></li></ul></nav></header>
<main>
<h1>${title}</h1>
${notice === undefined ? "" : html`<p role="status">${notice}</p>`}
${
  workspace
    ? html`<p class="note">Workspace ${workspace.label}${workspace.ready ? " (the ready key, MEDBLOCKS_API_KEY)" : ""}. Times are \
the workspace's clock.</p>`
    : ""
}
${content}
</main>
<footer><p>medblocks-sandbox ${SANDBOX_VERSION}. This page shows what is true when it was loaded: reload it to see what changed since.</p>\
</footer>
</body>
</html>
`,
  );
}
