/**
 * The hosted page's one stylesheet, inline (no request leaves for assets,
 * so the page works offline), allowed by its hash in the CSP. Readable at
 * 360 px; focus always visible; colours at WCAG AA contrast or better.
 */
import { createHash } from "node:crypto";

export const CSS = [
  ":root{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff}",
  "body{margin:0}",
  ".sandbox{margin:0;padding:.5rem 1rem;background:#4b1d7a;color:#fff;font-weight:600}",
  "main,footer{max-width:40rem;margin:0 auto;padding:1rem;box-sizing:border-box}",
  "footer{color:#4a4a4a;font-size:.875rem}",
  "h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}",
  "h2{font-size:1.125rem;margin:1.5rem 0 .5rem}",
  "ul{list-style:none;margin:0;padding:0}",
  "li{border-bottom:1px solid #c4c4c4;padding:.75rem .25rem}",
  "li:has(>a){padding:0}",
  "li>a{display:block;padding:.75rem .25rem;color:#0b4f9c}",
  ".note{display:block;color:#4a4a4a;font-size:.875rem}",
  "label{display:block;font-weight:600;margin:1rem 0 .25rem}",
  "input,select,button{font:inherit;box-sizing:border-box;min-height:2.75rem;border-radius:4px}",
  "input,select{width:100%;padding:.5rem;border:1px solid #595959;background:#fff;color:#1a1a1a}",
  "button{padding:.5rem 1rem;border:2px solid #0b4f9c;background:#0b4f9c;color:#fff;cursor:pointer}",
  "button.quiet{background:#fff;color:#0b4f9c}",
  ".row{display:flex;gap:.5rem}.row input{flex:1}",
  ".actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}",
  "a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #b3400a;outline-offset:2px}",
  "@media (max-width:30rem){.actions button{flex:1 1 100%}}",
].join("\n");

/** The CSP source that allows exactly this stylesheet. */
export const CSS_SOURCE = `'sha256-${createHash("sha256").update(CSS).digest("base64")}'`;
