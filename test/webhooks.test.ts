/**
 * Webhook signature verification. Expected signatures are computed here
 * with node:crypto, independently of the WebCrypto code under test.
 */
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Medblocks, MedblocksSignatureError, type SignatureFailure, type WebhookEvent } from "../src/index.js";

const SECRET = "whsec_5f3c9a1e7b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f3a5b7c";
const OTHER_SECRET = "whsec_rotated_0123456789abcdef0123456789abcdef0123456789abcd";
const { constructEvent, generateTestHeaderString } = Medblocks.webhooks;

const EVENT = {
  id: "evt_01J9YV7C2X4VZ6P2K5RH7M3QWX",
  object: "event",
  type: "records.sync.completed",
  api_version: "2026-04-25",
  created_at: "2026-04-25T14:40:00.000Z",
  data: {
    object: { resource_type: "records_sync", patient_id: "user_42", connection_id: "fhirsrc_1", total: 12, errors: 0, duration_ms: 840 },
  },
};
// Deliberately not the canonical JSON.stringify form: verification must use the bytes as sent.
const BODY = JSON.stringify(EVENT, null, 1).replace('"total": 12', '"total" :12');

const now = () => Math.floor(Date.now() / 1000);
const hmac = (secret: string, t: number, body: string | Buffer) => createHmac("sha256", secret).update(`${t}.`).update(body).digest("hex");
const header = (t: number, ...signatures: string[]) => [`t=${t}`, ...signatures.map((s) => `v1=${s}`)].join(",");

async function failure(run: Promise<unknown>): Promise<MedblocksSignatureError> {
  const error = await run.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(MedblocksSignatureError);
  return error as MedblocksSignatureError;
}

afterEach(() => vi.useRealTimers());

