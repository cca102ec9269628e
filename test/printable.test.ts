/**
 * `printable` (lib/printable.ts), which both CLIs put a server's
 * text through before printing it or writing it to a report.
 */
import { describe, expect, it } from "vitest";
import { printable } from "../lib/printable.js";

describe("printable", () => {
  it("escapes C0 controls, DEL and C1 controls visibly", () => {
    expect(printable("a\u001b[31mb\u0007c\u0000d\re\u007ff\u009b1m\u009d0;t\u0085")).toBe(
      "a\\x1b[31mb\\x07c\\x00d\\x0de\\x7ff\\x9b1m\\x9d0;t\\x85",
    );
  });

  it("escapes the bidi marks, embeddings, overrides and isolates, and the line and paragraph separators", () => {
    const bidi = [
      "\u061c",
      "\u200e",
      "\u200f",
      "\u202a",
      "\u202b",
      "\u202c",
      "\u202d",
      "\u202e",
      "\u2066",
      "\u2067",
      "\u2068",
      "\u2069",
      "\u2028",
      "\u2029",
    ];
    for (const character of bidi) expect(printable(`x${character}y`)).toBe(`x\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}y`);
  });

  it("keeps tab and line feed in a block of lines only", () => {
    expect(printable("one\ttwo\nthree")).toBe("one\\x09two\\x0athree");
    expect(printable("one\ttwo\nthree\r", { multiline: true })).toBe("one\ttwo\nthree\\x0d");
  });

  it("leaves other text alone, non-ASCII letters, symbols and emoji included", () => {
    const text = 'Zürich → 東京 ✓ 😀 `code` "quoted" <tag> & 100%';
    expect(printable(text)).toBe(text);
  });
});
