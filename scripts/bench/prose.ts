/**
 * A bundle with the text of its prose strings removed: every string or
 * template part with a space in it and at least 12 characters (error
 * messages, mostly). `npm run bench` reports the whole API's size without
 * them, for reference: how much of the bundle is messages, and how small it
 * could get by cutting them.
 */
import ts from "typescript";

export function withoutProse(code: string): { code: string; removed: number } {
  const source = ts.createSourceFile("bundle.js", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const cuts: [start: number, end: number][] = [];
  const isProse = (text: string) => text.length >= 12 && text.includes(" ");
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (isProse(node.text)) cuts.push([node.getStart(source) + 1, node.getEnd() - 1]);
      return;
    }
    if (ts.isTemplateExpression(node)) {
      for (const part of [node.head, ...node.templateSpans.map((span) => span.literal)]) {
        if (!isProse(part.text)) continue;
        const raw = part.getText(source);
        // A head is `text${, a middle }text${, a tail }text`: keep the delimiters.
        cuts.push([part.getStart(source) + 1, part.getEnd() - (raw.endsWith("${") ? 2 : 1)]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let out = code;
  for (const [start, end] of cuts.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + out.slice(end);
  return { code: out, removed: cuts.length };
}
