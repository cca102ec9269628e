/**
 * One collection of a workspace: rows by id, and in creation order for
 * lists. Lists read newest first; a page starts below a sequence number, so
 * a cursor stays valid when the row it came from is deleted. Every change
 * goes through `insert`, `update` or `delete`, which note the row's id:
 * the state file writes those rows (file.ts) before the change is
 * answered.
 */
export interface Keyed {
  id: string;
  seq: number;
}

export interface PageOf<T> {
  data: T[];
  hasMore: boolean;
}

export class Table<T extends Keyed> {
  readonly #byId = new Map<string, T>();
  /** Ascending `seq`. */
  readonly #ordered: T[] = [];
  /**
   * Ids inserted, updated or deleted since the last `takeChanged()`, repeats
   * included: the first `#changedCount` of `#changed`. A list reused in place
   * rather than a Set that is cleared: without a state file the changes are
   * let go after every one, and V8's `Set#clear` (or a shrinking delete)
   * allocates a new table each time — garbage that outlived the young
   * generation and grew the heap by ~20 MB over 10,000 sessions.
   */
  readonly #changed: string[] = [];
  #changedCount = 0;

  constructor(rows: Iterable<T> = []) {
    for (const row of [...rows].sort((a, b) => a.seq - b.seq)) this.insert(row);
    this.forgetChanged();
  }

  get size(): number {
    return this.#ordered.length;
  }

  get(id: string): T | undefined {
    return this.#byId.get(id);
  }

  insert(row: T): T {
    if (this.#byId.has(row.id)) throw new Error(`duplicate id ${row.id}`);
    const last = this.#ordered[this.#ordered.length - 1];
    if (last && last.seq >= row.seq) throw new Error(`out-of-order seq ${row.seq}`);
    this.#byId.set(row.id, row);
    this.#ordered.push(row);
    this.#changed[this.#changedCount++] = row.id;
    return row;
  }

  /** Changes fields of a row of this table, in place. */
  update(row: T, changes: Partial<Omit<T, "id" | "seq">>): T {
    Object.assign(row, changes);
    this.#changed[this.#changedCount++] = row.id;
    return row;
  }

  delete(id: string): T | undefined {
    const row = this.#byId.get(id);
    if (!row) return undefined;
    this.#byId.delete(id);
    this.#ordered.splice(this.#indexOfSeq(row.seq), 1);
    this.#changed[this.#changedCount++] = id;
    return row;
  }

  /** Lets go of what changed, as written (or as nobody writes it). */
  forgetChanged(): void {
    this.#changedCount = 0;
  }

  /** What changed since the last call: the rows now there, and the ids no longer there. */
  takeChanged(): { put: T[]; gone: string[] } {
    const put: T[] = [];
    const gone: string[] = [];
    for (const id of new Set(this.#changed.slice(0, this.#changedCount))) {
      const row = this.#byId.get(id);
      if (row) put.push(row);
      else gone.push(id);
    }
    this.forgetChanged();
    return { put, gone };
  }

  /** Records in creation order (a copy: safe to delete while iterating). */
  all(): T[] {
    return [...this.#ordered];
  }

  /** Newest first, rows matching `filter` older than `beforeSeq` (all when undefined), at most `limit`. */
  page(limit: number, beforeSeq: number | undefined, filter?: (row: T) => boolean): PageOf<T> {
    const data: T[] = [];
    let index = beforeSeq === undefined ? this.#ordered.length - 1 : this.#indexOfSeq(beforeSeq) - 1;
    for (; index >= 0; index--) {
      const row = this.#ordered[index]!;
      if (filter && !filter(row)) continue;
      if (data.length === limit) return { data, hasMore: true };
      data.push(row);
    }
    return { data, hasMore: false };
  }

  /** Every row matching `filter`, newest first. */
  newestFirst(filter: (row: T) => boolean): T[] {
    const data: T[] = [];
    for (let index = this.#ordered.length - 1; index >= 0; index--) if (filter(this.#ordered[index]!)) data.push(this.#ordered[index]!);
    return data;
  }

  /** The index of the first row with `seq >= target` (binary search). */
  #indexOfSeq(target: number): number {
    let low = 0;
    let high = this.#ordered.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#ordered[middle]!.seq < target) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
