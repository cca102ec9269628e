/**
 * An in-process sandbox whose every response is checked on the way out:
 * against the spec (status declared, body and headers fit) for API calls,
 * and for the sandbox's own promises everywhere — `X-Request-Id` on every
 * response and equal to `error.request_id`, `X-Medblocks-Sandbox`, no CORS
 * header. Tests assert `violations` is empty after each test
 * (`expectNoViolations`), and can read which operation answered which status.
 */
import { afterEach, expect } from "vitest";
import { Medblocks, type MedblocksError, type MedblocksOptions } from "../../../src/index.js";
import { createSandbox, type SandboxOptions } from "../../src/index.js";
import { operations, spec, type OperationId } from "../../src/spec.js";
import { ajv } from "../../src/validation/ajv.js";
import { responseViolations } from "../../src/validation/responses.js";

const ROUTES = (Object.entries(operations) as [OperationId, { method: string; path: string }][]).map(([operationId, { method, path }]) => ({
  operationId,
  method,
  pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
}));

/** The operation a request went to, if any. */
export function operationFor(method: string, pathname: string): OperationId | undefined {
  return ROUTES.find((route) => route.method === method && route.pattern.test(pathname))?.operationId;
}

export interface Exchange {
  operationId: OperationId | undefined;
  method: string;
  status: number;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: any;
}

export interface RawRequest {
  query?: Record<string, string>;
  body?: unknown;
  /** Sent as is, instead of `body`. */
  text?: string;
  headers?: Record<string, string>;
  /** The API key; `null` sends no Authorization header. Default: the sandbox's key. */
  key?: string | null;
}

type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * `inner` with every exchange checked: violations of the spec or of the
 * sandbox's promises go to `violations`, each exchange to `exchanges`.
 */
export function checkingFetch(inner: FetchLike, violations: string[], exchanges: Exchange[]): FetchLike {
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const response = await inner(request);
    const url = new URL(request.url);
    const operationId = operationFor(request.method, url.pathname);
    const text = await response.clone().text();
    const where = `${request.method} ${url.pathname} → ${response.status}`;
    let body: any;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      violations.push(`${where}: the body is not JSON`);
    }
    const requestId = response.headers.get("x-request-id");
    if (!requestId) violations.push(`${where}: no X-Request-Id`);
    if (!response.headers.get("x-medblocks-sandbox")) violations.push(`${where}: no X-Medblocks-Sandbox`);
    for (const [name] of response.headers) if (name.startsWith("access-control-")) violations.push(`${where}: CORS header ${name}`);
    // A HEAD (the client asks one to tell a redirect from a lost connection) is answered without a body.
    if (response.status >= 400 && request.method !== "HEAD" && body?.error?.request_id !== requestId)
      violations.push(`${where}: error.request_id differs from X-Request-Id`);
    if (operationId) {
      for (const problem of responseViolations(operationId, response.status, response.headers, body))
        violations.push(`${where}: ${problem}`);
    }
    exchanges.push({ operationId, method: request.method, status: response.status });
    return response;
  };
}

export function harness(options: SandboxOptions = {}) {
  /** What the sandbox warned about (e.g. an endpoint it will not deliver to), instead of stderr. */
  const reports: string[] = [];
  const sb = createSandbox({ report: (message) => reports.push(message), ...options });
  const violations: string[] = [];
  const exchanges: Exchange[] = [];
  const fetch = checkingFetch(sb.fetch, violations, exchanges);

  /** The client on this sandbox (no retries unless asked). */
  const client = ({ key, ...options }: MedblocksOptions & { key?: string } = {}) =>
    new Medblocks(key ?? sb.apiKey, { maxNetworkRetries: 0, ...options, baseUrl: sb.baseUrl, fetch });

  /** A raw request, for what the client would refuse to send. */
  const raw = async (method: string, path: string, request: RawRequest = {}): Promise<RawResponse> => {
    const url = new URL(path, sb.baseUrl);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.append(name, value);
    const headers: Record<string, string> = { ...request.headers };
    const key = request.key === undefined ? sb.apiKey : request.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let body = request.text;
    if (body === undefined && request.body !== undefined) body = JSON.stringify(request.body);
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(url, { method, headers, body: body ?? null });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };

  return { sb, fetch, client, raw, violations, exchanges, reports };
}

/** Registers an afterEach that fails the test when any response broke the spec or the sandbox's promises. */
export function expectNoViolations(h: { violations: string[] }): void {
  afterEach(() => {
    const found = h.violations.splice(0);
    expect(found, found.join("\n")).toEqual([]);
  });
}

/** A valid session body: `overrides` replace or add fields. */
export const sessionBody = (overrides: Record<string, unknown> = {}) => ({
  patient_id: "user_42",
  return_url: "https://app.example.com/connected",
  ...overrides,
});

/**
 * What is wrong with an event record's payload as a delivery would carry it
 * (`{ id, object: "event", type, api_version, created_at, data }`), checked
 * against the schema the spec's `webhooks` section gives its type.
 */
export function deliveryViolations(event: { id: string; type: string; api_version: string; created_at: string; data: unknown }): string[] {
  const ref: string = spec.webhooks[event.type].post.requestBody.content["application/json"].schema.$ref;
  const validate = ajv().getSchema(`spec${ref}`)!;
  const delivery = {
    id: event.id,
    object: "event",
    type: event.type,
    api_version: event.api_version,
    created_at: event.created_at,
    data: event.data,
  };
  return validate(delivery) ? [] : (validate.errors ?? []).map((error) => `${event.type}${error.instancePath} ${error.message}`);
}

/** The error a call fails with; fails the test when the call succeeds. */
export const failure = (call: PromiseLike<unknown>): Promise<MedblocksError> =>
  Promise.resolve(call).then(
    () => expect.unreachable("the call succeeded") as never,
    (error: MedblocksError) => error,
  );
