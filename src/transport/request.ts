/**
 * A call made ready to send, once, before its first attempt: options and
 * inputs checked, the URL built by openapi-fetch's own serializers (the
 * spec's path encoding and form-style query), the body written as JSON, the
 * headers set, and the call's limits taken from its options or the client's.
 */
import { createFinalURL, createQuerySerializer, defaultPathSerializer } from "openapi-fetch";
import type { operations as Operations } from "../../generated/api.js";
import { operations } from "../../generated/schemas.js";
import { MedblocksError } from "../errors.js";
import type { MedblocksLogger } from "../logger.js";
import { checkOptions, REQUEST_RULES, type RequestOptions } from "../options.js";
import type { Undefinable } from "../undefinable.js";
import { validateRequest, type OperationId } from "../validation.js";
import { VERSION } from "../version.js";

/** What the client was made with: every call's defaults. */
export interface TransportConfig {
  apiKey: string;
  baseUrl: string;
  version: string;
  timeout: number;
  maxNetworkRetries: number;
  /** Seconds one call may sleep between attempts, in total. */
  maxRetryWait: number;
  maxResponseBytes: number;
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  logger: MedblocksLogger | undefined;
}

/** The operation's path parameters, query and JSON body, as the spec describes them (a field left out may be `undefined`). */
export type OperationParts<K extends OperationId> = {
  path?: Operations[K]["parameters"]["path"];
  query?: Undefinable<Operations[K]["parameters"]["query"]>;
  body?: Operations[K] extends { requestBody?: { content: { "application/json": infer Body } } } ? Undefinable<Body> | undefined : never;
};

/** One call, ready for its attempts: every attempt sends the same URL, headers and bytes. */
export interface PreparedRequest {
  /** The client method, for messages and the log. */
  label: string;
  method: string;
  /** The path template (`/patients/{id}`), for the log. */
  path: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** A POST has no idempotency key, so fewer of its failures are retried. */
  isPost: boolean;
  /** The base URL and path template: what messages name instead of the URL, whose path values can be patient identifiers. */
  template: string;
  /** `METHOD template`, as messages say it. */
  where: string;
  /** Milliseconds each attempt may take. */
  timeout: number;
  maxRetries: number;
  /** Milliseconds the call may wait between attempts, in total. */
  maxWaitMs: number;
  maxBytes: number;
  signal: AbortSignal | undefined;
}

/** openapi-fetch's default query serializer (form style, arrays exploded), made once. */
const querySerializer = /* @__PURE__ */ createQuerySerializer();

/** The function that prepares each call of a client made with `config`. */
export function requestPreparer(config: TransportConfig) {
  const authorization = `Bearer ${config.apiKey}`;
  const userAgent = `medblocks-client/${VERSION}`;

  /** Throws a MedblocksError for a bad option or input: nothing is sent then. */
  return function prepare<K extends OperationId>(
    operationId: K,
    label: string,
    parts: OperationParts<K>,
    options: RequestOptions | undefined,
  ): PreparedRequest {
    const rules = operations[operationId];
    if (options !== undefined) checkOptions(label, options, REQUEST_RULES);
    const version = options?.version;
    validateRequest(operationId, label, version === undefined ? parts : { ...parts, header: { Version: version } });
    const url = createFinalURL(rules.path, {
      baseUrl: config.baseUrl,
      // Only a path with parameters goes through the path serializer.
      params: parts.path ? { path: parts.path, query: parts.query ?? {} } : { query: parts.query ?? {} },
      querySerializer,
      pathSerializer: defaultPathSerializer,
    });
    // Serialized once, so every retry re-sends the identical bytes.
    let body: string | undefined;
    try {
      body = parts.body === undefined ? undefined : JSON.stringify(parts.body);
    } catch {
      throw new MedblocksError({
        type: "invalid_request_error",
        code: "invalid_data",
        message: `${label}: the request body cannot be written as JSON (does it hold a BigInt or a circular reference?)`,
      });
    }
    // A literal, not a spread of shared defaults: V8 takes a slow path (about half a
    // microsecond) for each property added to an object a spread made.
    let headers: Record<string, string> = {
      Authorization: options?.apiKey === undefined ? authorization : `Bearer ${options.apiKey}`,
      Accept: "application/json",
      "User-Agent": userAgent,
    };
    // A spread, not Object.assign: a header named `__proto__` is sent, not taken for the prototype.
    if (options?.headers !== undefined) headers = { ...headers, ...options.headers };
    // /health takes no Version; every other operation gets the call's or the client's.
    if ("Version" in rules.params) headers.Version = version ?? config.version;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const template = config.baseUrl + rules.path;
    return {
      label,
      method: rules.method,
      path: rules.path,
      url,
      headers,
      body,
      isPost: rules.method === "POST",
      template,
      where: `${rules.method} ${template}`,
      timeout: options?.timeout ?? config.timeout,
      maxRetries: options?.maxNetworkRetries ?? config.maxNetworkRetries,
      maxWaitMs: (options?.maxRetryWait ?? config.maxRetryWait) * 1000,
      maxBytes: options?.maxResponseBytes ?? config.maxResponseBytes,
      signal: options?.signal,
    };
  };
}
