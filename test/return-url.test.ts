import { describe, expect, it } from "vitest";
import { buildReturnUrl, MedblocksReturnUrlError, parseReturnUrl, type ReturnUrlResult } from "../src/index.js";

const PS = "ps_01J9YQ8M2X4VZ6P2K5RH7M3KQT";
const SRC = "fhirsrc_02Zh2bnvRoWQJYgOAkI0Twcc";
const BASE = "https://app.example.com/connected";

function refusal(input: string): MedblocksReturnUrlError {
  try {
    parseReturnUrl(input);
  } catch (error) {
    expect(error).toBeInstanceOf(MedblocksReturnUrlError);
    return error as MedblocksReturnUrlError;
  }
  throw new Error(`parseReturnUrl accepted ${input}`);
}

describe("parseReturnUrl", () => {
  it("reads a hosted-page return", () => {
    expect(parseReturnUrl(`${BASE}?patient_id=user_42&patient_session_id=${PS}`)).toEqual({
      mode: "hosted",
      patient_id: "user_42",
      patient_session_id: PS,
    });
  });

  it("reads a direct-mode success", () => {
    expect(parseReturnUrl(`${BASE}?patient_id=user_42&patient_session_id=${PS}&success=true&connection_id=${SRC}`)).toEqual({
      mode: "direct",
      success: true,
      patient_id: "user_42",
      patient_session_id: PS,
      connection_id: SRC,
    });
  });

  it("reads a direct-mode error, with and without a description", () => {
    const base = `${BASE}?patient_id=user_42&patient_session_id=${PS}&success=false&error=user_denied`;
    expect(parseReturnUrl(`${base}&error_description=Patient%20said%20no`)).toEqual({
      mode: "direct",
      success: false,
      patient_id: "user_42",
      patient_session_id: PS,
      error: "user_denied",
      error_description: "Patient said no",
    });
    expect(parseReturnUrl(base)).toMatchObject({ success: false, error_description: null });
  });

  it("accepts a URL, URLSearchParams, a path with query and a bare query string alike", () => {
    const query = `patient_id=user_42&patient_session_id=${PS}`;
    const expected = { mode: "hosted", patient_id: "user_42", patient_session_id: PS };
    expect(parseReturnUrl(new URL(`${BASE}?${query}`))).toEqual(expected);
    expect(parseReturnUrl(new URLSearchParams(query))).toEqual(expected);
    expect(parseReturnUrl(`/connected?${query}#section`)).toEqual(expected);
    expect(parseReturnUrl(`?${query}`)).toEqual(expected);
    expect(parseReturnUrl(query)).toEqual(expected);
  });

  it("ignores the app's own parameters and does not depend on order", () => {
    expect(parseReturnUrl(`${BASE}?connection_id=${SRC}&tab=records&patient_session_id=${PS}&utm=x&patient_id=user_42&error=mine`)).toEqual(
      { mode: "hosted", patient_id: "user_42", patient_session_id: PS },
    );
  });

  it("returns null for a page not opened by a Medblocks return", () => {
    expect(parseReturnUrl(BASE)).toBeNull();
    expect(parseReturnUrl(`${BASE}?tab=1&error=mine&success=false`)).toBeNull();
    expect(parseReturnUrl("")).toBeNull();
    expect(parseReturnUrl("/connected")).toBeNull();
  });

  it.each([
    [`patient_id=u&patient_session_id=sess_1`, "patient_session_id", "invalid"],
    [`patient_id=u&patient_session_id=${PS}&success=true&connection_id=conn_1`, "connection_id", "invalid"],
    [`patient_id=u&patient_session_id=${PS}&patient_session_id=${PS}`, "patient_session_id", "repeated"],
    [`patient_id=u&patient_id=v&patient_session_id=${PS}`, "patient_id", "repeated"],
    [`patient_id=&patient_session_id=${PS}`, "patient_id", "empty"],
    [`patient_id=u&patient_session_id=`, "patient_session_id", "empty"],
    [`patient_session_id=${PS}`, "patient_id", "missing"],
    [`patient_id=u&patient_session_id=${PS}&success=yes`, "success", "invalid"],
    // Names every JavaScript object has are not schemas either.
    [`patient_id=u&patient_session_id=${PS}&success=constructor`, "success", "invalid"],
    [`patient_id=u&patient_session_id=${PS}&success=__proto__`, "success", "invalid"],
    // Only the absence of `success` means the hosted page, not the word for it.
    [`patient_id=u&patient_session_id=${PS}&success=undefined`, "success", "invalid"],
    [`patient_id=u&patient_session_id=${PS}&success=null`, "success", "invalid"],
    [`patient_id=u&patient_session_id=${PS}&success=toString`, "success", "invalid"],
    [`patient_id=u&patient_session_id=${PS}&success=TRUE&connection_id=${SRC}`, "success", "invalid"],
    [`patient_id=u&patient_session_id=${PS}&success=`, "success", "empty"],
    [`patient_id=u&patient_session_id=${PS}&success=true&success=true&connection_id=${SRC}`, "success", "repeated"],
    [`patient_id=u&patient_session_id=${PS}&success=true`, "connection_id", "missing"],
    [`patient_id=u&patient_session_id=${PS}&success=false`, "error", "missing"],
    [`patient_id=u&patient_session_id=${PS}&success=false&error=x&error_description=`, "error_description", "empty"],
    [`patient_id=${"u".repeat(2049)}&patient_session_id=${PS}`, "patient_id", "too_long"],
    [`patient_id=u&patient_session_id=ps_${"a".repeat(300)}`, "patient_session_id", "too_long"],
    [`patient_id=u&patient_session_id=${PS}&success=false&error=${"e".repeat(256)}`, "error", "too_long"],
    [`patient_id=u&patient_session_id=ps_a%2F..%2Fb`, "patient_session_id", "invalid"],
  ])("refuses %s: %s %s", (query, param, reason) => {
    const error = refusal(`${BASE}?${query}`);
    expect(error.param).toBe(param);
    expect(error.reason).toBe(reason);
    expect(error.message).toContain(`\`${param}\``);
    expect(error.message).toMatch(/^parseReturnUrl: /);
  });

  it("reads a framework's query object: strings, arrays, and nested values it refuses", () => {
    const expected = { mode: "hosted", patient_id: "user_42", patient_session_id: PS };
    // Express's req.query (qs): values may be strings, arrays or nested objects.
    expect(parseReturnUrl({ patient_id: "user_42", patient_session_id: PS, tab: { nested: "x" }, list: ["a", "b"] })).toEqual(expected);
    expect(parseReturnUrl({ patient_id: ["user_42"], patient_session_id: [PS] })).toEqual(expected);
    expect(parseReturnUrl({ patient_id: "user_42" })).toBeNull();
    for (const [query, param, reason] of [
      [{ patient_id: { $ne: "x" }, patient_session_id: PS }, "patient_id", "invalid"],
      [{ patient_id: "u", patient_session_id: [PS, PS] }, "patient_session_id", "repeated"],
      [{ patient_id: "u", patient_session_id: PS, success: true }, "success", "invalid"],
      [{ patient_id: "u", patient_session_id: PS, success: ["true"], connection_id: [{ id: SRC }] }, "connection_id", "invalid"],
    ] as const) {
      expect(() => parseReturnUrl(query), JSON.stringify(query)).toThrow(expect.objectContaining({ param, reason }));
    }
  });

  it("never echoes a parameter's value in its error", () => {
    const error = refusal(`${BASE}?patient_id=jane.doe%40example.com&patient_session_id=bad_secretish_value`);
    expect(error.message).not.toContain("bad_secretish_value");
    expect(error.message).not.toContain("jane");
  });

  it("narrows on success === false, as the docs' snippets do", () => {
    const result = parseReturnUrl(`${BASE}?patient_id=u&patient_session_id=${PS}&success=false&error=user_denied`);
    if (!result) throw new Error("expected a return");
    let message = "";
    if (result.success === false) message = `${result.error}: ${result.error_description ?? "no description"}`;
    expect(message).toBe("user_denied: no description");
  });
});

