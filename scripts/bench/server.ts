/**
 * The benchmark's HTTP server, run in its own process (see ./children.ts) so
 * its work does not compete with the client's event loop: on a 2-core
 * machine the client gets one core and this server the other.
 *
 * - `POST /<shape>/patient-sessions`: the spec's PatientSessionHosted
 *   example, as fixed bytes, in one of the response shapes (`SHAPES`): with
 *   a length, chunked in two parts without one, or gzip (fixed compressed
 *   bytes, so compressing costs the server nothing; only when the request
 *   accepts gzip, as a real server decides).
 * - `GET /connections?limit&starting_after`: pages of small FhirSource-like
 *   items generated on the fly, `TOTAL_ITEMS` in all; the cursor is the last
 *   item's id.
 *
 * Talks to its parent over IPC: it sends `{ port }` when listening, and
 * answers `{ type: "stats" }` (CPU time, request count, and answers per
 * shape: to tell whether the server was the bottleneck, and that each call
 * got the shape it was meant to) and `{ type: "last" }` (the last POST as
 * received, and the shape it was answered in, to check every variant sends
 * the same request).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { itemId, SESSION_ID, SHAPES, TOTAL_ITEMS, type Shape } from "./shared.js";

const SESSION = Buffer.from(
  JSON.stringify({
    id: SESSION_ID,
    resource_type: "patient_session",
    status: "open",
    url: "https://app.medblocks.com/c/9c9b6f7a8e4f4a3b9c1e6f3a2d8b7c4d",
    patient_id: "user_42",
    connection_id: null,
    recommended_connection_ids: ["fhirsrc_02Zh2bnvRoWQJYgOAkI0Twcc", "fhirsrc_0a9Ea55aR4u7HaWMyFBN8wcc"],
    return_url: "https://app.example.com/connected",
    return_button_label: "Back to Acme Health",
    connections: [],
    expires_at: "2026-04-25T15:00:00.000Z",
    metadata: { signup_source: "checkout" },
    created_at: "2026-04-25T14:30:00.000Z",
  }),
);

const SESSION_GZIP = gzipSync(SESSION);
const HALF = SESSION.length >> 1;

/** Answers with the session in `shape`; returns the shape it was answered in. */
function answerSession(shape: Shape, req: IncomingMessage, res: ServerResponse): Shape {
  if (shape === "chunked") {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.write(SESSION.subarray(0, HALF));
    res.end(SESSION.subarray(HALF));
    return "chunked";
  }
  if (shape === "gzip" && /\bgzip\b/i.test(req.headers["accept-encoding"] ?? "")) {
    res.writeHead(200, {
      "Content-Type": "application/json",
      "Content-Encoding": "gzip",
      "Content-Length": SESSION_GZIP.length,
      Vary: "Accept-Encoding",
    });
    res.end(SESSION_GZIP);
    return "gzip";
  }
  res.writeHead(200, { "Content-Type": "application/json", "Content-Length": SESSION.length });
  res.end(SESSION);
  return "length";
}

function page(query: URLSearchParams): Buffer {
  const limit = Math.min(100, Math.max(1, Number(query.get("limit") ?? 10) || 10));
  const after = query.get("starting_after");
  const start = after === null ? 0 : Number(after.slice("fhirsrc_".length)) + 1;
  const end = Math.min(TOTAL_ITEMS, start + limit);
  const data = [];
  for (let index = start; index < end; index++) {
    data.push({
      id: itemId(index),
      resource_type: "fhir_source",
      name: `Health System ${index}`,
      type: "epic",
      fhir_base_url: `https://fhir${index}.example.org/api/FHIR/R4`,
      logo_url: null,
      portal_url: null,
    });
  }
  const hasMore = end < TOTAL_ITEMS;
  return Buffer.from(JSON.stringify({ resource_type: "list", data, has_more: hasMore, next_cursor: hasMore ? itemId(end - 1) : null }));
}

const NOT_FOUND = Buffer.from(
  JSON.stringify({
    error: {
      type: "invalid_request_error",
      code: "resource_not_found",
      message: "no such route",
      param: null,
      doc_url: null,
      request_id: null,
    },
  }),
);

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  answeredAs: Shape;
}

let requests = 0;
let last: Received | undefined;
const answered = Object.fromEntries(SHAPES.map((shape) => [shape, 0])) as Record<Shape, number>;
const isShape = (segment: string): segment is Shape => (SHAPES as readonly string[]).includes(segment);

const server = createServer((req, res) => {
  requests++;
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const url = req.url ?? "/";
    const queryAt = url.indexOf("?");
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const [, shape = "", route] = path.split("/");
    if (req.method === "POST" && isShape(shape) && route === "patient-sessions" && path === `/${shape}/${route}`) {
      const answeredAs = answerSession(shape, req, res);
      answered[answeredAs]++;
      last = { method: req.method, url, headers: req.headers, body: Buffer.concat(chunks).toString(), answeredAs };
      return;
    }
    let status = 200;
    let body: Buffer;
    if (req.method === "GET" && path === "/connections") {
      body = page(new URLSearchParams(queryAt === -1 ? "" : url.slice(queryAt + 1)));
    } else {
      status = 404;
      body = NOT_FOUND;
    }
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": body.length });
    res.end(body);
  });
});
// Idle gaps between phases must not close the client's pooled connections.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("no address");
  process.send?.({ type: "listening", port: address.port });
});

process.on("message", (message: { type: string }) => {
  if (message.type === "stats") process.send?.({ type: "stats", cpuMicros: cpuMicros(), requests, answered });
  else if (message.type === "last") process.send?.({ type: "last", last: last ?? null });
});
// The parent going away (even killed) closes the IPC channel: leave with it.
process.on("disconnect", () => process.exit(0));

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
