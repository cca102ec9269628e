/**
 * lib/spec/: the one spec runtime of the sandbox, the contract check and the
 * scripts — JSON pointers and `$ref` chains, the bundled document, the Ajv
 * setup (formats with this API's meaning, the spec's own keywords, built on
 * first use) — and the key prefixes the generator takes from the spec.
 */
import { describe, expect, it } from "vitest";
import { KEY_PREFIXES } from "../generated/schemas.js";
import { createSpecAjv, FORMATS, lazyValidator, MAX_DEPTH_KEYWORD, once } from "../lib/spec/ajv.js";
import { documentedResponse, documentedStatuses, resolve, spec } from "../lib/spec/document.js";
import { deref, escapeSegment, located, resolve as resolveIn, unescapeSegment, type Json } from "../lib/spec/openapi.js";
import { responseCheck } from "../lib/spec/responses.js";
import { tables } from "../scripts/generate/tables.js";

const root: Json = {
  components: {
    schemas: {
      Id: { type: "string", description: "an id" },
      Alias: { $ref: "#/components/schemas/Id" },
      Chain: { $ref: "#/components/schemas/Alias", description: "a chain" },
      "a/b~c": { const: 1 },
      Loop: { $ref: "#/components/schemas/Loop" },
    },
  },
};

describe("pointers and $ref chains", () => {
  it("escapes and unescapes a key as a pointer segment, ~ before /", () => {
    expect(escapeSegment("a/b~c")).toBe("a~1b~0c");
    expect(unescapeSegment("a~1b~0c")).toBe("a/b~c");
    expect(unescapeSegment("~01")).toBe("~1");
    expect(resolveIn(root, `#/components/schemas/${escapeSegment("a/b~c")}`)).toEqual({ const: 1 });
  });

  it("follows a chain of $refs to the concrete object, keywords beside a $ref winning", () => {
    expect(deref(root, { $ref: "#/components/schemas/Chain" })).toEqual({ type: "string", description: "a chain" });
    expect(deref(root, { $ref: "#/components/schemas/Alias" })).toEqual({ type: "string", description: "an id" });
    expect(located(root, "#/components/schemas/Chain")).toEqual({ pointer: "#/components/schemas/Id", node: root.components.schemas.Id });
  });

  it("names the pointer and the missing key when a pointer finds nothing, and refuses non-local and cyclic $refs", () => {
    expect(() => resolveIn(root, "#/components/schemas/Nope")).toThrow('nothing at #/components/schemas/Nope in the spec (no "Nope")');
    expect(() => deref(root, { $ref: "#/components/schemas/Nope/type" })).toThrow("nothing at #/components/schemas/Nope/type");
    expect(() => deref(root, { $ref: "other.yaml#/Id" })).toThrow("not a local JSON pointer (#/…): other.yaml#/Id");
    expect(() => deref(root, { $ref: "#/components/schemas/Loop" })).toThrow("a $ref cycle at #/components/schemas/Loop");
    expect(located(root, "#/components/schemas/Nope")).toBeUndefined();
  });
});

describe("the bundled document", () => {
  it("finds a response through its $ref, at the pointer a validator can use", () => {
    const found = documentedResponse("api.getPatient", 404)!;
    expect(found.pointer).toBe("#/components/responses/NotFound");
    expect(resolve(`${found.pointer}/content/application~1json/schema`)).toBeDefined();
    expect(documentedResponse("api.getPatient", 200)!.pointer).toBe("#/paths/~1patients~1{id}/get/responses/200");
    expect(documentedResponse("api.getPatient", 418)).toBeUndefined();
    expect(documentedStatuses("api.health")).toEqual([200]);
  });
});

describe("the Ajv setup", () => {
  const ajv = createSpecAjv({ allErrors: false });

  it("knows every format the spec uses (Ajv would skip an unknown one without a word)", () => {
    const used = new Set<string>();
    (function walk(node: unknown): void {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        if (typeof (node as Json).format === "string") used.add((node as Json).format);
        Object.values(node).forEach(walk);
      }
    })(spec);
    expect([...used].sort()).toEqual(Object.keys(FORMATS).sort());
    for (const format of used) expect(ajv.formats[format], format).toBeDefined();
  });

  it("takes a `uri` as a web address: http(s) with a host, nothing else", () => {
    const uri = ajv.compile({ type: "string", format: "uri" });
    for (const value of ["https://app.example.com/return?x=1", "http://127.0.0.1:3000/"]) expect(uri(value), value).toBe(true);
    for (const value of ["urn:isbn:1", "mailto:a@b.c", "ftp://host/file", "https:///path", "https://a b"])
      expect(uri(value), value).toBe(false);
  });

  it("enforces x-medblocks-max-depth, and finds the spec's schemas as spec#", () => {
    const metadata = ajv.getSchema("spec#/components/schemas/Metadata")!;
    const limit = (spec.components.schemas.Metadata as Json)[MAX_DEPTH_KEYWORD] as number;
    const nested = (levels: number): unknown => (levels === 1 ? {} : { a: nested(levels - 1) });
    expect(metadata(nested(limit))).toBe(true);
    expect(metadata(nested(limit + 1))).toBe(false);
    expect(metadata.errors?.[0]?.keyword).toBe(MAX_DEPTH_KEYWORD);
  });

  it("builds nothing before it is used, and once", () => {
    let made = 0;
    const lazy = once(() => (made++, createSpecAjv({ allErrors: true })));
    const validate = lazyValidator(lazy, { type: "integer" });
    const check = responseCheck(lazy);
    expect(made).toBe(0);
    expect(validate()(1)).toBe(true);
    expect(validate()).toBe(validate());
    expect(check("api.health", { status: 200, headers: new Headers({ "x-request-id": "r" }), body: { json: { ok: true } } })).toEqual([
      { kind: "media type", contentType: "" },
      expect.objectContaining({ kind: "body" }),
    ]);
    expect(made).toBe(1);
  });
});

describe("the key prefixes", () => {
  const bundle = (): Json => structuredClone(spec);

  it("come from the bearer scheme's x-medblocks-key-prefixes", () => {
    expect(KEY_PREFIXES).toEqual(spec.components.securitySchemes.BearerAuth["x-medblocks-key-prefixes"]);
    expect(tables(spec).KEY_PREFIXES!.value).toEqual({ live: "mb_sk_live_", sandbox: "mb_sk_sbx_" });
  });

  it("stop generation when the words people read (bearerFormat) do not show one, or one is missing", () => {
    const shown = bundle();
    shown.components.securitySchemes.BearerAuth["x-medblocks-key-prefixes"].sandbox = "mb_sk_test_";
    expect(() => tables(shown)).toThrow("bearerFormat must show the sandbox prefix as mb_sk_test_…");
    const missing = bundle();
    delete missing.components.securitySchemes.BearerAuth["x-medblocks-key-prefixes"].live;
    expect(() => tables(missing)).toThrow("x-medblocks-key-prefixes.live must be a prefix");
  });
});
