import { describe, expect, it } from "vitest";
import { isMedblocksError } from "../src/index.js";
import { fakeClient, json } from "./support/fake-fetch.js";

function source(n: number) {
  return {
    id: `fhirsrc_${n}`,
    resource_type: "fhir_source",
    name: `EHR ${n}`,
    type: "epic",
    fhir_base_url: `https://f${n}.example`,
    logo_url: null,
    portal_url: null,
  };
}

/** A catalog of `total` entries served `size` at a time, cursor = last id. */
function catalog(total: number) {
  return fakeClient((request) => {
    const size = Number(request.url.searchParams.get("limit") ?? 10);
    const after = request.url.searchParams.get("starting_after");
    const start = after ? Number(after.slice("fhirsrc_".length)) + 1 : 0;
    const data = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => source(start + i));
    const has_more = start + size < total;
    return json({ resource_type: "list", data, has_more, next_cursor: has_more ? data.at(-1)!.id : null });
  });
}

describe("ListPromise", () => {
  it("resolves to the first page when awaited", async () => {
    const { mb, requests } = catalog(25);
    const page = await mb.connections.list({ limit: 10 });
    expect(page.data.map((entry) => entry.id)).toEqual(Array.from({ length: 10 }, (_, i) => `fhirsrc_${i}`));
    expect(page.has_more).toBe(true);
    expect(page.next_cursor).toBe("fhirsrc_9");
    expect(requests).toHaveLength(1);
  });

  it("walks every item with for await, fetching pages with the previous cursor and the same filters", async () => {
    const { mb, requests } = catalog(25);
    const ids: string[] = [];
    for await (const entry of mb.connections.list({ limit: 10, type: "epic" })) ids.push(entry.id);
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `fhirsrc_${i}`));
    expect(requests.map((request) => request.url.searchParams.get("starting_after"))).toEqual([null, "fhirsrc_9", "fhirsrc_19"]);
    expect(requests.every((request) => request.url.searchParams.get("type") === "epic")).toBe(true);
  });

  it("fetches lazily: nothing before use, one page per page consumed", async () => {
    const { mb, requests } = catalog(100);
    const list = mb.connections.list({ limit: 10 });
    expect(requests).toHaveLength(0);
    const iterator = list.autoPagingIterator();
    for (let i = 0; i < 11; i++) await iterator.next();
    expect(requests).toHaveLength(2);
    await iterator.return(undefined);
  });

  it("reuses an awaited first page when iterated afterwards", async () => {
    const { mb, requests } = catalog(15);
    const list = mb.connections.list({ limit: 10 });
    await list;
    const ids: string[] = [];
    for await (const entry of list) ids.push(entry.id);
    expect(ids).toHaveLength(15);
    expect(requests).toHaveLength(2);
  });

  it("stops on has_more false even with a cursor, and on a null cursor", async () => {
    const { mb, requests } = fakeClient(() =>
      json({ resource_type: "list", data: [source(1)], has_more: false, next_cursor: "fhirsrc_1" }),
    );
    const ids: string[] = [];
    for await (const entry of mb.connections.list()) ids.push(entry.id);
    expect(ids).toEqual(["fhirsrc_1"]);
    expect(requests).toHaveLength(1);
  });

  it("stops with an error instead of looping when the server repeats a cursor", async () => {
    const { mb, requests } = fakeClient(() => json({ resource_type: "list", data: [source(1)], has_more: true, next_cursor: "same" }));
    const error = await (async () => {
      for await (const _ of mb.connections.list()) {
        // consume
      }
    })().catch((thrown: unknown) => thrown);
    expect(isMedblocksError(error) && error.code).toBe("unexpected_response");
    expect(requests).toHaveLength(2);
  });

  it("surfaces a failing page as a rejection, also from catch()", async () => {
    const { mb } = fakeClient(() =>
      json({ error: { type: "api_error", code: "internal_error", message: "boom", param: null, doc_url: "d", request_id: "r" } }, 500),
    );
    await expect(mb.patients.listPatientSessions("user_42")).rejects.toMatchObject({ code: "internal_error", statusCode: 500 });
    const caught = await mb.patients.listPatientSessions("user_42").catch((error: unknown) => error);
    expect(isMedblocksError(caught)).toBe(true);
  });
});

/** A server whose pages follow `cursors`: page n has one item and says has_more with cursors[n]. */
function looping(cursors: (string | null)[], dataFor: (index: number) => unknown[] = (index) => [source(index)]) {
  return fakeClient((_request, index) =>
    json({ resource_type: "list", data: dataFor(index), has_more: cursors[index] !== null, next_cursor: cursors[index] ?? null }),
  );
}

