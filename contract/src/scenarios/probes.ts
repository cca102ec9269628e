/**
 * Every documented error the check can provoke without changing anything:
 * no key and a key no server takes (401), an unsupported and a malformed
 * `Version` (400), a page size above the spec's maximum (400), and an id
 * that cannot exist on every operation that takes one (404). A read-only
 * run sends only the GETs among them.
 */
import type { Run } from "../run.js";
import { bodyOf, isPaginated, operationIds, operations, paramsOf, type OperationId } from "../spec.js";
import { INVALID_KEY, MALFORMED_VERSION, UNSUPPORTED_VERSION, unknownId } from "../values.js";
import { pageSize } from "./paging.js";

/** The probes for the key and the version go to the first list that needs neither a path value nor a body. */
const plainList = (): OperationId => operationIds.find((id) => isPaginated(id) && !operations[id].path.includes("{"))!;

const pathNames = (operationId: OperationId) =>
  Object.entries(paramsOf(operationId))
    .filter(([, rule]) => rule.in === "path")
    .map(([name]) => name);

export async function probes(run: Run): Promise<void> {
  const list = plainList();
  const query = { [pageSize(list).name]: 1 };
  await run.call(list, { query, key: null, expect: { status: 401, code: "missing_api_key", why: "no API key" } });
  await run.call(list, { query, key: INVALID_KEY, expect: { status: 401, code: "invalid_api_key", why: "a key no server takes" } });
  await run.call(list, {
    query,
    version: UNSUPPORTED_VERSION,
    expect: { status: 400, code: "unsupported_api_version", why: "a Version no server supports" },
  });
  await run.call(list, { query, version: MALFORMED_VERSION, expect: { status: 400, why: "a Version that is not a date" } });

  for (const operationId of operationIds) {
    if (isPaginated(operationId) && pathNames(operationId).length === 0) {
      const size = pageSize(operationId);
      await run.call(operationId, {
        query: { [size.name]: size.maximum + 1 },
        expect: { status: 400, why: `${size.name} above its maximum of ${size.maximum}` },
      });
    }
  }

  for (const operationId of operationIds) {
    const names = pathNames(operationId);
    // A required body could make a server create what it does not find: those operations are checked on the check's own objects.
    if (names.length === 0 || bodyOf(operationId)?.required) continue;
    if (run.readOnly && operations[operationId].method !== "GET") continue;
    const path = Object.fromEntries(names.map((name) => [name, unknownId(operationId, name, run.values.runId)]));
    await run.call(operationId, { path, expect: { status: 404, code: "resource_not_found", why: "an id that does not exist" } });
  }
}
