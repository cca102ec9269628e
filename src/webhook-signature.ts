/**
 * Verifies the webhooks Medblocks sends. Pure functions on WebCrypto, so they
 * run on Node, Deno, Bun and edge runtimes alike.
 *
 * `Medblocks-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`, where each
 * `v1` is HMAC-SHA256 over `${t}.${rawBody}` keyed with the endpoint's
 * `whsec_` secret (the secret string as given). Several `v1` entries are
 * accepted, so a header may carry signatures from more than one secret.
 */
import type { WebhookEvent } from "./types.js";

/**
 * Why a delivery was refused: the header is `missing_header` or
 * `malformed_header` (no single integer `t`, a part without `=`); it has
 * `no_v1_signature`; its timestamp is `timestamp_out_of_tolerance` (too old —
 * a replay — or too far in the future); `no_matching_signature` (the body,
 * timestamp or secret differ from what was signed); or the signed body is
 * `invalid_payload` (not a JSON event).
 */
export type SignatureFailure =
  | "missing_header"
  | "malformed_header"
  | "no_v1_signature"
  | "timestamp_out_of_tolerance"
  | "no_matching_signature"
  | "invalid_payload";

/** Thrown by `constructEvent`; answer the delivery with 400. Carries no secret and no body. */
export class MedblocksSignatureError extends Error {
  override readonly name = "MedblocksSignatureError";
  constructor(
    readonly reason: SignatureFailure,
    message: string,
  ) {
    super(`constructEvent: ${message}`);
  }
}

export interface ConstructEventOptions {
  /** Seconds a signature's timestamp may be off, in the past or the future; default 300. */
  tolerance?: number;
}

/** The raw body as received: the exact bytes, or the string they decode to. */
export type RawBody = string | Uint8Array | ArrayBuffer;

export const DEFAULT_TOLERANCE_SECONDS = 300;
const encoder = new TextEncoder();

function bytesOf(body: RawBody): Uint8Array {
  if (typeof body === "string") return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError("constructEvent: rawBody must be the raw request body as a string or bytes, before any JSON parsing");
}

function keyOf(secret: string): ReturnType<typeof crypto.subtle.importKey> {
  if (typeof secret !== "string" || secret === "") {
    throw new TypeError("constructEvent: secret must be the endpoint's whsec_ signing secret");
  }
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

/** `${t}.` followed by the body's exact bytes. */
function signedBytes(timestamp: number, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = encoder.encode(`${timestamp}.`);
  const bytes = new Uint8Array(prefix.length + body.length);
  bytes.set(prefix);
  bytes.set(body, prefix.length);
  return bytes;
}

function parseHeader(header: string | string[] | null | undefined): { timestamp: number; signatures: Uint8Array<ArrayBuffer>[] } {
  const text = Array.isArray(header) ? header.join(",") : header;
  if (typeof text !== "string" || text.trim() === "") {
    throw new MedblocksSignatureError("missing_header", "no Medblocks-Signature header; pass the header's value as received");
  }
  let timestamp: number | undefined;
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  let v1Count = 0;
  for (const part of text.split(",")) {
    const at = part.indexOf("=");
    if (at <= 0) throw new MedblocksSignatureError("malformed_header", "the Medblocks-Signature header has a part that is not key=value");
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === "t") {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) {
        throw new MedblocksSignatureError("malformed_header", "the Medblocks-Signature header needs exactly one t=<unix seconds>");
      }
      timestamp = Number(value);
    } else if (key === "v1") {
      v1Count++;
      // A v1 that is not 64 hex digits cannot match; it is skipped, not an error.
      if (/^[0-9a-fA-F]{64}$/.test(value)) signatures.push(Uint8Array.from(value.match(/../g)!, (hex) => parseInt(hex, 16)));
    }
  }
  if (timestamp === undefined) {
    throw new MedblocksSignatureError("malformed_header", "the Medblocks-Signature header needs exactly one t=<unix seconds>");
  }
  if (v1Count === 0) throw new MedblocksSignatureError("no_v1_signature", "the Medblocks-Signature header has no v1 signature");
  return { timestamp, signatures };
}

/**
 * Verifies a delivery and returns its event, typed by `type`. Pass the raw
 * body exactly as received (not re-serialized JSON), the
 * `Medblocks-Signature` header and the endpoint's secret. The comparison is
 * constant-time (WebCrypto `verify`). Dedupe events by `id`: deliveries
 * repeat.
 *
 * @throws {MedblocksSignatureError} with a `reason`; answer such deliveries with 400.
 */
export async function constructEvent(
  rawBody: RawBody,
  signatureHeader: string | string[] | null | undefined,
  secret: string,
  options: ConstructEventOptions = {},
): Promise<WebhookEvent> {
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE_SECONDS;
  if (!(Number.isFinite(tolerance) && tolerance >= 0)) throw new TypeError("constructEvent: tolerance must be a number of seconds ≥ 0");
  const body = bytesOf(rawBody);
  const key = await keyOf(secret);
  const { timestamp, signatures } = parseHeader(signatureHeader);
  const data = signedBytes(timestamp, body);
  let matched = false;
  for (const signature of signatures) {
    if (await crypto.subtle.verify("HMAC", key, signature, data)) {
      matched = true;
      break;
    }
  }
  if (!matched) {
    throw new MedblocksSignatureError(
      "no_matching_signature",
      "no v1 signature matches this body and secret: use the raw body as received and the endpoint's current secret",
    );
  }
  const skew = Math.abs(Date.now() / 1000 - timestamp);
  if (skew > tolerance) {
    throw new MedblocksSignatureError(
      "timestamp_out_of_tolerance",
      `the signature's timestamp is ${Math.round(skew)} s away from now, more than the ${tolerance} s tolerance (a replay, or a wrong clock)`,
    );
  }
  let event: unknown;
  try {
    event = JSON.parse(new TextDecoder().decode(body));
  } catch {
    event = undefined;
  }
  const { id, type } = (event ?? {}) as { id?: unknown; type?: unknown };
  if (typeof id !== "string" || typeof type !== "string") {
    throw new MedblocksSignatureError("invalid_payload", "the signed body is not a JSON event with an id and a type");
  }
  return event as WebhookEvent;
}

/** Lowercase hex HMAC-SHA256 of `${timestamp}.${payload}` with `secret`. */
async function sign(payload: RawBody, secret: string, timestamp: number): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await keyOf(secret), signedBytes(timestamp, bytesOf(payload)));
  return Array.from(new Uint8Array(mac), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * A valid `Medblocks-Signature` header for `payload`, for tests. The
 * timestamp defaults to now (unix seconds).
 */
export async function generateTestHeaderString(params: { payload: RawBody; secret: string; timestamp?: number }): Promise<string> {
  const timestamp = params.timestamp ?? Math.floor(Date.now() / 1000);
  return `t=${timestamp},v1=${await sign(params.payload, params.secret, timestamp)}`;
}
