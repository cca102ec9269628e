/**
 * An injectable `fetch` for unit tests: records every request and answers
 * from a handler, so no network and no mock server are needed.
 */
import { Medblocks, type MedblocksOptions, type PatientSessionInitParams } from "../../src/index.js";

export interface SentRequest {
  url: URL;
  method: string;
  headers: Headers;
  body: string | undefined;
}

export type Handler = (request: SentRequest, index: number) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

export function fakeFetch(handler: Handler) {
  const requests: SentRequest[] = [];
  const fetch = async (input: string, init: RequestInit): Promise<Response> => {
    const request: SentRequest = {
      url: new URL(input),
      method: init.method ?? "GET",
      headers: new Headers(init.headers),
      body: typeof init.body === "string" ? init.body : undefined,
    };
    requests.push(request);
    return handler(request, requests.length - 1);
  };
  return { fetch, requests };
}

export const API_KEY = "mb_sk_sbx_unit_test_secret_4242";

/** A client on a fake fetch; no retries unless asked, so failures show at once. */
export function fakeClient(handler: Handler, options: MedblocksOptions = {}) {
  const fake = fakeFetch(handler);
  const mb = new Medblocks(API_KEY, { maxNetworkRetries: 0, ...options, fetch: fake.fetch });
  return { mb, requests: fake.requests };
}

export const SESSION = {
  id: "ps_01J9YQ8M2X4VZ6P2K5RH7M3KQT",
  resource_type: "patient_session",
  status: "complete",
  url: "https://app.medblocks.com/c/9c9b6f7a8e4f4a3b9c1e6f3a2d8b7c4d",
  patient_id: "user_42",
  connection_id: null,
  recommended_connection_ids: null,
  return_url: "https://app.example.com/connected",
  return_button_label: null,
  connections: [],
  expires_at: "2026-04-25T15:00:00.000Z",
  metadata: {},
  created_at: "2026-04-25T14:30:00.000Z",
} as const;

/** The smallest valid `patientSession.init` body: the two required fields. */
export const INIT = { patient_id: SESSION.patient_id, return_url: SESSION.return_url } satisfies PatientSessionInitParams;
