/**
 * How every answer of the sandbox leaves — the API's and the control API's
 * (pipeline.ts), the hosted page's (page/routes.ts), the dashboard's and
 * the API reference's: with a request id of its own, the headers every
 * answer carries (`X-Request-Id`, `X-Medblocks-Sandbox`), and one line of
 * the request log, written here once per request — also for a request that
 * ends without an answer (a dropped-connection fault, a caller that went
 * away), which is logged and then left to the transport to end.
 */
import { randomUUID } from "node:crypto";
import type { Core } from "../core.js";
import { DroppedConnection } from "../control/faults.js";
import { SANDBOX_VERSION } from "../version.js";

/** One line of the request log: no key, no path parameter, no body (they can hold patient data). */
export interface RequestLogEntry {
  method: string;
  /** The route's template, e.g. `/patients/{id}`. */
  route: string;
  status: number;
  ms: number;
  requestId: string;
  /** Why no answer was sent: a fault dropped the connection, or the caller went away. */
  note?: string;
  /**
   * On the first request with a key that has no workspace yet (a new key, or
   * a mistyped one): the key's last 4 characters, as a dashboard shows a key.
   */
  newKey?: string;
}

/** An answer before it leaves: its status, the headers of its kind (a fresh object: the sandbox's are added to it), its body. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

/** The headers every answer carries. */
export const sandboxHeaders = (requestId: string): Record<string, string> => ({
  "x-request-id": requestId,
  "x-medblocks-sandbox": SANDBOX_VERSION,
});

/** Requests whose key was used for the first time, with the key's hint for their log line. */
const newKeys = new WeakMap<Request, string>();

/** Notes on the request's log line that its key is used for the first time; `hint` is what the log shows of the key. */
export function noteNewKey(request: Request, hint: string): void {
  newKeys.set(request, hint);
}

/**
 * Answers `request` with what `make` makes of it (`make` gets the request
 * id, which an error body repeats) and logs it under `route`; `logged`
 * also receives the log line (the dashboard's activity).
 */
export async function reply(
  core: Core,
  request: Request,
  route: string,
  make: (requestId: string) => Promise<Reply> | Reply,
  logged?: (entry: RequestLogEntry) => void,
): Promise<Response> {
  const started = performance.now();
  const requestId = randomUUID();
  const log = (status: number, note?: string) => {
    const newKey = newKeys.get(request);
    const entry: RequestLogEntry = {
      method: request.method,
      route,
      status,
      ms: performance.now() - started,
      requestId,
      ...(note ? { note } : {}),
      ...(newKey ? { newKey } : {}),
    };
    core.log?.(entry);
    logged?.(entry);
  };
  let made: Reply;
  try {
    made = await make(requestId);
  } catch (error) {
    if (error instanceof DroppedConnection || request.signal.aborted) {
      log(0, error instanceof DroppedConnection ? "connection dropped (injected fault)" : "the caller went away");
    }
    throw error;
  }
  log(made.status);
  return new Response(made.body, { status: made.status, headers: Object.assign(made.headers, sandboxHeaders(requestId)) });
}
