import { describe, expect, it } from "vitest";
import { withinDepth } from "../lib/depth.js";
import { checkedBaseUrl, isWebUrl } from "../lib/urls.js";

const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

describe("withinDepth", () => {
  it("counts the value itself as the first level, objects and arrays alike", () => {
    expect(withinDepth(nested(3), 3)).toBe(true);
    expect(withinDepth(nested(4), 3)).toBe(false);
    expect(withinDepth("text", 0)).toBe(true);
    expect(withinDepth({}, 0)).toBe(false);
  });

  it("walks a value far deeper than the call stack without overflowing", () => {
    expect(withinDepth(nested(200_000), 20)).toBe(false);
  });

  it("finds the one deep branch among shallow ones", () => {
    expect(withinDepth({ a: 1, b: [1, 2], c: { d: nested(19) } }, 20)).toBe(false);
    expect(withinDepth({ a: 1, b: [1, 2], c: { d: nested(18) } }, 20)).toBe(true);
  });
});

describe("checkedBaseUrl", () => {
  it("accepts an origin, or one with a path, and drops trailing slashes", () => {
    expect(checkedBaseUrl("https://app.medblocks.com/")).toEqual({ baseUrl: "https://app.medblocks.com" });
    expect(checkedBaseUrl("http://127.0.0.1:4010/api//")).toEqual({ baseUrl: "http://127.0.0.1:4010/api" });
  });

  it.each(["app.medblocks.com", "ftp://host", "https://host/?q=1", "https://host/#top", "https://ho st", "https://", "/relative"])(
    "refuses %s as a form problem",
    (value) => {
      expect(checkedBaseUrl(value).problem).toBe("form");
    },
  );

  it("refuses a user name or password", () => {
    expect(checkedBaseUrl("https://user:secret@host").problem).toBe("credentials");
    expect(checkedBaseUrl("https://user@host").problem).toBe("credentials");
  });
});

describe("isWebUrl", () => {
  it("takes http(s) addresses with a host, and nothing else", () => {
    expect(isWebUrl("https://app.example.com/return?x=1#y")).toBe(true);
    expect(isWebUrl("HTTP://127.0.0.1:3000/")).toBe(true);
    for (const value of ["mailto:a@b.c", "javascript:alert(1)", "https:///path", "https://a b", "//host/path", "urn:isbn:1"])
      expect(isWebUrl(value)).toBe(false);
  });
});
