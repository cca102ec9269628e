/**
 * The one Ajv setup (JSON Schema 2020-12, as OpenAPI 3.1 uses) for the
 * sandbox and the contract check: the spec's formats with this API's
 * meaning, the spec's own keywords, and the spec itself as `spec#`, so any
 * schema can refer to its parts (`spec#/components/schemas/…`). Nothing is
 * built before it is used: compiling costs start-up time and memory.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { withinDepth } from "../depth.js";
import { isWebUrl } from "../urls.js";
import { spec } from "./document.js";

export type { Ajv2020 };

/** The spec's own keyword: how deep a free-form value (metadata) may nest, which JSON Schema cannot say. */
export const MAX_DEPTH_KEYWORD = "x-medblocks-max-depth";

/** The spec's own keyword: a `pattern` in words, said when the pattern fails (it checks nothing itself). */
export const PATTERN_RULE_KEYWORD = "x-medblocks-pattern-rule";

/**
 * Every format the spec uses, and what it means, in words. `uri` is a web
 * address (lib/urls.ts), as the client checks it: every URI in this API is
 * one a browser or the service will visit, so `mailto:` or `urn:` is not one.
 */
export const FORMATS = {
  uri: "an absolute http(s) URL",
  email: "an email address",
  date: "a date (YYYY-MM-DD)",
  "date-time": "an ISO 8601 date-time",
  uuid: "a UUID",
} as const;

export interface SpecAjvOptions {
  /** Collect every error (the contract check's findings) or stop at the first (the sandbox's one answer). */
  allErrors: boolean;
}

/** A new Ajv with the spec's formats, keywords and document. */
export function createSpecAjv({ allErrors }: SpecAjvOptions): Ajv2020 {
  // `strict: false`: the spec's schemas carry OpenAPI annotations (`example`) that are not JSON Schema keywords.
  // `verbose`: errors carry their schema, so a message can use the schema's own words.
  const ajv = new Ajv2020({ strict: false, allErrors, verbose: true });
  addFormats.default(ajv, ["date", "date-time", "email", "uuid"]);
  ajv.addFormat("uri", isWebUrl);
  ajv.addKeyword({
    keyword: MAX_DEPTH_KEYWORD,
    schemaType: "number",
    validate: (limit: number, data: unknown) => withinDepth(data, limit),
  });
  ajv.addKeyword({ keyword: PATTERN_RULE_KEYWORD, schemaType: "string" });
  // Not checked against the meta-schema here: Redocly lints the spec, and the check would cost every start several MB.
  ajv.addSchema({ ...spec, $id: "spec" }, undefined, undefined, false);
  return ajv;
}

/** `make()`'s value, made on the first call and kept. */
export function once<T extends object>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** A validator of `schema`, compiled by `ajv()` on first use. */
export const lazyValidator = (ajv: () => Ajv2020, schema: object): (() => ValidateFunction) => once(() => ajv().compile(schema));

/**
 * An error of one of the rules the spec gives meaning to, in words (without
 * the field's name): a format, by what it means here; the nesting depth; a
 * pattern that has its rule in words. Undefined for any other error, which
 * the caller words its own way.
 */
export function specRuleWords(error: ErrorObject): string | undefined {
  const parent = error.parentSchema as Record<string, unknown> | undefined;
  if (error.keyword === "format") {
    const format = (error.params as { format: string }).format;
    return `must be ${format in FORMATS ? FORMATS[format as keyof typeof FORMATS] : `in the ${format} format`}`;
  }
  if (error.keyword === MAX_DEPTH_KEYWORD) return `must nest objects and arrays at most ${error.schema} levels deep, itself included`;
  if (error.keyword === "pattern" && typeof parent?.[PATTERN_RULE_KEYWORD] === "string") return parent[PATTERN_RULE_KEYWORD] as string;
  return undefined;
}