describe("buildReturnUrl", () => {
  const cases: ReturnUrlResult[] = [
    { mode: "hosted", patient_id: "user 42/ü", patient_session_id: PS },
    { mode: "direct", success: true, patient_id: "user_42", patient_session_id: PS, connection_id: SRC },
    { mode: "direct", success: false, patient_id: "user_42", patient_session_id: PS, error: "user_denied", error_description: "No & no" },
    {
      mode: "direct",
      success: false,
      patient_id: "user_42",
      patient_session_id: PS,
      error: "oauth_callback_failed",
      error_description: null,
    },
  ];

  it.each(cases)("round-trips through parseReturnUrl ($mode)", (params) => {
    expect(parseReturnUrl(buildReturnUrl(`${BASE}?tab=records`, params))).toEqual(params);
  });

  it("keeps the app's own query and appends in the documented order", () => {
    expect(buildReturnUrl(`${BASE}?tab=1`, cases[1]!)).toBe(
      `${BASE}?tab=1&patient_id=user_42&patient_session_id=${PS}&success=true&connection_id=${SRC}`,
    );
  });

  it("refuses values that break the spec's rules, and a return_url that already holds a parameter", () => {
    expect(() => buildReturnUrl(BASE, { mode: "hosted", patient_id: "u", patient_session_id: "sess_1" })).toThrow(
      expect.objectContaining({ param: "patient_session_id", reason: "invalid" }),
    );
    expect(() => buildReturnUrl(`${BASE}?patient_id=u`, { mode: "hosted", patient_id: "u", patient_session_id: PS })).toThrow(
      expect.objectContaining({ param: "patient_id", reason: "repeated" }),
    );
    expect(() => buildReturnUrl("/relative", { mode: "hosted", patient_id: "u", patient_session_id: PS })).toThrow(
      expect.objectContaining({ param: "returnUrl", reason: "invalid" }),
    );
  });
});
