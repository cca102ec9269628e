/**
 * Turns Ajv's errors into the service's answer: `param` names the field as
 * the client does (`events[2]`, `metadata.plan`), and the code follows the
 * client's convention — a missing or unknown field or a wrong type is a
 * malformed request (`bad_request`), any other broken rule an invalid value
 * (`invalid_data`) — so an error reads the same whichever side found it.
 */
import type { ErrorObject } from "ajv";
import { ApiError } from "../errors.js";
import { specRuleWords } from "../../../lib/spec/ajv.js";
import { unescapeSegment } from "../../../lib/spec/openapi.js";

const MALFORMED = new Set(["required", "additionalProperties", "type"]);

const TYPE_NAMES: Record<string, string> = { integer: "an integer", array: "an array", object: "an object", null: "null" };

/** The field at a JSON pointer of `data`, written as the client writes it: `a.b`, `a[0]`. */
function fieldName(pointer: string, data: unknown, base: string): string {
  let name = base;
  let current = data;
  for (const segment of pointer.split("/").slice(1).map(unescapeSegment)) {
    name = Array.isArray(current) ? `${name}[${segment}]` : name ? `${name}.${segment}` : segment;
    current = (current as Record<string, unknown> | undefined)?.[segment];
  }
  return name;
}

const child = (parent: string, name: string) => (parent ? `${parent}.${name}` : name);

/** One Ajv error as a sentence about its field (without the field's name). */
function describe(error: ErrorObject): string {
  const params = error.params as Record<string, any>;
  const parent = error.parentSchema as Record<string, any> | undefined;
  const words = specRuleWords(error);
  if (words !== undefined) return words;
  switch (error.keyword) {
    case "required":
      return "is required";
    case "additionalProperties":
      return `is not a known field (known: ${Object.keys(parent?.properties ?? {}).join(", ")})`;
    case "type": {
      const types: string[] = Array.isArray(params.type) ? params.type : String(params.type).split(",");
      return `must be ${types.map((type) => TYPE_NAMES[type] ?? `a ${type}`).join(" or ")}`;
    }
    case "const":
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(", ")}`;
    case "minLength":
      return params.limit === 1 ? "must not be empty" : `must be at least ${params.limit} characters`;
    case "maxLength":
      return `must be at most ${params.limit} characters`;
    case "pattern": {
      const prefix = /^\^([a-z]+_)\[/.exec(params.pattern)?.[1];
      return prefix ? `must be a \`${prefix}\` id (${params.pattern})` : `must match ${params.pattern}`;
    }
    case "minimum":
    case "maximum":
      return parent?.minimum !== undefined && parent?.maximum !== undefined
        ? `must be between ${parent.minimum} and ${parent.maximum}`
        : `must be ${error.keyword === "minimum" ? "at least" : "at most"} ${params.limit}`;
    case "minItems":
      return `must have at least ${params.limit} item${params.limit === 1 ? "" : "s"}`;
    case "maxItems":
      return `must have at most ${params.limit} items`;
    case "maxProperties":
      return `must have at most ${params.limit} keys`;
    case "false schema":
      return "is not allowed here";
    default:
      return `breaks the \`${error.keyword}\` rule`;
  }
}

/**
 * The error for Ajv's `errors` about `data`. With `allErrors: false` the
 * list is one error, or the failed branches of an `anyOf`/`oneOf` followed
 * by that keyword's own error: the last entry is the one that failed the
 * value. `base` prefixes field names (a query parameter's name, or "" for a
 * body); `label` names the value when the error is about all of it.
 */
export function issueError(errors: readonly ErrorObject[], data: unknown, base: string, label: string): ApiError {
  const last = errors[errors.length - 1]!;
  let param = fieldName(last.instancePath, data, base);
  const params = last.params as Record<string, any>;
  if (last.keyword === "required") param = child(param, params.missingProperty);
  if (last.keyword === "additionalProperties") param = child(param, params.additionalProperty);
  let message = describe(last);
  if (last.keyword === "anyOf") {
    message = errors.slice(0, -1).map(describe).join(", or ");
  } else if (last.keyword === "oneOf") {
    // Branches that each forbid a present field (`properties: {x: false}`) spell out a mutual exclusion.
    const forbidden = errors.filter((error) => error.keyword === "false schema").map((error) => fieldName(error.instancePath, data, base));
    if (params.passingSchemas) message = "matches more than one allowed shape";
    else if (forbidden.length === errors.length - 1 && forbidden.length > 1) {
      param = forbidden[0]!;
      message = `cannot be combined with \`${forbidden.slice(1).join("`, `")}\`: set one or neither`;
    } else {
      const first = errors[0]!;
      return issueError([first], data, base, label);
    }
  }
  const code = MALFORMED.has(last.keyword) ? "bad_request" : "invalid_data";
  return new ApiError(400, code, `${param ? `\`${param}\`` : label} ${message}.`, param || null);
}
