/**
 * A small JSON Schema checker for the request rules in generated/schemas.ts:
 * the keywords the spec uses on inputs, nothing more. It reports the first
 * problem with the field's path and the rule, and never echoes the value
 * (inputs hold patient data).
 */
import { withinDepth } from "../lib/depth.js";
import { isWebUrl } from "../lib/urls.js";

export type Schema =
  | boolean
  | {
      readonly type?: string | readonly string[];
      readonly const?: unknown;
      readonly enum?: readonly unknown[];
      readonly pattern?: string;
      readonly format?: string;
      readonly minLength?: number;
      readonly maxLength?: number;
      readonly minimum?: number;
      readonly maximum?: number;
      readonly minItems?: number;
      readonly maxItems?: number;
      readonly maxProperties?: number;
      readonly items?: Schema;
      readonly properties?: { readonly [name: string]: Schema };
      readonly required?: readonly string[];
      readonly additionalProperties?: Schema;
      readonly oneOf?: readonly Schema[];
      readonly anyOf?: readonly Schema[];
      /** How many levels of objects and arrays a free-form value may nest, itself included (the spec's own keyword). */
      readonly "x-medblocks-max-depth"?: number;
      /** A `pattern` in words (the spec's own keyword): the message when it fails. */
      readonly "x-medblocks-pattern-rule"?: string;
    };

/** One broken rule: where (`return_url`, `events[2]`), which keyword, and a sentence. */
export interface Issue {
  path: string;
  rule: string;
  message: string;
}

const DATE_TIME = /^(\d{4}-\d\d-\d\d)T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;

/** Whether `value` is `YYYY-MM-DD` naming a day of the calendar (`2026-02-31` is not). */
export function isCalendarDate(value: string): boolean {
  // The engine rolls a day past the month's end over (`02-31` → `03-03`): only a real day comes back unchanged.
  const time = /^\d{4}-\d\d-\d\d$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}

/** Whether `value` is an RFC 3339 date-time naming a real instant (no day 31 of February, no hour 24). */
function isInstant(value: string): boolean {
  const match = DATE_TIME.exec(value);
  return match !== null && isCalendarDate(match[1]!);
}

/**
 * Web addresses already found valid: an app sends the same `return_url` call after call, and parsing one is a tenth of
 * the checks' time.
 */
const validUris = /* @__PURE__ */ new Set<string>();
const MAX_VALID_URIS = 64;

/** Whether `value` is an absolute http(s) URL the URL parser accepts (lib/urls.ts), remembered when it is. */
function isWebAddress(value: string): boolean {
  if (validUris.has(value)) return true;
  if (!isWebUrl(value)) return false;
  if (validUris.size >= MAX_VALID_URIS) validUris.clear();
  validUris.add(value);
  return true;
}

const FORMATS: Record<string, [(value: string) => boolean, string]> = {
  // Every URI in this API is a web address the browser or Medblocks will visit.
  uri: [isWebAddress, "an absolute http(s) URL"],
  email: [(value) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value), "an email address"],
  date: [isCalendarDate, "a real date (YYYY-MM-DD)"],
  "date-time": [isInstant, "a real ISO 8601 date-time (YYYY-MM-DDThh:mm:ssZ, or an offset)"],
  uuid: [(value) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value), "a UUID"],
};

