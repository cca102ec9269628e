/**
 * A server that drifts from the spec on purpose: the in-process sandbox
 * (which answers as the spec says) with chosen answers changed on the way
 * out — a field renamed, a type changed, an enum value added, a required
 * field dropped, an undocumented status, a header left out.
 */
import { operationFor } from "../../../sandbox/test/support/harness.js";
import type { Sandbox } from "../../../sandbox/src/index.js";
import type { Handler } from "./serve.js";

/** An answer as a drift may change it. */
export interface Answer {
  status: number;
  headers: Headers;
  body: any;
  /** Sent instead of the JSON of `body` when set. */
  raw?: string;
}

export interface Drift {
  /** The operation and the status whose answers change. */
  operationId: string;
  status: number;
  change(answer: Answer): void;
}

/** The sandbox as a handler of requests to any origin (a loopback server's, say). */
export const sandboxHandler =
  (sb: Sandbox): Handler =>
  (request) => {
    const url = new URL(request.url);
    return sb.fetch(new Request(`${sb.baseUrl}${url.pathname}${url.search}`, request));
  };

/** `inner` with the answers `drifts` name changed. */
export function drifting(inner: Handler, drifts: Drift[]): Handler {
  return async (request) => {
    const response = await inner(request);
    const operationId = operationFor(request.method, new URL(request.url).pathname);
    const matching = drifts.filter((drift) => drift.operationId === operationId && drift.status === response.status);
    if (matching.length === 0) return response;
    const text = await response.text();
    const answer: Answer = { status: response.status, headers: new Headers(response.headers), body: text ? JSON.parse(text) : undefined };
    for (const drift of matching) drift.change(answer);
    answer.headers.delete("content-length");
    const body = answer.raw ?? (answer.body === undefined ? null : JSON.stringify(answer.body));
    return new Response(body, { status: answer.status, headers: answer.headers });
  };
}

/** Renames a field of the body's top-level object. */
export const rename = (from: string, to: string) => (answer: Answer) => {
  answer.body[to] = answer.body[from];
  delete answer.body[from];
};

/** The six drifts of the issue, each on its own operation, in the report's order (the spec's order of operations). */
export const SIX_DRIFTS: { drift: Drift; finding: string }[] = [
  {
    drift: { operationId: "api.initPatientSession", status: 200, change: (answer) => void delete answer.body.expires_at },
    finding: "POST /patient-sessions 200 /expires_at: is required but missing",
  },
  {
    drift: { operationId: "api.createPatient", status: 200, change: (answer) => void (answer.status = 201) },
    finding: "POST /patients 201 status: is not documented for this operation (documented: 200, 400, 401, 403, 404, 409, 413, 429, 500)",
  },
  {
    drift: {
      operationId: "api.getPatient",
      status: 200,
      change: (answer) => {
        for (const connection of answer.body.connections) connection.status = "paused";
      },
    },
    finding:
      "GET /patients/{id} 200 /connections/0/status: must be equal to one of the allowed values (active, failed, expired, " +
      "refresh_failed, disconnected)",
  },
  {
    drift: { operationId: "api.updatePatient", status: 200, change: rename("name", "display_name") },
    finding: "PUT /patients/{id} 200 /name: is required but missing; the object has undocumented field display_name",
  },
  {
    drift: {
      operationId: "api.listFhirSources",
      status: 200,
      change: (answer) => void (answer.body.has_more = String(answer.body.has_more)),
    },
    finding: "GET /connections 200 /has_more: must be boolean",
  },
  {
    drift: { operationId: "api.getFhirSource", status: 200, change: (answer) => answer.headers.delete("x-request-id") },
    finding: "GET /connections/{id} 200 header X-Request-Id: is missing: the spec declares it on this response",
  },
];
