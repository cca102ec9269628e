/**
 * The list envelope and its cursors. A cursor names a position, not a
 * row: for workspace lists the creation number of the page's last item
 * (so deleting that item does not break the walk), for the catalog its
 * index. Cursors are opaque to callers: pass `next_cursor` back unchanged.
 */
import { invalid } from "../errors.js";
import { parameterDefault, type OperationId } from "../spec.js";
import type { Keyed, Table } from "../state/table.js";

export interface ListEnvelope<W> {
  resource_type: "list";
  data: W[];
  has_more: boolean;
  next_cursor: string | null;
}

type CursorKind = "seq" | "catalog";

export const encodeListCursor = (kind: CursorKind, position: number): string => Buffer.from(`${kind}:${position}`).toString("base64url");

/** The position in a cursor of `kind`; a 400 on `starting_after` otherwise. */
export function decodeListCursor(kind: CursorKind, cursor: string): number {
  const match = /^([a-z]+):(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!match || match[1] !== kind || Buffer.from(`${kind}:${match[2]}`).toString("base64url") !== cursor) {
    throw invalid("starting_after", "is not a cursor from this list: pass back a `next_cursor` unchanged.");
  }
  return Number(match[2]);
}

/** The page size asked for, or the spec's default. */
export const limitOf = (operationId: OperationId, query: Record<string, unknown>): number =>
  (query.limit as number | undefined) ?? (parameterDefault(operationId, "limit") as number);

/** One page of a workspace table, newest first, as the list envelope. */
export function listPage<T extends Keyed, W>(
  operationId: OperationId,
  table: Table<T>,
  query: Record<string, unknown>,
  toObject: (row: T) => W,
  filter?: (row: T) => boolean,
): ListEnvelope<W> {
  const after = query.starting_after === undefined ? undefined : decodeListCursor("seq", query.starting_after as string);
  const page = table.page(limitOf(operationId, query), after, filter);
  const last = page.data[page.data.length - 1];
  return {
    resource_type: "list",
    data: page.data.map(toObject),
    has_more: page.hasMore,
    next_cursor: page.hasMore && last ? encodeListCursor("seq", last.seq) : null,
  };
}