const issue = (path: string, rule: string, message: string): Issue => ({ path, rule, message });
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case "integer":
      return Number.isInteger(value);
    case "number":
      return Number.isFinite(value);
    case "object":
      return isObject(value);
    case "array":
      return Array.isArray(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

const NAMES: Record<string, string> = { integer: "an integer", array: "an array", object: "an object", null: "null" };

/**
 * A schema with every keyword this checker reads, in one fixed order: all
 * schemas then share one object shape, so reading a keyword stays a direct
 * load. Read straight from the generated objects, each of its own shape,
 * the same checks took several times longer on a real call (the engine's
 * shared lookup cache is crowded by then).
 */
interface Rule {
  readonly allows: boolean | undefined;
  readonly anyOf: readonly Rule[] | undefined;
  readonly type: string | readonly string[] | undefined;
  readonly maxDepth: number | undefined;
  readonly const: unknown;
  readonly enum: readonly unknown[] | undefined;
  readonly format: readonly [(value: string) => boolean, string] | undefined;
  readonly minLength: number | undefined;
  readonly maxLength: number | undefined;
  readonly pattern: RegExp | undefined;
  /** What a value failing `pattern` is told. */
  readonly patternMessage: string | undefined;
  readonly minimum: number | undefined;
  readonly maximum: number | undefined;
  readonly minItems: number | undefined;
  readonly maxItems: number | undefined;
  readonly items: Rule | undefined;
  readonly required: readonly string[] | undefined;
  readonly properties: ReadonlyMap<string, Rule>;
  readonly closed: boolean;
  readonly maxProperties: number | undefined;
  readonly oneOf: readonly Rule[] | undefined;
}

const compiled = /* @__PURE__ */ new WeakMap<object, Rule>();

/** The rule of `schema`, made once per schema object. */
function ruleOf(schema: Schema): Rule {
  if (typeof schema === "boolean") return schema ? ANYTHING : NOTHING;
  let rule = compiled.get(schema);
  if (!rule) compiled.set(schema, (rule = compile(schema, undefined)));
  return rule;
}

function compile(schema: Exclude<Schema, boolean>, allows: boolean | undefined): Rule {
  const pattern = schema.pattern;
  const prefix = pattern === undefined ? undefined : /^\^([a-z]+_)\[/.exec(pattern)?.[1];
  return {
    allows,
    anyOf: schema.anyOf?.map(ruleOf),
    type: schema.type,
    maxDepth: schema["x-medblocks-max-depth"],
    const: schema.const,
    enum: schema.enum,
    format: schema.format === undefined ? undefined : FORMATS[schema.format],
    minLength: schema.minLength,
    maxLength: schema.maxLength,
    pattern: pattern === undefined ? undefined : new RegExp(pattern, "u"),
    patternMessage:
      pattern === undefined
        ? undefined
        : prefix
          ? `must be an id starting with \`${prefix}\``
          : (schema["x-medblocks-pattern-rule"] ?? `must match ${pattern}`),
    minimum: schema.minimum,
    maximum: schema.maximum,
    minItems: schema.minItems,
    maxItems: schema.maxItems,
    items: schema.items === undefined ? undefined : ruleOf(schema.items),
    required: schema.required,
    properties: new Map(Object.entries(schema.properties ?? {}).map(([name, sub]) => [name, ruleOf(sub)])),
    closed: schema.additionalProperties === false,
    maxProperties: schema.maxProperties,
    oneOf: schema.oneOf?.map(ruleOf),
  };
}

/** The boolean schemas: `true` allows any value, `false` none. */
const ANYTHING = /* @__PURE__ */ compile({}, true);
const NOTHING = /* @__PURE__ */ compile({}, false);

/** Length (in code points) and pattern rules of a string. */
function checkString(rule: Rule, value: string, path: string): Issue | undefined {
  const length = /[\uD800-\uDBFF]/.test(value) ? [...value].length : value.length;
  const { minLength: min, maxLength: max } = rule;
  if (min !== undefined && length < min) {
    return issue(path, "minLength", min === 1 ? "must not be empty" : `must be at least ${min} characters (got ${length})`);
  }
  if (max !== undefined && length > max) return issue(path, "maxLength", `must be at most ${max} characters (got ${length})`);
  if (rule.pattern !== undefined && !rule.pattern.test(value)) return issue(path, "pattern", rule.patternMessage!);
  return undefined;
}

/** The first rule of `schema` that `value` breaks, with its path, or undefined. */
export function check(schema: Schema, value: unknown, path: string): Issue | undefined {
  return checkRule(ruleOf(schema), value, path);
}

function checkRule(rule: Rule, value: unknown, path: string): Issue | undefined {
  if (rule.allows === true) return undefined;
  if (rule.allows === false) return issue(path, "not", "is not allowed here");
  if (rule.anyOf) {
    const issues = rule.anyOf.map((branch) => checkRule(branch, value, path));
    if (issues.every(Boolean)) return issue(path, "anyOf", issues.map((found) => found!.message).join(", or "));
  }
  const type = rule.type;
  if (type !== undefined && !(typeof type === "string" ? hasType(type, value) : type.some((each) => hasType(each, value)))) {
    const types = typeof type === "string" ? [type] : type;
    return issue(path, "type", `must be ${types.map((each) => NAMES[each] ?? `a ${each}`).join(" or ")}`);
  }
  const depth = rule.maxDepth;
  if (depth !== undefined && !withinDepth(value, depth)) {
    return issue(path || "(body)", "maxDepth", `must nest objects and arrays at most ${depth} levels deep, itself included`);
  }
  if (rule.const !== undefined && value !== rule.const) return issue(path, "const", `must be ${JSON.stringify(rule.const)}`);
  if (rule.enum && !rule.enum.includes(value)) {
    return issue(path, "enum", `must be one of ${rule.enum.map((option) => JSON.stringify(option)).join(", ")}`);
  }
  if (typeof value === "string") {
    const format = rule.format;
    return checkString(rule, value, path) ?? (format && !format[0](value) ? issue(path, "format", `must be ${format[1]}`) : undefined);
  }
  if (typeof value === "number") {
    const { minimum: min, maximum: max } = rule;
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      const bound =
        min !== undefined && max !== undefined ? `between ${min} and ${max}` : min !== undefined ? `at least ${min}` : `at most ${max}`;
      return issue(path, value < (min ?? -Infinity) ? "minimum" : "maximum", `must be ${bound}`);
    }
  }
  if (Array.isArray(value)) {
    if (rule.minItems !== undefined && value.length < rule.minItems) {
      return issue(path, "minItems", `must have at least ${rule.minItems} item${rule.minItems === 1 ? "" : "s"}`);
    }
    if (rule.maxItems !== undefined && value.length > rule.maxItems) {
      return issue(path, "maxItems", `must have at most ${rule.maxItems} items (got ${value.length})`);
    }
    if (rule.items !== undefined) {
      for (let index = 0; index < value.length; index++) {
        const found = checkRule(rule.items, value[index], `${path}[${index}]`);
        if (found) return found;
      }
    }
  }
  if (isObject(value)) return checkObject(rule, value, path);
  return undefined;
}

function checkObject(rule: Rule, value: Record<string, unknown>, path: string): Issue | undefined {
  const at = (name: string) => (path ? `${path}.${name}` : name);
  // A key holding `undefined` is left out by JSON.stringify, so it counts as absent.
  const present: string[] = [];
  for (const name of Object.keys(value)) if (value[name] !== undefined) present.push(name);
  if (rule.required) {
    for (const name of rule.required) if (!present.includes(name)) return issue(at(name), "required", "is required");
  }
  const properties = rule.properties;
  if (rule.closed) {
    const unknown = present.find((name) => !properties.has(name));
    if (unknown !== undefined) {
      return issue(at(unknown), "additionalProperties", `is not a known field (known: ${[...properties.keys()].join(", ")})`);
    }
  }
  if (rule.maxProperties !== undefined && present.length > rule.maxProperties) {
    return issue(path || "(body)", "maxProperties", `must have at most ${rule.maxProperties} keys (got ${present.length})`);
  }

  for (const name of present) {
    const sub = properties.get(name);
    if (sub !== undefined) {
      const found = checkRule(sub, value[name], path ? `${path}.${name}` : name);
      if (found) return found;
    }
  }
  if (rule.oneOf) {
    const issues = rule.oneOf.map((branch) => checkRule(branch, value, path));
    const matches = issues.filter((found) => !found).length;
    if (matches === 0) {
      // Branches that each forbid a present field (`properties: {x: false}`)
      // spell out a mutual exclusion: name the fields.
      const forbidden = issues.filter((found) => found!.rule === "not").map((found) => found!.path);
      return forbidden.length === issues.length
        ? issue(forbidden[0]!, "oneOf", `cannot be combined with \`${forbidden.slice(1).join("`, `")}\`: set one or neither`)
        : issues[0]!;
    }
    if (matches > 1) return issue(path || "(body)", "oneOf", "matches more than one allowed shape");
  }
  return undefined;
}
