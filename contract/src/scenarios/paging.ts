/**
 * Paging a list to its end, bounded: pages of the largest size the spec
 * allows, each `next_cursor` passed back as `starting_after`, until
 * `has_more` is false — or `--max-pages` pages, or a cursor seen before (a
 * server that would loop), which end the walk with a warning.
 */
import type { Run } from "../run.js";
import { operationLabel, paramsOf, type OperationId } from "../spec.js";

/** The page-size parameter of a list (`limit`, or `count` for records) and its largest allowed value. */
export function pageSize(operationId: OperationId): { name: string; maximum: number } {
  const entry = Object.entries(paramsOf(operationId)).find(
    ([, rule]) => rule.in === "query" && rule.schema.type === "integer" && typeof rule.schema.maximum === "number",
  );
  if (!entry) throw new Error(`${operationId}: no page-size parameter in the spec`);
  return { name: entry[0], maximum: entry[1].schema.maximum as number };
}

export interface Walk {
  /** Every item seen, in order. */
  items: any[];
  /** The last page's body, when one came. */
  last: any;
}

/** Walks `operationId` (a paginated list) from its first page. */
export async function walk(
  run: Run,
  operationId: OperationId,
  path: Record<string, string> = {},
  query: Record<string, string | number> = {},
): Promise<Walk> {
  const size = pageSize(operationId);
  const result: Walk = { items: [], last: undefined };
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 1; page <= run.options.maxPages; page++) {
    const answer = await run.call(operationId, {
      path,
      query: { ...query, [size.name]: size.maximum, ...(cursor !== undefined && { starting_after: cursor }) },
      expect: { status: 200, why: page === 1 ? "the first page" : "the next page" },
    });
    if (!answer?.success || !Array.isArray(answer.json?.data)) return result;
    result.items.push(...answer.json.data);
    result.last = answer.json;
    const next = answer.json.next_cursor;
    if (answer.json.has_more !== true) return result;
    if (typeof next !== "string") {
      run.recorder.warn({
        operationId,
        status: 200,
        text: `paging ${operationLabel(operationId)}: has_more is true but next_cursor is not a cursor; paging stopped`,
      });
      return result;
    }
    if (seen.has(next)) {
      run.recorder.warn({
        operationId,
        status: 200,
        text:
          `paging ${operationLabel(operationId)}: next_cursor repeated one seen before (a server answering the same page again); ` +
          `paging stopped`,
      });
      return result;
    }
    seen.add(next);
    cursor = next;
  }
  run.recorder.warn({
    operationId,
    status: 200,
    text: `paging ${operationLabel(operationId)}: stopped after ${run.options.maxPages} pages (--max-pages) before the list ended`,
  });
  return result;
}
