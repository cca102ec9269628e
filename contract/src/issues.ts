/**
 * Ajv's errors about a response body, as findings a person can act on: one
 * per broken rule, at the JSON pointer of the value that breaks it (a
 * missing property at its own pointer, `/connections/0/id`), with the
 * failed branches of an `anyOf`/`oneOf` folded into the one error that
 * speaks for them. Values from the body are never repeated: they may be
 * patient data. Only the spec's own words (allowed values, types) are.
 */
import type { ErrorObject } from "ajv";
import { specRuleWords } from "../../lib/spec/ajv.js";
import { deref } from "../../lib/spec/document.js";
import { escapeSegment, unescapeSegment } from "../../lib/spec/openapi.js";
import type { Json } from "./spec.js";

/** One thing wrong with a response: where (a JSON pointer, `header X-Request-Id`, `status`, `(body)`) and what. */
export interface Issue {
  where: string;
  message: string;
  /**
   * What makes two issues of one operation the same drift, at whatever
   * status: where (array indices as `*`) and the rule broken — and the
   * status itself where the rule is about it (an undocumented status, the
   * error type a status carries).
   */
  key: string;
}

/** A pointer with its array indices as `*`, so one drift across a list's items counts once. */
export const pointerShape = (pointer: string): string => pointer.replace(/\/\d+(?=\/|$)/g, "/*");

/** The value at a JSON pointer of `data`. */
function at(data: unknown, pointer: string): unknown {
  return pointer
    .split("/")
    .slice(1)
    .reduce<unknown>(
      (value, segment) =>
        value !== null && typeof value === "object" ? (value as Record<string, unknown>)[unescapeSegment(segment)] : undefined,
      data,
    );
}

const list = (values: readonly unknown[]) => values.map((value) => (typeof value === "string" ? value : JSON.stringify(value))).join(", ");
const FIELD_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** The schemas a value may be checked against: `schema` itself and, through `$ref`s, every branch of its `allOf`/`anyOf`/`oneOf`. */
function branches(schema: Json | undefined, depth = 0): Json[] {
  const resolved = schema && typeof schema === "object" ? deref(schema) : undefined;
  if (!resolved || typeof resolved !== "object" || depth > 16) return [];
  const nested = [...(resolved.allOf ?? []), ...(resolved.anyOf ?? []), ...(resolved.oneOf ?? [])] as Json[];
  return [resolved, ...nested.flatMap((branch) => branches(branch, depth + 1))];
}

/** Every property name the spec documents for the value at `pointer` of a body checked against `root`. */
function documentedNames(root: Json, pointer: string): Set<string> {
  let schemas = branches(root);
  for (const segment of pointer.split("/").slice(1).map(unescapeSegment)) {
    schemas = schemas.flatMap((schema) => branches(/^\d+$/.test(segment) && schema.items ? schema.items : schema.properties?.[segment]));
  }
  return new Set(schemas.flatMap((schema) => Object.keys(schema.properties ?? {})));
}

/** The fields of the object at `pointer` that its schema does not name: the likely new name of a missing field. */
function undocumentedFields(data: unknown, pointer: string, root: Json): string[] {
  const value = at(data, pointer);
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
  const known = documentedNames(root, pointer);
  // Only names that look like field names: never a value, whatever a server puts in its keys.
  return Object.keys(value)
    .filter((name) => !known.has(name) && FIELD_NAME.test(name))
    .slice(0, 5);
}

function describe(error: ErrorObject, branches: ErrorObject[]): string {
  const params = error.params as Record<string, any>;
  // The rules the spec gives meaning to (a format, the nesting depth) in its words, as the sandbox says them.
  const words = specRuleWords(error);
  if (words !== undefined) return words;
  switch (error.keyword) {
    case "type":
      return `must be ${String(params.type).split(",").join(" or ")}`;
    case "enum":
      return `must be equal to one of the allowed values (${list(params.allowedValues)})`;
    case "const":
      return `must be equal to the constant ${JSON.stringify(params.allowedValue)}`;
    case "anyOf":
    case "oneOf": {
      const types = branches.filter((branch) => branch.keyword === "type" && branch.instancePath === error.instancePath);
      if (types.length > 0 && types.length === branches.length)
        return `must be ${types.map((branch) => String((branch.params as { type: string }).type)).join(" or ")}`;
      return error.message ?? `breaks \`${error.keyword}\``;
    }
    default:
      return error.message ?? `breaks \`${error.keyword}\``;
  }
}

/**
 * The issues in Ajv's `errors` (collected with `allErrors`) about `body`,
 * which was checked against `schema`. A value of the wrong type is one
 * drift: the `enum` or `const` it then also breaks is not another.
 */
export function bodyIssues(errors: readonly ErrorObject[], body: unknown, schema: Json): Issue[] {
  const combinators = errors.filter((error) => error.keyword === "anyOf" || error.keyword === "oneOf");
  const mistyped = new Set(errors.filter((error) => error.keyword === "type").map((error) => error.instancePath));
  const branchesOf = (combinator: ErrorObject) => errors.filter((error) => error.schemaPath.startsWith(`${combinator.schemaPath}/`));
  const issues: Issue[] = [];
  for (const error of errors) {
    if (combinators.some((combinator) => combinator !== error && error.schemaPath.startsWith(`${combinator.schemaPath}/`))) continue;
    if ((error.keyword === "enum" || error.keyword === "const") && mistyped.has(error.instancePath)) continue;
    if (error.keyword === "required") {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      const where = `${error.instancePath}/${escapeSegment(missing)}`;
      const renamed = undocumentedFields(body, error.instancePath, schema);
      const hint =
        renamed.length > 0 ? `; the object has undocumented ${renamed.length === 1 ? "field" : "fields"} ${renamed.join(", ")}` : "";
      issues.push({ where, message: `is required but missing${hint}`, key: `${pointerShape(where)} required` });
      continue;
    }
    const where = error.instancePath || "(body)";
    issues.push({ where, message: describe(error, branchesOf(error)), key: `${pointerShape(where)} ${error.keyword}` });
  }
  return issues;
}
