/**
 * Raw HTTP access to the Prism mock started by the global setup.
 */
import { expect, inject } from "vitest";

export const TEST_API_KEY = "mb_sk_sbx_contract_test_key";

export interface MockRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Raw body text; wins over `body`. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Send the bearer token (default true). */
  auth?: boolean;
}

export interface MockResponse {
  status: number;
  headers: Headers;
  body: any;
  /** Parsed `sl-violations` header: Prism's list of contract violations, [] when the exchange was valid. */
  violations: { location: string[]; code: string | number; message: string }[];
}

export function mockUrl(): string {
  return inject("prismUrl");
}

export async function send(request: MockRequest): Promise<MockResponse> {
  const url = new URL(request.path, mockUrl());
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
  const headers: Record<string, string> = { accept: "application/json", ...request.headers };
  if (request.auth !== false) headers.authorization = `Bearer ${TEST_API_KEY}`;
  let body: string | undefined = request.rawBody;
  if (body === undefined && request.body !== undefined) body = JSON.stringify(request.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(url, { method: request.method, headers, body: body ?? null });
  const text = await response.text();
  const violations = response.headers.get("sl-violations");
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
    violations: violations ? JSON.parse(violations) : [],
  };
}

/** Asserts Prism took `request` as valid: no violation, a 200. */
export async function expectAccepted(request: MockRequest): Promise<void> {
  const response = await send(request);
  expect(response.violations).toEqual([]);
  expect(response.status).toBe(200);
}

/** Asserts Prism flagged `request` with a violation of `code` (a JSON Schema keyword, or 401 for a missing token). */
export async function expectFlagged(request: MockRequest, code: string | number): Promise<void> {
  const response = await send(request);
  expect(response.violations.map((violation) => violation.code)).toContain(code);
  if (code === 401) {
    expect(response.status).toBe(401);
    expect(response.body.error.type).toBe("authentication_error");
  } else {
    expect(response.status).toBe(400);
  }
}
