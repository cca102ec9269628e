/**
 * Randomness. Ids come from a seeded generator (sfc32) whose four-number
 * state lives in the workspace, so the same seed and the same calls give the
 * same ids, and an exported state resumes where it left off. Secrets and the
 * session URL's token come from the system's CSPRNG instead: they must stay
 * unguessable whatever the seed.
 */
import { createHash, randomBytes } from "node:crypto";
import { KEY_PREFIXES } from "../spec.js";

export type RngState = [number, number, number, number];

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Four 32-bit words from a SHA-256 of `text`: a generator state, or a stable hash. */
export function hashWords(text: string): RngState {
  const digest = createHash("sha256").update(text).digest();
  return [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)];
}

/** The next 32-bit value of sfc32, advancing `state` in place. */
export function nextUint32(state: RngState): number {
  let [a, b, c, d] = state;
  const t = (((a + b) | 0) + d) | 0;
  d = (d + 1) | 0;
  a = b ^ (b >>> 9);
  b = (c + (c << 3)) | 0;
  c = (c << 21) | (c >>> 11);
  c = (c + t) | 0;
  // Kept unsigned, so the state is four plain JSON numbers in 0…2^32−1.
  state[0] = a >>> 0;
  state[1] = b >>> 0;
  state[2] = c >>> 0;
  state[3] = d >>> 0;
  return t >>> 0;
}

/** A uniform float in [0, 1). */
export const nextFloat = (state: RngState): number => nextUint32(state) / 4294967296;

/** `prefix` and 24 base62 characters from the seeded generator, e.g. `ps_…`. */
export function seededId(state: RngState, prefix: string): string {
  const chars = [prefix];
  for (let i = 0; i < 24; i++) chars.push(BASE62[nextUint32(state) % 62]!);
  // Joined, not appended: 24 appends make a rope of cons cells that the sandbox then keeps for every id it holds.
  return chars.join("");
}

/** A version-4 UUID from the seeded generator. */
export function seededUuid(state: RngState): string {
  const hex = [0, 1, 2, 3].map(() => nextUint32(state).toString(16).padStart(8, "0")).join("");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `length` base62 characters from the CSPRNG (for secrets). */
export function secretText(length: number): string {
  const bytes = randomBytes(length * 2);
  let text = "";
  // 248 = 62 × 4: bytes at or above it are skipped so every character is equally likely.
  for (let i = 0; i < bytes.length && text.length < length; i++) if (bytes[i]! < 248) text += BASE62[bytes[i]! % 62];
  return text.length === length ? text : text + secretText(length - text.length);
}

/** CSPRNG bytes drawn 4 KB at a time (as `randomUUID` does): one system call per 256 tokens, not one per token. */
const pool = { bytes: Buffer.alloc(0), offset: 0 };

/** 32 hex characters from the CSPRNG: the hosted page token in a session's `url`. */
export function urlToken(): string {
  if (pool.offset + 16 > pool.bytes.length) {
    pool.bytes = randomBytes(4096);
    pool.offset = 0;
  }
  pool.offset += 16;
  return pool.bytes.toString("hex", pool.offset - 16, pool.offset);
}

/** The sandbox key that belongs to a seed: a sandbox started from the same seed (or state file) prints the same key. */
export function derivedKey(seed: string): string {
  const digest = createHash("sha256").update(`medblocks-sandbox key\u0000${seed}`).digest();
  let key: string = KEY_PREFIXES.sandbox;
  for (let i = 0; i < 32; i++) key += BASE62[digest[i]! % 62];
  return key;
}
