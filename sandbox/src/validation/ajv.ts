/**
 * The one Ajv instance (JSON Schema 2020-12, as OpenAPI 3.1 uses) that checks
 * requests, responses, control bodies and state files.
 */
import type { ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { spec } from "../spec.js";

/** Every URI in this API is a web address a browser or the service will visit: http(s) only, as the client checks. */
export const isWebUrl = (value: string): boolean => /^https?:\/\/[^\s/?#]+[^\s]*$/i.test(value) && URL.canParse(value);

// `strict: false`: the spec's schemas carry OpenAPI annotations (`example`) that are not JSON Schema keywords.
export const ajv = new Ajv2020({ strict: false, allErrors: false, verbose: true });
addFormats.default(ajv, ["date", "date-time", "email", "uuid"]);
ajv.addFormat("uri", isWebUrl);
/**
 * Whether `value` nests objects and arrays at most `limit` levels deep
 * (itself included), walked with a stack of its own: the values refused are
 * those deep enough to overflow the call stack of a recursive walk.
 */
function withinDepth(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== "object" || current === null) continue;
    if (depth > limit) return false;
    for (const child of Object.values(current)) if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
  }
  return true;
}

/** The spec's own keyword: how deep a free-form value (metadata) may nest, which JSON Schema cannot say. */
export const MAX_DEPTH_KEYWORD = "x-medblocks-max-depth";
ajv.addKeyword({ keyword: MAX_DEPTH_KEYWORD, schemaType: "number", validate: (limit: number, data: unknown) => withinDepth(data, limit) });

/** The spec's own keyword: a `pattern` in words, which issues.ts says when the pattern fails (it checks nothing itself). */
export const PATTERN_RULE_KEYWORD = "x-medblocks-pattern-rule";
ajv.addKeyword({ keyword: PATTERN_RULE_KEYWORD, schemaType: "string" });

/**
 * The bundled spec, so any schema can refer to its parts as
 * `spec#/components/schemas/…`. Not checked against the meta-schema here:
 * Redocly lints it, and the check would cost every start several MB.
 */
ajv.addSchema({ ...spec, $id: "spec" }, undefined, undefined, false);

/** A validator compiled on first use: compiling costs memory and start-up time, so only what is used is compiled. */
export function lazyValidator(schema: object): () => ValidateFunction {
  let validate: ValidateFunction | undefined;
  return () => (validate ??= ajv.compile(schema));
}
