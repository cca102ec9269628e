/**
 * List methods return a ListPromise: await it for the first page, or iterate
 * it for every item, fetching pages only as the loop needs them. A walk ends
 * at the last page, and stops with `unexpected_response` when the server
 * would make it loop (a cursor seen before, an empty page that says more).
 */
import { APIPromise, type WithResponse } from "./api-promise.js";
import { unexpectedResponse } from "./errors.js";
import { optionError } from "./options.js";
import type { Page } from "./types.js";

/** Where the next page starts: after a `next_cursor`, or before a `previous_cursor`. */
export type PageCursor = { starting_after: string } | { ending_before: string };

/** What paging needs of a page; record pages add `previous_cursor`. */
export type AnyPage<T> = Omit<Page<T>, "resource_type"> & { readonly previous_cursor?: string | null };

/** Which way a walk goes: along `next_cursor`, or (record pages) back along `previous_cursor`. */
export interface AutoPagingOptions {
  direction?: "forward" | "backward" | undefined;
}

/** The most items `autoPagingToArray` collects; walk longer lists with `autoPagingEach` or `for await`. */
export const MAX_TO_ARRAY = 10_000;

const LABEL = "autoPagingIterator";

export class ListPromise<T, P extends AnyPage<T> = Page<T>> extends APIPromise<P> implements AsyncIterable<T> {
  readonly #fetchPage: (cursor: PageCursor | undefined) => Promise<WithResponse<P>>;
  readonly #startCursor: string | undefined;

  /**
   * @param fetchPage fetches the page at `cursor` (the first page, as asked, when undefined).
   * @param startCursor the cursor the first page was asked from, if any: part of the walk.
   */
  constructor(fetchPage: (cursor: PageCursor | undefined) => Promise<WithResponse<P>>, startCursor?: string) {
    // The first page is fetched when the list is first awaited or iterated, not before.
    super(() => fetchPage(undefined));
    this.#fetchPage = fetchPage;
    this.#startCursor = startCursor;
  }

  /**
   * A list over `fetchPage(query)`: the first page with the caller's
   * `params`, later ones with the caller's cursor replaced by the page's.
   */
  static from<T, P extends AnyPage<T>, Q extends object>(params: Q, fetchPage: (query: Q) => APIPromise<P>): ListPromise<T, P> {
    const { starting_after, ending_before } = params as { starting_after?: unknown; ending_before?: unknown };
    const start = starting_after ?? ending_before;
    return new ListPromise<T, P>(
      (cursor) => fetchPage(pageQuery(params, cursor)).withResponse(),
      typeof start === "string" ? start : undefined,
    );
  }

  /**
   * Every item from the first page on, the next page requested when the
   * current one is used up. `direction: "backward"` (record pages only)
   * walks `previous_cursor` instead and yields items newest-last-first: the
   * exact reverse of the forward walk.
   */
  async *autoPagingIterator(options: AutoPagingOptions = {}): AsyncGenerator<T, void, undefined> {
    const direction = options?.direction;
    const backward = direction === "backward";
    const seen = new Set<string>(this.#startCursor === undefined ? [] : [this.#startCursor]);
    let page = backward || direction === undefined || direction === "forward" ? (await this.withResponse()).data : undefined;
    // Only record pages have a `previous_cursor` to walk back along.
    if (!page || (backward && page.previous_cursor === undefined))
      throw optionError(LABEL, "direction", '"forward", or "backward" on records');
    for (;;) {
      const data: unknown = page?.data;
      if (!Array.isArray(data)) throw unexpectedResponse(LABEL, "a page came back without its `data` list");
      if (backward) for (let index = data.length - 1; index >= 0; index--) yield data[index] as T;
      else yield* data as T[];
      // A page that says there is more names where it continues; anything else is the server's mistake.
      if (backward ? page.previous_cursor === null : page.has_more !== true) return;
      const next: unknown = backward ? page.previous_cursor : page.next_cursor;
      if (typeof next !== "string" || !next) throw unexpectedResponse(LABEL, "a page says there is more without a cursor to it");
      if (data.length === 0) throw unexpectedResponse(LABEL, "an empty page says there is more; stopping instead of looping");
      if (seen.has(next))
        throw unexpectedResponse(LABEL, "the server returned a cursor it had returned before; stopping instead of looping forever");
      seen.add(next);
      page = (await this.#fetchPage(backward ? { ending_before: next } : { starting_after: next })).data;
    }
  }

  [Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    return this.autoPagingIterator();
  }

  /**
   * Calls `onItem` with every item in turn, awaiting what it returns; return
   * `false` (or a promise of it) to stop. Resolves when the walk ends.
   */
  async autoPagingEach(onItem: (item: T) => unknown, options?: AutoPagingOptions): Promise<void> {
    if (typeof onItem !== "function") throw optionError("autoPagingEach", "onItem", "a function called with each item");
    for await (const item of this.autoPagingIterator(options)) {
      if ((await onItem(item)) === false) return;
    }
  }

  /**
   * Up to `limit` items (required, at most 10,000, as in stripe-node), in
   * walk order; fetches only the pages needed.
   */
  async autoPagingToArray(options: AutoPagingOptions & { limit: number }): Promise<T[]> {
    const limit = options?.limit;
    if (!(Number.isInteger(limit) && limit >= 1 && limit <= MAX_TO_ARRAY)) {
      throw optionError(
        "autoPagingToArray",
        "limit",
        `an integer from 1 to ${MAX_TO_ARRAY} (walk longer lists with autoPagingEach or for await)`,
      );
    }
    const items: T[] = [];
    for await (const item of this.autoPagingIterator(options)) {
      if (items.push(item) >= limit) break;
    }
    return items;
  }
}

/** The query for the page at `cursor`: the caller's filters, with the caller's own cursor replaced. */
function pageQuery<Q extends object>(params: Q, cursor: PageCursor | undefined): Q {
  if (!cursor) return params;
  const {
    starting_after: _after,
    ending_before: _before,
    ...filters
  } = params as Q & { starting_after?: unknown; ending_before?: unknown };
  return { ...filters, ...cursor } as Q;
}
