/**
 * Verifies the webhooks Medblocks sends. Pure functions on WebCrypto, so they
 * run on Node, Deno, Bun and edge runtimes alike.
 *
 * `Medblocks-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`, where each
 * `v1` is HMAC-SHA256 over `${t}.${rawBody}` keyed with the endpoint's
 * `whsec_` secret (the secret string as given). Several `v1` entries are
 * accepted, so a header may carry signatures from more than one secret.
 */
import { MedblocksError } from "./errors.js";
import { checkOptions, optionError, type Rule } from "./options.js";
import { isObject } from "./rules.js";
import type { WebhookEvent } from "./types.js";

/**
 * Why a delivery was refused: the header is `missing_header` or
 * `malformed_header` (no single integer `t`, a part without `=`); it has
 * `no_v1_signature`; its timestamp is `timestamp_out_of_tolerance` (too old —
 * a replay — or too far in the future); `no_matching_signature` (the body,
 * timestamp or secret differ from what was signed); or the signed body is
 * `invalid_payload` (not a JSON event with an `id`, a `type` and a
 * `data.object`).
 */
export type SignatureFailure =
  | "missing_header"
  | "malformed_header"
  | "no_v1_signature"
  | "timestamp_out_of_tolerance"
  | "no_matching_signature"
  | "invalid_payload";

/**
 * Thrown by `constructEvent` for a delivery that fails verification; answer
 * it with 400. `type` is `signature_verification_error`, `code`
 * `invalid_signature`; `reason` says why. Carries no secret and no body.
 */
export class MedblocksSignatureError extends MedblocksError {
  override readonly name: string = "MedblocksSignatureError";
  declare readonly type: "signature_verification_error";
  declare readonly code: "invalid_signature";
  declare readonly reason: SignatureFailure;

  constructor(reason: SignatureFailure, message: string) {
    super({ type: "signature_verification_error", code: "invalid_signature", message: `constructEvent: ${message}` });
    this.reason = reason;
  }
}

export interface ConstructEventOptions {
  /**
   * Seconds a signature's timestamp may be off, in the past or the future;
   * default 300. Must be more than 0: stripe-node reads 0 as "skip the
   * check", which would accept a replay of any age, so 0 is refused here.
   */
  tolerance?: number | undefined;
}

/** The raw body as received: the exact bytes, or the string they decode to. */
export type RawBody = string | Uint8Array | ArrayBuffer;

export const DEFAULT_TOLERANCE_SECONDS = 300;
const EVENT_RULES: Record<keyof ConstructEventOptions, Rule> = {
  tolerance: [
    (value) => typeof value === "number" && value > 0 && value < Infinity,
    "a number of seconds more than 0 (0 would not check the timestamp at all)",
  ],
};
/** `v1` entries read from one header; more are ignored, so a forged header cannot multiply the work. */
export const MAX_SIGNATURES = 32;
const encoder = /* @__PURE__ */ new TextEncoder();

function bytesOf(label: string, body: RawBody, name = "rawBody"): Uint8Array {
  if (typeof body === "string") return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  // A mistake in how it was called (not a bad delivery): an option error, not a MedblocksSignatureError.
  throw optionError(label, name, "the raw body as received, a string or bytes (not parsed JSON)");
}

function keyOf(label: string, secret: string): ReturnType<typeof crypto.subtle.importKey> {
  if (typeof secret !== "string" || secret === "") throw optionError(label, "secret", "the endpoint's whsec_ signing secret");
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

/** Lowercase hex HMAC-SHA256 of `${timestamp}.` followed by the body's exact bytes. */
async function sign(key: Awaited<ReturnType<typeof keyOf>>, timestamp: number, body: Uint8Array): Promise<string> {
  const prefix = encoder.encode(`${timestamp}.`);
  const bytes = new Uint8Array(prefix.length + body.length);
  bytes.set(prefix);
  bytes.set(body, prefix.length);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes));
  let hex = "";
  for (const byte of mac) hex += (byte < 16 ? "0" : "") + byte.toString(16);
  return hex;
}

/** Compares two equal-length hex strings in time that does not depend on where they differ. */
function constantTimeEqual(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let index = 0; index < a.length; index++) difference |= a.charCodeAt(index) ^ b.charCodeAt(index % b.length);
  return difference === 0;
}

