/**
 * generated/schemas.ts: the spec's facts the client and the sandbox check at
 * run time, each once — the API version and base URL, every operation (its
 * method, path, client method and input rules), the return URL's cases, the
 * error type each status carries, and the id prefixes.
 */
import { deref, operationsOf, type Json } from "../../lib/spec/openapi.js";

/**
 * Keywords the client's validator understands; everything else (docs,
 * examples) is dropped. Two keywords are this contract's own:
 * `x-medblocks-max-depth`, how deep a free-form value (metadata) may nest,
 * which JSON Schema cannot say; `x-medblocks-pattern-rule`, a `pattern` in
 * words, for messages a person can act on.
 */
const KEYWORDS = new Set([
  "type",
  "const",
  "enum",
  "pattern",
  "format",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "minItems",
  "maxItems",
  "maxProperties",
  "items",
  "properties",
  "required",
  "additionalProperties",
  "oneOf",
  "anyOf",
  "x-medblocks-max-depth",
  "x-medblocks-pattern-rule",
]);

/** An id pattern, `^prefix_[A-Za-z0-9_-]+$`: the only pattern ids use. */
const ID_PATTERN = /^\^([a-z]+_)\[A-Za-z0-9_-\]\+\$$/;

function runtimeSchema(root: Json, node: Json | boolean): unknown {
  if (typeof node === "boolean") return node;
  const schema = deref(root, node);
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!KEYWORDS.has(key)) continue;
    if (key === "properties") {
      out[key] = Object.fromEntries(Object.entries<Json>(value).map(([name, sub]) => [name, runtimeSchema(root, sub)]));
    } else if (key === "items" || (key === "additionalProperties" && typeof value === "object")) {
      out[key] = runtimeSchema(root, value);
    } else if (key === "oneOf" || key === "anyOf") {
      out[key] = (value as Json[]).map((branch) => runtimeSchema(root, branch));
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * One case of the return URL, cut to what src/return-url.ts checks: for each
 * parameter, its `maxLength`, its id `prefix` when it is an id, and
 * `optional` when it is not required. Every value is a non-empty string.
 * `success`, which picks the case, keys it: "hosted" when the case forbids
 * it, else its constant. Anything else in the spec stops generation rather
 * than going unchecked.
 */
function returnCase(schema: Json): [string, Json] {
  const parameters: Json = {};
  let key: string | undefined;
  for (const [name, rule] of Object.entries<Json | boolean>(schema.properties)) {
    if (name === "success") {
      if (rule === false) key = "hosted";
      else if (typeof rule === "object" && typeof rule.const === "string") key = rule.const;
      else throw new Error(`return-URL parameter success: only absent or a constant is supported, got ${JSON.stringify(rule)}`);
      continue;
    }
    if (typeof rule === "boolean") throw new Error(`return-URL parameter ${name}: unsupported rule ${rule}`);
    const { type, minLength, maxLength, pattern, ...rest } = rule;
    if (type !== "string" || (minLength ?? 1) !== 1 || typeof maxLength !== "number" || Object.keys(rest).length > 0) {
      throw new Error(`return-URL parameter ${name}: only non-empty strings with a maxLength are supported, got ${JSON.stringify(rule)}`);
    }
    const prefix = pattern === undefined ? "" : ID_PATTERN.exec(pattern)?.[1];
    if (prefix === undefined)
      throw new Error(`return-URL parameter ${name}: only id patterns ^prefix_[A-Za-z0-9_-]+$ are supported, got ${pattern}`);
    parameters[name] = { maxLength, ...(prefix && { prefix }), ...(!(schema.required as string[]).includes(name) && { optional: true }) };
  }
  if (key === undefined) throw new Error("a return-URL case must say whether `success` is absent or which constant it is");
  return [key, parameters];
}

/** The client method an operation names (`x-medblocks-sdk`); the resource is "" for a method on the client itself. */
export function sdkName(operationId: string, operation: Json): { resource: string; method: string; paginated: boolean } {
  const sdk = operation["x-medblocks-sdk"];
  if (typeof sdk?.method !== "string") throw new Error(`${operationId}: x-medblocks-sdk.method is required (npm run lint says more)`);
  return { resource: sdk.resource ?? "", method: sdk.method, paginated: sdk.paginated === true };
}

/** The path template's parameters, in order. */
export const pathParameters = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);

/** The key prefixes the bearer scheme states, checked against the words its `bearerFormat` shows people. */
function keyPrefixes(root: Json): { live: string; sandbox: string } {
  const scheme = deref(root, root.components.securitySchemes.BearerAuth);
  const prefixes = scheme["x-medblocks-key-prefixes"] ?? {};
  for (const kind of ["live", "sandbox"]) {
    const prefix = prefixes[kind];
    if (typeof prefix !== "string" || !/^[a-z_]+_$/.test(prefix))
      throw new Error(`BearerAuth: x-medblocks-key-prefixes.${kind} must be a prefix such as mb_sk_sbx_`);
    if (!String(scheme.bearerFormat).includes(`${prefix}…`))
      throw new Error(`BearerAuth: bearerFormat must show the ${kind} prefix as ${prefix}…`);
  }
  return { live: prefixes.live, sandbox: prefixes.sandbox };
}

