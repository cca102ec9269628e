/**
 * The signature on every delivery, as the spec's `Medblocks-Signature`
 * parameter describes it: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "t.rawBody">`, keyed with the endpoint's `whsec_` secret as given.
 */
import { createHmac } from "node:crypto";
import { deref, spec } from "../spec.js";

/** The header's name, from the spec. */
export const SIGNATURE_HEADER: string = deref(spec.components.parameters.MedblocksSignature).name;

/** The header value for `body` sent at `timestamp` (unix seconds). */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}