async function walkError(list: AsyncIterable<unknown>): Promise<unknown> {
  try {
    for await (const _ of list) {
      // consume
    }
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("walks that cannot end", () => {
  it("stop with unexpected_response when a cursor comes back after others (A, B, A)", async () => {
    const { mb, requests } = looping(["A", "B", "A", "B", "A"]);
    const error = await walkError(mb.connections.list());
    expect(isMedblocksError(error) && error.code).toBe("unexpected_response");
    expect((error as Error).message).toMatch(/the server returned a cursor it had returned before; stopping instead of looping forever/);
    expect(requests).toHaveLength(3);
  });

  it("stop when the server hands back the cursor the walk started from", async () => {
    const { mb, requests } = looping(["START"]);
    const error = await walkError(mb.connections.list({ starting_after: "START" }));
    expect(isMedblocksError(error) && error.code).toBe("unexpected_response");
    expect(requests).toHaveLength(1);
  });

  it("stop on an empty page that says there is more", async () => {
    const { mb, requests } = looping(["A", "B", "C"], (index) => (index === 0 ? [source(0)] : []));
    const error = await walkError(mb.connections.list());
    expect(isMedblocksError(error) && error.code).toBe("unexpected_response");
    expect((error as Error).message).toMatch(/an empty page says there is more; stopping instead of looping/);
    expect(requests).toHaveLength(2);
  });

  it("stop walking backward on a repeated previous_cursor", async () => {
    const { mb, requests } = fakeClient((_request, index) =>
      json({
        resource_type: "list",
        patient_id: "user_42",
        data: [{ source: null, resource: { resourceType: "Observation", id: `o${index}` } }],
        has_more: false,
        next_cursor: null,
        previous_cursor: index % 2 === 0 ? "aaaaaaaaaaaa" : "bbbbbbbbbbbb",
      }),
    );
    const error = await walkError({
      [Symbol.asyncIterator]: () => mb.patients.records("user_42").autoPagingIterator({ direction: "backward" }),
    });
    expect(isMedblocksError(error) && error.code).toBe("unexpected_response");
    expect(requests).toHaveLength(3);
  });

  it("answer a page without its data list with unexpected_response, not a TypeError", async () => {
    const { mb } = fakeClient(() => json({ resource_type: "list", has_more: false, next_cursor: null }));
    const error = await walkError(mb.connections.list());
    expect(isMedblocksError(error) && error.code).toBe("unexpected_response");
  });
});

describe("autoPagingToArray and autoPagingEach", () => {
  it("autoPagingToArray collects up to limit items, fetching only the pages it needs", async () => {
    const { mb, requests } = catalog(100);
    const items = await mb.connections.list({ limit: 10 }).autoPagingToArray({ limit: 25 });
    expect(items.map((entry) => entry.id)).toEqual(Array.from({ length: 25 }, (_, i) => `fhirsrc_${i}`));
    expect(requests).toHaveLength(3);
    expect(await mb.connections.list({ limit: 10 }).autoPagingToArray({ limit: 500 })).toHaveLength(100);
  });

  it.each([undefined, 0, 1.5, 10_001, "10"])("autoPagingToArray refuses limit %j before any request", async (limit) => {
    const { mb, requests } = catalog(5);
    const error = await mb.connections
      .list()
      .autoPagingToArray({ limit } as never)
      .catch((thrown: unknown) => thrown);
    expect(isMedblocksError(error) && error.param).toBe("limit");
    expect(requests).toHaveLength(0);
  });

  it("autoPagingEach visits every item in order and stops when the callback returns false (or a promise of it)", async () => {
    const { mb } = catalog(30);
    const all: string[] = [];
    await mb.connections.list({ limit: 10 }).autoPagingEach((entry) => void all.push(entry.id));
    expect(all).toHaveLength(30);
    const some: string[] = [];
    await mb.connections.list({ limit: 10 }).autoPagingEach(async (entry) => {
      some.push(entry.id);
      return some.length < 12;
    });
    expect(some).toEqual(Array.from({ length: 12 }, (_, i) => `fhirsrc_${i}`));
    const { mb: counted, requests } = catalog(30);
    await counted.connections.list({ limit: 10 }).autoPagingEach(() => false);
    expect(requests).toHaveLength(1);
  });
});

describe("a ListPromise is a real Promise", () => {
  it("passes where a Promise is expected, and offers withResponse()", async () => {
    const { mb } = catalog(15);
    const list = mb.connections.list({ limit: 10 });
    expect(list).toBeInstanceOf(Promise);
    const [page] = await Promise.all([list]);
    expect(page.data).toHaveLength(10);
    const { data, response, requestId } = await list.withResponse();
    expect(data).toBe(page);
    expect(response.status).toBe(200);
    expect(requestId).toBeNull();
  });
});
