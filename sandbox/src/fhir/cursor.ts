/**
 * Record cursors: 12 characters (the spec's `RecordCursor`), valid for 7
 * days from the response that issued them. Nothing is stored: nine bytes
 * hold the record's position (its link's sequence number and its index in
 * the link's records), the ten-minute slot it was issued in, and a check
 * byte bound to the patient, so a cursor of another patient or a mistyped
 * one is refused rather than misread.
 */
import { createHash } from "node:crypto";
import { invalid } from "../errors.js";

export interface RecordPosition {
  linkSeq: number;
  index: number;
}

export const CURSOR_VALIDITY_MS = 7 * 86_400_000;
const SLOT_MS = 600_000;
const EPOCH = Date.UTC(2000, 0, 1);

function check(patientId: string, bytes: Buffer): number {
  return createHash("sha256").update(patientId).update(bytes.subarray(0, 8)).digest()[0]!;
}

export function encodeCursor(patientId: string, position: RecordPosition, now: number): string {
  const bytes = Buffer.alloc(9);
  bytes.writeUIntBE(position.linkSeq, 0, 3);
  bytes.writeUInt16BE(position.index, 3);
  bytes.writeUIntBE(Math.max(0, Math.floor((now - EPOCH) / SLOT_MS)), 5, 3);
  bytes[8] = check(patientId, bytes);
  return bytes.toString("base64url");
}

/** The position a cursor names; a 400 naming `param` when it is not one of this patient's, or has expired. */
export function decodeCursor(patientId: string, cursor: string, now: number, param: string): RecordPosition {
  const bytes = /^[A-Za-z0-9_-]{12}$/.test(cursor) ? Buffer.from(cursor, "base64url") : Buffer.alloc(0);
  if (bytes.length !== 9 || bytes[8] !== check(patientId, bytes)) {
    throw invalid(param, "is not a cursor issued for this patient's records: pass back a `next_cursor` or `previous_cursor` unchanged.");
  }
  const issued = EPOCH + bytes.readUIntBE(5, 3) * SLOT_MS;
  if (now > issued + SLOT_MS + CURSOR_VALIDITY_MS)
    throw invalid(param, "has expired: record cursors are valid for 7 days. Start again from the first page.");
  return { linkSeq: bytes.readUIntBE(0, 3), index: bytes.readUInt16BE(3) };
}
