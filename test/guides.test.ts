/**
 * The guides in docs/ show code from the repository's own files: a block
 * introduced by a line that links a source file and ends with ":" must be
 * that file's lines (an excerpt, indentation aside), so a guide cannot drift
 * from the code its tests run. And every relative link leads to a file.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const DOCS = new URL("../docs/", import.meta.url);
const guides = readdirSync(DOCS).filter((name) => name.endsWith(".md"));

/** The relative link targets of a line, without anchors. */
const relativeLinks = (text: string) =>
  [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!).filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith("#")).map((target) => target.split("#")[0]!);

interface Block {
  /** The file the introducing line links. */
  source: string;
  lines: string[];
  /** Where the block starts in the guide, 1-based. */
  line: number;
}

/** The blocks of `markdown` that an introducing line attributes to a source file. */
function attributedBlocks(markdown: string): Block[] {
  const lines = markdown.split("\n");
  const blocks: Block[] = [];
  for (let index = 0; index < lines.length; index++) {
    const fence = lines[index]!.match(/^(\s*)```\w*$/);
    if (!fence) continue;
    const end = lines.findIndex((line, at) => at > index && line.trim() === "```");
    let intro = index - 1;
    while (intro >= 0 && lines[intro]!.trim() === "") intro--;
    const introLine = intro >= 0 ? lines[intro]! : "";
    const source = relativeLinks(introLine).find((target) => /\.(tsx?|jsx?|json|css)$/.test(target));
    if (source !== undefined && introLine.trimEnd().endsWith(":")) blocks.push({ source, lines: lines.slice(index + 1, end), line: index + 1 });
    index = end;
  }
  return blocks;
}

/** Whether `excerpt` stands in `text` as consecutive lines, leading and trailing spaces aside. */
function containsLines(text: string, excerpt: string[]): boolean {
  const lines = text.split("\n").map((line) => line.trim());
  const wanted = excerpt.map((line) => line.trim());
  return lines.some((_, start) => wanted.every((line, offset) => lines[start + offset] === line));
}

describe.each(guides)("docs/%s", (guide) => {
  const markdown = readFileSync(new URL(guide, DOCS), "utf8");

  it("links only files that exist", () => {
    const missing = relativeLinks(markdown).filter((target) => !existsSync(new URL(target, new URL(guide, DOCS))));
    expect(missing).toEqual([]);
  });

  it("shows each block attributed to a file as it stands in that file", () => {
    for (const block of attributedBlocks(markdown)) {
      const source = readFileSync(new URL(block.source, new URL(guide, DOCS)), "utf8");
      expect(containsLines(source, block.lines), `the block at line ${block.line} is not in ${block.source}`).toBe(true);
    }
  });
});

describe("attributedBlocks", () => {
  it("finds a block introduced by a linked file, and a changed line makes it stand nowhere", () => {
    const guide = "From [`a.ts`](../a.ts):\n\n```ts\nconst a = 1;\n  return a;\n```\n\nNot attributed:\n\n```sh\nnpm test\n```\n";
    const [block, ...others] = attributedBlocks(guide);
    expect(others).toEqual([]);
    expect(block).toEqual({ source: "../a.ts", lines: ["const a = 1;", "  return a;"], line: 3 });
    expect(containsLines("x\n  const a = 1;\n    return a;\ny", block!.lines)).toBe(true);
    expect(containsLines("x\n  const a = 2;\n    return a;\ny", block!.lines)).toBe(false);
  });
});
