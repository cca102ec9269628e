/**
 * One collection of a workspace: records by id, and in creation order for
 * lists. Lists read newest first; a page starts below a sequence number, so
 * a cursor stays valid when the record it came from is deleted. Every change
 * goes through `insert`, `update` or `delete`, which note the record's id:
 * the state file writes those records (persist.ts) before the change is
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

  constructor(records: Iterable<T> = []) {
    for (const record of [...records].sort((a, b) => a.seq - b.seq)) this.insert(record);
    this.forgetChanged();
  }

  get size(): number {
    return this.#ordered.length;
  }

  get(id: string): T | undefined {
    return this.#byId.get(id);
  }

  insert(record: T): T {
    if (this.#byId.has(record.id)) throw new Error(`duplicate id ${record.id}`);
    const last = this.#ordered[this.#ordered.length - 1];
    if (last && last.seq >= record.seq) throw new Error(`out-of-order seq ${record.seq}`);
    this.#byId.set(record.id, record);
    this.#ordered.push(record);
    this.#changed[this.#changedCount++] = record.id;
    return record;
  }

  /** Changes fields of a record of this table, in place. */
  update(record: T, changes: Partial<Omit<T, "id" | "seq">>): T {
    Object.assign(record, changes);
    this.#changed[this.#changedCount++] = record.id;
    return record;
  }

  delete(id: string): T | undefined {
    const record = this.#byId.get(id);
    if (!record) return undefined;
    this.#byId.delete(id);
    this.#ordered.splice(this.#indexOfSeq(record.seq), 1);
    this.#changed[this.#changedCount++] = id;
    return record;
  }

  /** Lets go of what changed, as written (or as nobody writes it). */
  forgetChanged(): void {
    this.#changedCount = 0;
  }

  /** What changed since the last call: the records now there, and the ids no longer there. */
  takeChanged(): { put: T[]; gone: string[] } {
    const put: T[] = [];
    const gone: string[] = [];
    for (const id of new Set(this.#changed.slice(0, this.#changedCount))) {
      const record = this.#byId.get(id);
      if (record) put.push(record);
      else gone.push(id);
    }
    this.forgetChanged();
    return { put, gone };
  }

  /** Records in creation order (a copy: safe to delete while iterating). */
  all(): T[] {
    return [...this.#ordered];
  }

  /** Newest first, records matching `filter` older than `beforeSeq` (all when undefined), at most `limit`. */
  page(limit: number, beforeSeq: number | undefined, filter?: (record: T) => boolean): PageOf<T> {
    const data: T[] = [];
    let index = beforeSeq === undefined ? this.#ordered.length - 1 : this.#indexOfSeq(beforeSeq) - 1;
    for (; index >= 0; index--) {
      const record = this.#ordered[index]!;
      if (filter && !filter(record)) continue;
      if (data.length === limit) return { data, hasMore: true };
      data.push(record);
    }
    return { data, hasMore: false };
  }

  /** Every record matching `filter`, newest first. */
  newestFirst(filter: (record: T) => boolean): T[] {
    const data: T[] = [];
    for (let index = this.#ordered.length - 1; index >= 0; index--) if (filter(this.#ordered[index]!)) data.push(this.#ordered[index]!);
    return data;
  }

  /** The index of the first record with `seq >= target` (binary search). */
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