function parseHeader(header: string | readonly string[] | null | undefined): { timestamp: number; signatures: string[] } {
  const text = Array.isArray(header) ? header.join(",") : header;
  if (typeof text !== "string" || text.trim() === "") {
    throw new MedblocksSignatureError("missing_header", "no Medblocks-Signature header; pass the header's value as received");
  }
  let timestamp: number | undefined;
  const signatures: string[] = [];
  let v1Count = 0;
  for (const part of text.split(",")) {
    const at = part.indexOf("=");
    if (at <= 0) throw new MedblocksSignatureError("malformed_header", "the Medblocks-Signature header has a part that is not key=value");
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    // A second `t`, or one that is not whole seconds, leaves NaN: refused below.
    if (key === "t") timestamp = timestamp === undefined && /^\d{1,12}$/.test(value) ? Number(value) : NaN;
    else if (key === "v1" && ++v1Count <= MAX_SIGNATURES) {
      // A v1 that is not 64 hex digits cannot match; it is skipped, not an error.
      if (/^[0-9a-fA-F]{64}$/.test(value)) signatures.push(value.toLowerCase());
    }
  }
  if (!(timestamp! >= 0)) {
    throw new MedblocksSignatureError("malformed_header", "the Medblocks-Signature header needs exactly one t=<unix seconds>");
  }
  if (v1Count === 0) throw new MedblocksSignatureError("no_v1_signature", "the Medblocks-Signature header has no v1 signature");
  return { timestamp: timestamp!, signatures };
}

/**
 * Verifies a delivery and returns its event, typed by `type`. Pass the raw
 * body exactly as received (not re-serialized JSON), the
 * `Medblocks-Signature` header and the endpoint's secret. The HMAC is
 * computed once and compared with each `v1` entry (at most 32) in constant
 * time. Dedupe events by `id`: deliveries repeat. An event of a type this
 * client does not know yet is returned as an `UnknownWebhookEvent`.
 *
 * @throws {MedblocksSignatureError} with a `reason`; answer such deliveries with 400.
 * @throws {MedblocksError} `bad_request` / `invalid_data` when called without
 *   a raw body or a secret, or with a `tolerance` that is not more than 0.
 */
export async function constructEvent(
  rawBody: RawBody,
  signatureHeader: string | readonly string[] | null | undefined,
  secret: string,
  options: ConstructEventOptions = {},
): Promise<WebhookEvent> {
  const label = "constructEvent";
  checkOptions(label, options ?? {}, EVENT_RULES);
  const tolerance = options?.tolerance ?? DEFAULT_TOLERANCE_SECONDS;
  const body = bytesOf(label, rawBody);
  const key = await keyOf(label, secret);
  const { timestamp, signatures } = parseHeader(signatureHeader);
  const expected = await sign(key, timestamp, body);
  if (!signatures.some((signature) => constantTimeEqual(signature, expected))) {
    throw new MedblocksSignatureError(
      "no_matching_signature",
      "no v1 signature matches this body and secret: use the raw body as received and the endpoint's current secret",
    );
  }
  const skew = Math.abs(Date.now() / 1000 - timestamp);
  if (skew > tolerance) {
    throw new MedblocksSignatureError(
      "timestamp_out_of_tolerance",
      `the signature's timestamp is ${Math.round(skew)} s away from now, more than the ${tolerance} s tolerance (a replay, or a ` +
        `wrong clock)`,
    );
  }
  let event: unknown;
  try {
    event = JSON.parse(new TextDecoder().decode(body));
  } catch {
    event = undefined;
  }
  if (
    !isObject(event) ||
    typeof event.id !== "string" ||
    typeof event.type !== "string" ||
    !isObject(event.data) ||
    !isObject(event.data.object)
  ) {
    throw new MedblocksSignatureError("invalid_payload", "the signed body is not a JSON event with an id, a type and a data.object");
  }
  return event as WebhookEvent;
}

/**
 * A valid `Medblocks-Signature` header for `payload`, for tests. The
 * timestamp defaults to now (unix seconds); a fractional one is rounded down,
 * as stripe-node does, since the header carries whole seconds.
 */
export async function generateTestHeaderString(params: {
  payload: RawBody;
  secret: string;
  timestamp?: number | undefined;
}): Promise<string> {
  const label = "generateTestHeaderString";
  if (!isObject(params)) throw optionError(label, "params", "an object with `payload` and `secret`");
  const timestamp = Math.floor(params.timestamp ?? Date.now() / 1000);
  if (!(timestamp >= 0 && timestamp < 1e12)) throw optionError(label, "timestamp", "unix seconds, from 0");
  return `t=${timestamp},v1=${await sign(await keyOf(label, params.secret), timestamp, bytesOf(label, params.payload, "payload"))}`;
}
