import { describe, expect, it } from "vitest";
import { isMedblocksError } from "../src/index.js";
import { fakeClient, json } from "./support/fake-fetch.js";

function source(n: number) {
  return { id: `fhirsrc_${n}`, resource_type: "fhir_source", name: `EHR ${n}`, type: "epic", fhir_base_url: `https://f${n}.example`, logo_url: null, portal_url: null };
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
    const { mb, requests } = fakeClient(() => json({ resource_type: "list", data: [source(1)], has_more: false, next_cursor: "fhirsrc_1" }));
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
    const { mb } = fakeClient(() => json({ error: { type: "api_error", code: "internal_error", message: "boom", param: null, doc_url: "d", request_id: "r" } }, 500));
    await expect(mb.patients.listPatientSessions("user_42")).rejects.toMatchObject({ code: "internal_error", statusCode: 500 });
    const caught = await mb.patients.listPatientSessions("user_42").catch((error: unknown) => error);
    expect(isMedblocksError(caught)).toBe(true);
  });
});
