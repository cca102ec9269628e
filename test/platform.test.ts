/**
 * What the client adds on top of the wire for the platform operations: the
 * update id check, the conn_/fhirsrc_ trap, the `delivered` boolean, and
 * record paging in both directions.
 */
import { describe, expect, it } from "vitest";
import { isMedblocksError, type PatientConnectionRef } from "../src/index.js";
import { fakeClient, json } from "./support/fake-fetch.js";

const PATIENT = { id: "user_42", resource_type: "patient", email: null, name: null, metadata: {}, created_at: "2026-04-25T14:30:00.000Z" };

async function refused(run: Promise<unknown>, requests: unknown[]) {
  const error = await run.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(isMedblocksError(error), String(error)).toBe(true);
  expect(requests).toHaveLength(0);
  return error as { param: string; message: string; code: string };
}

describe("mb.patients.update", () => {
  it("sends the full replacement to the patient's path", async () => {
    const { mb, requests } = fakeClient(() => json(PATIENT));
    await mb.patients.update("user_42", { patient_id: "user_42", email: null });
    expect(requests[0]!.method).toBe("PUT");
    expect(requests[0]!.url.pathname).toBe("/patients/user_42");
    expect(JSON.parse(requests[0]!.body!)).toEqual({ patient_id: "user_42", email: null });
  });

  it("refuses a body whose patient_id differs from the path, before the network", async () => {
    const { mb, requests } = fakeClient(() => json(PATIENT));
    const error = await refused(mb.patients.update("user_42", { patient_id: "user_43" }), requests);
    expect(error.param).toBe("patient_id");
    expect(error.message).toMatch(/`patient_id` must be the id in the path/);
  });

  it("refuses a body without patient_id", async () => {
    const { mb, requests } = fakeClient(() => json(PATIENT));
    const error = await refused(mb.patients.update("user_42", { name: "Jane" } as never), requests);
    expect(error).toMatchObject({ param: "patient_id", code: "bad_request" });
  });
});

describe("mb.patients.disconnectConnection", () => {
  const disconnected = { id: "conn_1", resource_type: "connection", disconnected: true };

  it("takes the conn_ id, or the link object from retrieve", async () => {
    const { mb, requests } = fakeClient(() => json(disconnected));
    await mb.patients.disconnectConnection("user_42", "conn_1");
    await mb.patients.disconnectConnection("user_42", { id: "conn_2", resource_type: "connection" });
    expect(requests.map((request) => [request.method, request.url.pathname])).toEqual([
      ["DELETE", "/patients/user_42/connections/conn_1"],
      ["DELETE", "/patients/user_42/connections/conn_2"],
    ]);
  });

  it("explains the trap when given a fhirsrc_ id", async () => {
    const { mb, requests } = fakeClient(() => json(disconnected));
    const error = await refused(mb.patients.disconnectConnection("user_42", "fhirsrc_1" as PatientConnectionRef), requests);
    expect(error.param).toBe("connection_id");
    expect(error.message).toMatch(
      new RegExp(
        /`connection_id` must be the patient.s link \(its conn_ id\) from mb\.patients\.retrieve\(id\)\.connections, /.source +
          /not the fhirsrc_ id of the EHR in the catalog/.source,
      ),
    );
  });

  it("refuses any other id by the spec's pattern", async () => {
    const { mb, requests } = fakeClient(() => json(disconnected));
    const error = await refused(mb.patients.disconnectConnection("user_42", "link_1" as PatientConnectionRef), requests);
    expect(error.message).toMatch(/starting with `conn_`/);
  });
});

describe("mb.webhooks.listEvents", () => {
  it.each([
    [true, "true"],
    [false, "false"],
    ["true", "true"],
  ] as const)("sends delivered=%s as the string %s", async (delivered, wire) => {
    const { mb, requests } = fakeClient(() => json({ resource_type: "list", data: [], has_more: false, next_cursor: null }));
    await mb.webhooks.listEvents("wh_1", { delivered });
    expect(requests[0]!.url.searchParams.get("delivered")).toBe(wire);
  });

  it("refuses any other delivered value", async () => {
    const { mb, requests } = fakeClient(() => json({}));
    const error = await refused(Promise.resolve(mb.webhooks.listEvents("wh_1", { delivered: "yes" as never })), requests);
    expect(error.param).toBe("delivered");
  });
});

describe("mb.patients.records paging", () => {
  // 25 records in pages of `count`; cursors are the 12-character index of the page's edge.
  const cursor = (index: number) => `c${String(index).padStart(11, "0")}`;
  const indexOf = (value: string | null) => (value === null ? null : Number(value.slice(1)));
  const record = (index: number) => ({ source: "fhirsrc_1", resource: { resourceType: "Observation", id: `obs-${index}` } });

  function records(total = 25) {
    return fakeClient((request) => {
      const count = Number(request.url.searchParams.get("count") ?? 100);
      const after = indexOf(request.url.searchParams.get("starting_after"));
      const before = indexOf(request.url.searchParams.get("ending_before"));
      const start = before !== null ? Math.max(0, before - count) : after !== null ? after + 1 : 0;
      const end = Math.min(total, before !== null ? before : start + count);
      const data = Array.from({ length: end - start }, (_, i) => record(start + i));
      return json({
        resource_type: "list",
        patient_id: "user_42",
        data,
        has_more: end < total,
        next_cursor: end < total ? cursor(end - 1) : null,
        previous_cursor: start > 0 ? cursor(start) : null,
      });
    });
  }

  const ids = async (iterable: AsyncIterable<{ resource: { id?: string } }>) => {
    const found: string[] = [];
    for await (const item of iterable) found.push(item.resource.id!);
    return found;
  };

  it("walks forward over every page", async () => {
    const { mb, requests } = records();
    expect(await ids(mb.patients.records("user_42", { count: 10, type: "Observation" }))).toEqual(
      Array.from({ length: 25 }, (_, i) => `obs-${i}`),
    );
    expect(requests.map((request) => request.url.searchParams.get("starting_after"))).toEqual([null, cursor(9), cursor(19)]);
    expect(requests.every((request) => request.url.searchParams.get("type") === "Observation")).toBe(true);
  });

  it("walks backward from an ending_before cursor, newest first", async () => {
    const { mb, requests } = records();
    const list = mb.patients.records("user_42", { count: 10, ending_before: cursor(25) });
    expect(await ids({ [Symbol.asyncIterator]: () => list.autoPagingIterator({ direction: "backward" }) })).toEqual(
      Array.from({ length: 25 }, (_, i) => `obs-${24 - i}`),
    );
    expect(requests.map((request) => request.url.searchParams.get("ending_before"))).toEqual([cursor(25), cursor(15), cursor(5)]);
    expect(requests.every((request) => !request.url.searchParams.has("starting_after"))).toBe(true);
  });

  it("pages by hand with next_cursor and previous_cursor", async () => {
    const { mb } = records();
    const first = await mb.patients.records("user_42", { count: 10 });
    const second = await mb.patients.records("user_42", { count: 10, starting_after: first.next_cursor! });
    const back = await mb.patients.records("user_42", { count: 10, ending_before: second.previous_cursor! });
    expect(back.data).toEqual(first.data);
    expect(first.previous_cursor).toBeNull();
  });

  it("refuses a count out of bounds and a cursor of the wrong length", async () => {
    const { mb, requests } = records();
    expect((await refused(Promise.resolve(mb.patients.records("user_42", { count: 101 })), requests)).param).toBe("count");
    expect((await refused(Promise.resolve(mb.patients.records("user_42", { starting_after: "short" })), requests)).param).toBe(
      "starting_after",
    );
  });
});
