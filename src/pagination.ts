/**
 * List methods return a ListPromise: await it for the first page, or iterate
 * it for every item, fetching pages only as the loop needs them.
 */
import { MedblocksError } from "./errors.js";
import type { Page } from "./types.js";

/** Where the next page starts: after a `next_cursor`, or before a `previous_cursor`. */
export type PageCursor = { starting_after: string } | { ending_before: string };

/** Fetches the page at `cursor` (the first page, as asked, when undefined). */
export type PageFetcher<P> = (cursor: PageCursor | undefined) => Promise<P>;

/** What paging needs of a page; record pages add `previous_cursor`. */
type AnyPage<T> = Omit<Page<T>, "resource_type"> & { readonly previous_cursor?: string | null };

export class ListPromise<T, P extends AnyPage<T> = Page<T>> implements PromiseLike<P>, AsyncIterable<T> {
  readonly #fetchPage: PageFetcher<P>;
  #first: Promise<P> | undefined;

  constructor(fetchPage: PageFetcher<P>) {
    this.#fetchPage = fetchPage;
  }

  /**
   * A list over `fetchPage(query)`: the first page with the caller's
   * `params`, later ones with the caller's cursor replaced by the page's.
   */
  static from<T, P extends AnyPage<T>, Q extends object>(params: Q, fetchPage: (query: Q) => Promise<P>): ListPromise<T, P> {
    return new ListPromise<T, P>((cursor) => fetchPage(pageQuery(params, cursor)));
  }

  /** The first page, fetched once however often it is awaited. */
  #firstPage(): Promise<P> {
    return (this.#first ??= this.#fetchPage(undefined));
  }

  then<R1 = P, R2 = never>(
    onfulfilled?: ((page: P) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#firstPage().then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<P | R> {
    return this.#firstPage().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<P> {
    return this.#firstPage().finally(onfinally);
  }

  /**
   * Every item from the first page on, the next page requested when the
   * current one is used up. `direction: "backward"` (record pages only)
   * walks `previous_cursor` instead and yields items newest-last-first: the
   * exact reverse of the forward walk.
   */
  async *autoPagingIterator(options: { direction?: "forward" | "backward" } = {}): AsyncGenerator<T, void, undefined> {
    const backward = options.direction === "backward";
    let page = await this.#firstPage();
    let cursor: string | undefined;
    for (;;) {
      if (backward) for (let index = page.data.length - 1; index >= 0; index--) yield page.data[index]!;
      else yield* page.data;
      const next = backward ? page.previous_cursor : page.has_more ? page.next_cursor : null;
      if (!next) return;
      if (next === cursor) {
        throw new MedblocksError({
          type: "api_error",
          code: "unexpected_response",
          message: "autoPagingIterator: the server returned the same cursor twice; stopping instead of looping forever",
        });
      }
      cursor = next;
      page = await this.#fetchPage(backward ? { ending_before: next } : { starting_after: next });
    }
  }

  [Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    return this.autoPagingIterator();
  }
}

/** The query for the page at `cursor`: the caller's filters, with the caller's own cursor replaced. */
function pageQuery<Q extends object>(params: Q, cursor: PageCursor | undefined): Q {
  if (!cursor) return params;
  const { starting_after: _after, ending_before: _before, ...filters } = params as Q & { starting_after?: unknown; ending_before?: unknown };
  return { ...filters, ...cursor } as Q;
}