export function tables(root: Json): Record<string, { value: unknown; doc: string }> {
  const operations: Json = {};
  const returnCases: Json = {};
  const errorTypes: Json = {};
  const errorTypeEnum: string[] = deref(root, root.components.schemas.ErrorType).enum;
  const labels = new Set<string>();

  for (const { operationId, method, path, operation, parameters } of operationsOf(root)) {
    const { resource, method: name, paginated } = sdkName(operationId, operation);
    const label = ["mb", resource, name].filter(Boolean).join(".");
    if (labels.has(label)) throw new Error(`${operationId}: ${label} names another operation's method too`);
    labels.add(label);
    const params: Json = {};
    for (const parameter of parameters) {
      params[parameter.name] = { in: parameter.in, required: parameter.required === true, schema: runtimeSchema(root, parameter.schema) };
    }
    const body = operation.requestBody && deref(root, operation.requestBody);
    const hasQuery = parameters.some((parameter) => parameter.in === "query");
    if (body && hasQuery) throw new Error(`${operationId}: a body and a query together: decide the client method's arguments first`);
    if (paginated && !hasQuery) throw new Error(`${operationId}: a paginated operation takes its cursor in the query`);
    operations[operationId] = {
      method,
      path,
      resource,
      name,
      ...(paginated && { paginated }),
      params,
      ...(body && { body: { required: body.required === true, schema: runtimeSchema(root, body.content["application/json"].schema) } }),
    };

    for (const [status, reference] of Object.entries<Json>(operation.responses)) {
      if (Number(status) < 400) continue;
      const response = deref(root, reference);
      const type = response["x-medblocks-error-type"];
      if (!errorTypeEnum.includes(type)) throw new Error(`${operationId} ${status}: x-medblocks-error-type ${type} is not an ErrorType`);
      if (errorTypes[status] !== undefined && errorTypes[status] !== type)
        throw new Error(`status ${status} carries two error types, ${errorTypes[status]} and ${type}`);
      for (const [example, value] of Object.entries<Json>(response.content?.["application/json"]?.examples ?? {})) {
        const shown = deref(root, value).value?.error?.type;
        if (shown !== type) throw new Error(`${operationId} ${status}: example ${example} shows type ${shown}, the response says ${type}`);
      }
      errorTypes[status] = type;
    }

    // The return URL is described as callbacks whose one exploded query
    // parameter refers to a named schema (ReturnHostedQuery, ...).
    for (const callback of Object.values<Json>(operation.callbacks ?? {})) {
      for (const callbackItem of Object.values<Json>(callback)) {
        for (const parameter of callbackItem.get?.parameters ?? []) {
          if (!parameter.schema?.$ref) continue;
          const [key, rules] = returnCase(runtimeSchema(root, parameter.schema) as Json);
          returnCases[key] = rules;
        }
      }
    }
  }

  const idPrefixes: Json = {};
  for (const [name, schema] of Object.entries<Json>(root.components.schemas)) {
    const prefix = typeof schema.pattern === "string" ? /^\^([a-z]+_)/.exec(schema.pattern)?.[1] : undefined;
    if (prefix) idPrefixes[name] = prefix;
  }

  return {
    KEY_PREFIXES: {
      value: keyPrefixes(root),
      doc: "How each kind of API key starts (the bearer scheme's `x-medblocks-key-prefixes`): a live key, a sandbox key.",
    },
    API_VERSION: { value: root.info.version, doc: "The API version the spec describes (`info.version`), sent as `Version`." },
    SERVER_URL: { value: root.servers[0].url, doc: "The API's base URL (`servers[0].url`)." },
    ERROR_TYPES: {
      value: Object.fromEntries(Object.entries(errorTypes).sort(([a], [b]) => Number(a) - Number(b))),
      doc: "The error type each error status carries, by status (each error response's `x-medblocks-error-type`).",
    },
    ID_PREFIXES: {
      value: idPrefixes,
      doc: "The prefix of each kind of id (and of the webhook secret), by schema: what its pattern requires it to start with.",
    },
    RETURN_URL: {
      value: returnCases,
      doc:
        "The return URL's cases (the hosted page, `success=true`, `success=false`), from the callbacks of POST /patient-sessions: each " +
        "parameter's maxLength, id prefix if it is an id, and whether it is optional.",
    },
    operations: {
      value: operations,
      doc:
        'Each operation by operationId: method, path template, the client method that calls it (`resource` "" is the client itself; ' +
        "`paginated` for lists), and the rules of its parameters and body.",
    },
  };
}
