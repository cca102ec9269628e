/**
 * Property tests (fast-check), at least 1,000 runs each. `FC_RUNS` raises
 * the count for a longer, nightly-style run.
 */
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildReturnUrl,
  isMedblocksError,
  Medblocks,
  MedblocksReturnUrlError,
  MedblocksSignatureError,
  parseReturnUrl,
  type PatientSessionInitParams,
  type ReturnUrlResult,
} from "../src/index.js";
import { fakeClient, json, SESSION } from "./support/fake-fetch.js";

const numRuns = Math.max(1_000, Number(process.env.FC_RUNS ?? 0));

const NAMES = ["patient_id", "patient_session_id", "success", "connection_id", "error", "error_description", "tab"];
const idOf = (prefix: string) => fc.stringMatching(new RegExp(`^${prefix}[A-Za-z0-9_-]{1,40}$`));

describe("parseReturnUrl", () => {
  it("throws nothing but MedblocksReturnUrlError, whatever the query", () => {
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom("true", "false", "", "ps_1", "fhirsrc_1"),
      idOf("ps_"),
      idOf("fhirsrc_"),
      fc.string({ unit: "grapheme" }),
    );
    const pair = fc.tuple(fc.oneof(fc.constantFrom(...NAMES), fc.string()), value);
    const query = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc
        .array(pair, { maxLength: 10 })
        .map((pairs) => pairs.map(([name, v]) => `${encodeURIComponent(name)}=${encodeURIComponent(v)}`).join("&")),
      fc.array(pair, { maxLength: 10 }).map((pairs) => pairs.map(([name, v]) => `${name}=${v}`).join("&")),
    );
    fc.assert(
      fc.property(query, fc.constantFrom("", "?", "https://app.example.com/back?", "/back?"), (text, prefix) => {
        try {
          const result = parseReturnUrl(prefix + text);
          if (result !== null) expect(result.patient_session_id).toMatch(/^ps_/);
        } catch (error) {
          if (!(error instanceof MedblocksReturnUrlError)) throw error;
          expect(["missing", "repeated", "empty", "too_long", "invalid"]).toContain(error.reason);
          expect(error.message).toContain(`\`${error.param}\``);
        }
      }),
      { numRuns },
    );
  });

  it("round-trips whatever buildReturnUrl makes", () => {
    const common = { patient_id: fc.string({ minLength: 1, maxLength: 200 }), patient_session_id: idOf("ps_") };
    const params: fc.Arbitrary<ReturnUrlResult> = fc.oneof(
      fc.record({ mode: fc.constant("hosted" as const), ...common }),
      fc.record({ mode: fc.constant("direct" as const), success: fc.constant(true as const), ...common, connection_id: idOf("fhirsrc_") }),
      fc.record({
        mode: fc.constant("direct" as const),
        success: fc.constant(false as const),
        ...common,
        error: fc.string({ minLength: 1, maxLength: 255 }),
        error_description: fc.option(fc.string({ minLength: 1, maxLength: 500 }), { nil: null }),
      }),
    );
    const own = fc.dictionary(
      fc.string({ minLength: 1 }).filter((name) => !NAMES.includes(name)),
      fc.string(),
      { maxKeys: 3 },
    );
    fc.assert(
      fc.property(params, own, (input, extra) => {
        const base = new URL("https://app.example.com/connected");
        for (const [name, value] of Object.entries(extra)) base.searchParams.append(name, value);
        expect(parseReturnUrl(buildReturnUrl(base, input))).toEqual(input);
      }),
      { numRuns },
    );
  });
});