describe("constructEvent", () => {
  it("accepts a delivery signed as the docs describe and returns the typed event", async () => {
    const t = now();
    const event = await constructEvent(BODY, header(t, hmac(SECRET, t, BODY)), SECRET);
    expect(event).toEqual(EVENT);
    if (event.type === "records.sync.completed") expect(event.data.object.total).toBe(12);
  });

  it("accepts the body as bytes, Buffer or ArrayBuffer, uppercase hex, and spaces after commas", async () => {
    const t = now();
    const signature = hmac(SECRET, t, BODY);
    const bytes = new TextEncoder().encode(BODY);
    for (const body of [bytes, Buffer.from(BODY), bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)]) {
      expect((await constructEvent(body, header(t, signature), SECRET)).id).toBe(EVENT.id);
    }
    expect((await constructEvent(BODY, `t=${t}, v1=${signature.toUpperCase()}`, SECRET)).id).toBe(EVENT.id);
  });

  it("signs the exact bytes, even ones that are not UTF-8 text", async () => {
    const raw = Buffer.concat([Buffer.from(BODY.slice(0, -1)), Buffer.from([0x20, 0xff, 0x7d])]);
    const t = now();
    const error = await failure(constructEvent(raw, header(t, hmac(SECRET, t, raw)), SECRET));
    // The signature matched; only the payload was refused.
    expect(error.reason).toBe("invalid_payload");
  });

  it("accepts any matching v1 among several, e.g. across a secret rotation", async () => {
    const t = now();
    const both = header(t, hmac(OTHER_SECRET, t, BODY), "zz", hmac(SECRET, t, BODY));
    expect((await constructEvent(BODY, both, SECRET)).id).toBe(EVENT.id);
    expect((await constructEvent(BODY, both, OTHER_SECRET)).id).toBe(EVENT.id);
  });

  it("refuses the old secret after a rotation", async () => {
    const t = now();
    const error = await failure(constructEvent(BODY, header(t, hmac(OTHER_SECRET, t, BODY)), SECRET));
    expect(error.reason).toBe("no_matching_signature");
  });

  it.each<[string, (t: number, signature: string) => [string, string], SignatureFailure]>([
    ["a tampered body", (t, s) => [BODY.replace('"total" :12', '"total" :13'), header(t, s)], "no_matching_signature"],
    ["a body with one byte appended", (t, s) => [`${BODY} `, header(t, s)], "no_matching_signature"],
    ["a re-serialized body", (t, s) => [JSON.stringify(JSON.parse(BODY)), header(t, s)], "no_matching_signature"],
    ["a tampered signature", (t, s) => [BODY, header(t, `${s.slice(0, -1)}${s.endsWith("0") ? "1" : "0"}`)], "no_matching_signature"],
    ["a shifted timestamp", (t, s) => [BODY, header(t + 1, s)], "no_matching_signature"],
    ["a truncated signature", (t, s) => [BODY, header(t, s.slice(0, 63))], "no_matching_signature"],
    ["no v1", (t) => [BODY, `t=${t},v0=abc`], "no_v1_signature"],
    ["no timestamp", (_t, s) => [BODY, `v1=${s}`], "malformed_header"],
    ["two timestamps", (t, s) => [BODY, `t=${t},t=${t},v1=${s}`], "malformed_header"],
    ["a non-numeric timestamp", (_t, s) => [BODY, `t=soon,v1=${s}`], "malformed_header"],
    ["a part without =", (t, s) => [BODY, `t=${t},v1${s}`], "malformed_header"],
    ["an empty header", () => [BODY, ""], "missing_header"],
  ])("refuses %s", async (_name, make, reason) => {
    const t = now();
    const [body, signature] = make(t, hmac(SECRET, t, BODY));
    const error = await failure(constructEvent(body, signature, SECRET));
    expect(error.reason).toBe(reason);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain("user_42");
  });

  it("refuses a missing header", async () => {
    expect((await failure(constructEvent(BODY, undefined, SECRET))).reason).toBe("missing_header");
    expect((await failure(constructEvent(BODY, null, SECRET))).reason).toBe("missing_header");
  });

  it("enforces the 300 s default tolerance in the past and the future", async () => {
    const t = now();
    for (const offset of [-290, 290]) {
      expect((await constructEvent(BODY, header(t + offset, hmac(SECRET, t + offset, BODY)), SECRET)).id).toBe(EVENT.id);
    }
    for (const offset of [-310, 310]) {
      const error = await failure(constructEvent(BODY, header(t + offset, hmac(SECRET, t + offset, BODY)), SECRET));
      expect(error.reason).toBe("timestamp_out_of_tolerance");
    }
  });

  it("refuses a replay once the tolerance has passed, and honours a custom tolerance", async () => {
    vi.useFakeTimers({ now: Date.parse("2026-04-25T14:40:00Z"), toFake: ["Date"] });
    const t = now();
    const signed = header(t, hmac(SECRET, t, BODY));
    expect((await constructEvent(BODY, signed, SECRET)).id).toBe(EVENT.id);
    vi.setSystemTime(Date.parse("2026-04-25T14:46:00Z"));
    expect((await failure(constructEvent(BODY, signed, SECRET))).reason).toBe("timestamp_out_of_tolerance");
    expect((await constructEvent(BODY, signed, SECRET, { tolerance: 600 })).id).toBe(EVENT.id);
  });

  it("refuses a signed body that is not an event of the spec (no data.object)", async () => {
    const t = now();
    const { data: _data, ...noData } = EVENT;
    for (const body of [
      "not json",
      "[1,2]",
      '{"type":"x"}',
      JSON.stringify(noData),
      JSON.stringify({ ...EVENT, data: {} }),
      JSON.stringify({ ...EVENT, data: { object: null } }),
      JSON.stringify({ ...EVENT, data: { object: "text" } }),
    ]) {
      expect((await failure(constructEvent(body, header(t, hmac(SECRET, t, body)), SECRET))).reason).toBe("invalid_payload");
    }
  });

  it("narrows data.object by type", async () => {
    const t = now();
    const event: WebhookEvent = await constructEvent(BODY, header(t, hmac(SECRET, t, BODY)), SECRET);
    switch (event.type) {
      case "patient_session.completed":
        expect(event.data.object.resource_type).toBe("patient_session");
        break;
      case "connection.token_refresh_failed":
        expect(event.data.object.connection_id).toMatch(/^fhirsrc_/);
        break;
      case "records.sync.completed":
        expect(event.data.object.duration_ms).toBe(840);
        break;
      case "records.sync.failed":
        expect(typeof event.data.object.error_message).toBe("string");
        break;
    }
  });

  it("returns an event of a type it does not know, for the default branch of a switch", async () => {
    const t = now();
    const future = JSON.stringify({ ...EVENT, type: "patient.merged", data: { object: { resource_type: "patient", id: "user_42" } } });
    const event = await constructEvent(future, header(t, hmac(SECRET, t, future)), SECRET);
    let handled = "";
    switch (event.type) {
      case "patient_session.completed":
      case "connection.token_refresh_failed":
      case "records.sync.completed":
      case "records.sync.failed":
        handled = "known";
        break;
      default:
        handled = `unknown ${String(event.type)} ${String(event.data.object.resource_type)}`;
    }
    expect(handled).toBe("unknown patient.merged patient");
  });

  it("computes the HMAC once however many v1 entries a header carries, and reads at most 32", async () => {
    const t = now();
    const good = hmac(SECRET, t, BODY);
    const forged = Array.from({ length: 240 }, (_, index) => index.toString(16).padStart(64, "0"));
    const sign = vi.spyOn(crypto.subtle, "sign");
    const verify = vi.spyOn(crypto.subtle, "verify");
    const error = await failure(constructEvent(BODY, header(t, ...forged, good), SECRET));
    expect(error.reason).toBe("no_matching_signature");
    expect(sign).toHaveBeenCalledTimes(1);
    expect(verify).not.toHaveBeenCalled();
    expect((await constructEvent(BODY, header(t, ...forged.slice(0, 31), good), SECRET)).id).toBe(EVENT.id);
    expect((await failure(constructEvent(BODY, header(t, ...forged.slice(0, 32), good), SECRET))).reason).toBe("no_matching_signature");
    sign.mockRestore();
    verify.mockRestore();
  });

  it.each([0, -1, Number.NaN, Infinity])("refuses a tolerance of %d, which would not check the timestamp", async (tolerance) => {
    const t = now();
    const error = await constructEvent(BODY, header(t, hmac(SECRET, t, BODY)), SECRET, { tolerance }).catch((thrown: unknown) => thrown);
    expect(error).not.toBeInstanceOf(MedblocksSignatureError);
    expect(error).toMatchObject({ param: "tolerance", code: "invalid_data" });
  });

  it("is the same function on the client and on the class", () => {
    expect(new Medblocks("mb_sk_sbx_x").webhooks.constructEvent).toBe(constructEvent);
  });
});

describe("generateTestHeaderString", () => {
  it("makes the header node:crypto would", async () => {
    expect(await generateTestHeaderString({ payload: BODY, secret: SECRET, timestamp: 1714060800 })).toBe(
      `t=1714060800,v1=${hmac(SECRET, 1714060800, BODY)}`,
    );
  });

  it("rounds a fractional timestamp down, as stripe-node does, so the header verifies", async () => {
    vi.useFakeTimers({ now: 1714060800_000, toFake: ["Date"] });
    const signature = await generateTestHeaderString({ payload: BODY, secret: SECRET, timestamp: 1714060800.9 });
    expect(signature).toBe(`t=1714060800,v1=${hmac(SECRET, 1714060800, BODY)}`);
    expect((await constructEvent(BODY, signature, SECRET)).id).toBe(EVENT.id);
  });

  it("defaults the timestamp to now, and round-trips through constructEvent", async () => {
    const signature = await generateTestHeaderString({ payload: BODY, secret: SECRET });
    expect(Number(/^t=(\d+),/.exec(signature)![1])).toBeGreaterThanOrEqual(now() - 1);
    expect((await constructEvent(BODY, signature, SECRET)).id).toBe(EVENT.id);
  });
});
