/**
 * Text another server sent, made safe to print to a terminal or write to a
 * report. A server's header, error message or JSON key can carry terminal
 * controls — ESC sequences (C0), their 8-bit forms (C1: U+009B is CSI,
 * U+009D OSC), DEL — that recolor, retitle or rewrite what the reader sees,
 * and bidirectional overrides that reorder it. Each such character is shown
 * as a visible escape (`\x1b`, `\u202e`) instead, so what was sent stays
 * readable and nothing acts on the terminal. The one function both
 * `medblocks-contract` and `medblocks-sandbox trigger` use: each package's
 * build bundles it.
 */

// C0 but tab and line feed, DEL, C1; the bidi marks, embeddings, overrides and isolates; line and paragraph separators.
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;
const LINE_BREAKS = /[\t\n]/g;

const escaped = (character: string): string => {
  const code = character.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
};

/**
 * `text` with every control character escaped. Tab and line feed are kept
 * when `multiline` (a block of several lines), escaped otherwise (text
 * that must stay on its line).
 */
export function printable(text: string, { multiline = false }: { multiline?: boolean } = {}): string {
  const safe = text.replace(CONTROLS, escaped);
  return multiline ? safe : safe.replace(LINE_BREAKS, escaped);
}