describe("mb.patientSession.init input validation", () => {
  // The oracle: the spec's own schema in an independent validator (Ajv, as Prism uses).
  const bundle = JSON.parse(readFileSync(new URL("../generated/openapi.json", import.meta.url), "utf8"));
  const ajv = new Ajv2020.default({ strict: false, allErrors: false });
  addFormats.default(ajv);
  ajv.addSchema({ ...bundle, $id: "spec" });
  const accepts = ajv.getSchema("spec#/components/schemas/PatientSessionInitInput")!;

  const anything = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 2 }),
  );
  /** Mostly a valid value, sometimes a near miss, rarely anything at all, sometimes left out. */
  const field = <T>(valid: fc.Arbitrary<T>, nearMiss: fc.Arbitrary<unknown>, absent = 3) =>
    fc.oneof(
      { arbitrary: valid, weight: 12 },
      { arbitrary: nearMiss, weight: 1 },
      { arbitrary: anything, weight: 1 },
      { arbitrary: fc.constant(undefined), weight: absent },
    );
  const input = fc.record({
    patient_id: field(fc.string({ minLength: 1, maxLength: 30 }), fc.constant(""), 0),
    return_url: field(fc.webUrl(), fc.constantFrom("/relative", "javascript:alert(1)", "https://", "", "app.example.com/x"), 0),
    patient_email: field(fc.emailAddress(), fc.constantFrom("jane", "jane@", "@example.com")),
    patient_name: field(fc.string(), fc.constant(undefined)),
    connection_id: field(idOf("fhirsrc_"), fc.constant(""), 30),
    recommended_connection_ids: field(fc.array(idOf("fhirsrc_"), { maxLength: 3 }), fc.constant([""]), 30),
    return_button_label: field(fc.string({ minLength: 1, maxLength: 60 }), fc.constantFrom("", "x".repeat(61))),
    expires_in: field(fc.integer({ min: 60, max: 86_400 }), fc.constantFrom(59, 86_401, 600.5, "600")),
    metadata: field(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }), fc.constant([])),
    unknown_field: field(fc.constant(undefined), anything, 40),
  });

  it("never sends a body the spec refuses, and refuses it before the network", async () => {
    const seen = { sent: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(input, async (params) => {
        const { mb, requests } = fakeClient(() => json(SESSION));
        const outcome = await mb.patientSession.init(params as unknown as PatientSessionInitParams).then(
          () => "sent",
          (error: unknown) => error,
        );
        const valid = accepts(JSON.parse(JSON.stringify(params)));
        seen[outcome === "sent" ? "sent" : "refused"]++;
        if (outcome === "sent") {
          expect(requests).toHaveLength(1);
          expect(valid).toBe(true);
        } else {
          expect(isMedblocksError(outcome) && outcome.type).toBe("invalid_request_error");
          expect(requests).toHaveLength(0);
        }
        // The client is stricter than the schema only on URLs: `format: uri` must be http(s) here.
        if (valid && outcome !== "sent") expect((outcome as { param: string }).param).toMatch(/return_url/);
      }),
      { numRuns },
    );
    // Both sides of the property were exercised, not just refusals.
    expect(seen.sent).toBeGreaterThan(numRuns / 100);
    expect(seen.refused).toBeGreaterThan(numRuns / 100);
  });
});

describe("webhook verification", () => {
  const { constructEvent, generateTestHeaderString } = Medblocks.webhooks;
  const secret = "whsec_property_test_secret_0123456789abcdef";
  const event = fc.record({
    id: idOf("evt_"),
    object: fc.constant("event"),
    type: fc.constantFrom("patient_session.completed", "connection.token_refresh_failed", "records.sync.completed", "records.sync.failed"),
    api_version: fc.constant("2026-04-25"),
    created_at: fc.constant("2026-04-25T14:30:00.000Z"),
    data: fc.record({ object: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }) }),
  });
  const payload = fc.tuple(event, fc.constantFrom(0, 1, 2)).map(([value, indent]) => JSON.stringify(value, null, indent));
  const flip = (bytes: Uint8Array, index: number, xor: number) => {
    const copy = bytes.slice();
    copy[index % copy.length]! ^= xor;
    return copy;
  };
  const reasonOf = (run: Promise<unknown>) =>
    run.then(
      () => "accepted",
      (error: unknown) => (error instanceof MedblocksSignatureError ? error.reason : error),
    );

  it("accepts every validly signed payload, as text or bytes", async () => {
    await fc.assert(
      fc.asyncProperty(payload, fc.integer({ min: -299, max: 299 }), async (body, offset) => {
        const header = await generateTestHeaderString({ payload: body, secret, timestamp: Math.floor(Date.now() / 1000) + offset });
        expect(await constructEvent(body, header, secret)).toEqual(JSON.parse(body));
        expect(await constructEvent(new TextEncoder().encode(body), header, secret)).toEqual(JSON.parse(body));
      }),
      { numRuns },
    );
  });

  it("rejects every single-byte change to the body, the signature or the timestamp", async () => {
    await fc.assert(
      fc.asyncProperty(
        payload,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.constantFrom("body", "signature", "timestamp"),
        async (body, index, xor, part) => {
          const t = Math.floor(Date.now() / 1000);
          const header = await generateTestHeaderString({ payload: body, secret, timestamp: t });
          const bytes = new TextEncoder().encode(body);
          if (part === "body") {
            expect(await reasonOf(constructEvent(flip(bytes, index, xor), header, secret))).toBe("no_matching_signature");
            return;
          }
          const signature = header.slice(header.indexOf("v1=") + 3);
          if (part === "signature") {
            // Change one hex digit to another hex digit (any other byte would make it unreadable, also a refusal).
            const position = index % signature.length;
            const digit = "0123456789abcdef"[(parseInt(signature[position]!, 16) + (xor % 15) + 1) % 16]!;
            const changed = signature.slice(0, position) + digit + signature.slice(position + 1);
            expect(await reasonOf(constructEvent(body, `t=${t},v1=${changed}`, secret))).toBe("no_matching_signature");
            return;
          }
          const stamp = String(t);
          const position = index % stamp.length;
          const digit = String((Number(stamp[position]) + (xor % 9) + 1) % 10);
          const changed = stamp.slice(0, position) + digit + stamp.slice(position + 1);
          expect(await reasonOf(constructEvent(body, `t=${changed},v1=${signature}`, secret))).toBe("no_matching_signature");
        },
      ),
      { numRuns },
    );
  });
});
