/**
 * The client's typed surface, from the spec. Types only, over
 * generated/api.d.ts:
 *
 * - generated/models.ts: an interface per object schema, so editors and type
 *   errors show names (`PatientDetail`) instead of every field;
 * - generated/sdk.ts: `Signatures`, each operation's client method (its
 *   arguments before the request options, labeled as the spec names them,
 *   and what it resolves to), and `Resources`, each resource's methods as
 *   the spec's `x-medblocks-sdk` names them, with the operation's summary and
 *   description as documentation.
 *
 * src/ turns these into methods (src/resources/methods.ts); nothing here knows
 * the client's own types, so the arrows stay spec → generated → src.
 */
import { deref, operationsOf, type Json } from "../../lib/spec/openapi.js";
import { pathParameters, sdkName } from "./tables.js";

const refName = (node: Json | undefined): string | undefined =>
  typeof node?.$ref === "string" && node.$ref.startsWith("#/components/schemas/") ? node.$ref.split("/").pop() : undefined;

/** A JSDoc block from spec prose, indented. */
function doc(text: string | undefined, indent = ""): string {
  if (!text) return "";
  const lines = text.trim().replace(/\*\//g, "*\\/").split("\n");
  return `${indent}/**\n${lines.map((line) => `${indent} * ${line}`.trimEnd()).join("\n")}\n${indent} */\n`;
}

/** Whether a schema's generated type is an object type an interface may extend (no union at its top). */
function isObjectSchema(root: Json, schema: Json): boolean {
  const resolved = deref(root, schema);
  if (resolved.oneOf || resolved.anyOf) return false;
  if (resolved.allOf) return (resolved.allOf as Json[]).every((part) => isObjectSchema(root, part));
  return resolved.type === "object" || (resolved.type === undefined && resolved.properties !== undefined);
}

export function surface(root: Json, header: string): { models: string; sdk: string } {
  const schemas = root.components.schemas as Json;
  const models = Object.keys(schemas).filter((name) => isObjectSchema(root, schemas[name]));
  const typeOf = (node: Json | undefined, fallback: string) => {
    const name = refName(node);
    return name && models.includes(name) ? name : fallback;
  };

  const signatures: string[] = [];
  const resources = new Map<string, string[]>();
  for (const { operationId, path, operation, parameters } of operationsOf(root)) {
    const { resource, method, paginated } = sdkName(operationId, operation);
    const op = JSON.stringify(operationId);
    const args = pathParameters(path).map((name) => `${name}: Path<${op}>[${JSON.stringify(name)}]`);
    const body = operation.requestBody && deref(root, operation.requestBody);
    const query = parameters.filter((parameter) => parameter.in === "query");
    if (body) args.push(`params${body.required ? "" : "?"}: Body<${op}>`);
    else if (query.length > 0) args.push(`params${query.some((parameter) => parameter.required) ? "" : "?"}: Query<${op}>`);
    const success = deref(root, operation.responses["200"]).content["application/json"].schema;
    const result = typeOf(success, `Result<${op}>`);
    const item = paginated ? typeOf(deref(root, success).properties?.data?.items, `Result<${op}>["data"][number]`) : undefined;
    signatures.push(`  ${op}: { args: [${args.join(", ")}]; result: ${result}${item ? `; item: ${item}` : ""} };`);
    const methods = resources.get(resource) ?? [];
    const about = [operation.summary && `${operation.summary}.`, operation.description].filter(Boolean).join("\n\n");
    methods.push(`${doc(about, "    ")}    ${method}: ${op};`);
    resources.set(resource, methods);
  }

  const modelsSource = [
    header,
    `import type { components } from "./api.js";`,
    "",
    `type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];`,
    "",
    ...models.map(
      (name) => `${doc(deref(root, schemas[name]).description)}export interface ${name} extends Schema<${JSON.stringify(name)}> {}\n`,
    ),
  ].join("\n");
  const used = models.filter((name) => signatures.some((line) => new RegExp(`\\b${name}\\b`).test(line)));
  const sdkSource = [
    header,
    `import type { operations } from "./api.js";`,
    `import type { ${used.join(", ")} } from "./models.js";`,
    "",
    `type Path<Op extends keyof operations> = operations[Op]["parameters"]["path"];`,
    `type Query<Op extends keyof operations> = NonNullable<operations[Op]["parameters"]["query"]>;`,
    `type Body<Op extends keyof operations> = NonNullable<operations[Op]["requestBody"]>["content"]["application/json"];`,
    `type Result<Op extends keyof operations> = operations[Op]["responses"][200] extends { content: { "application/json": infer Data ` +
      `} } ? Data : never;`,
    "",
    "/** Each operation's client method: its arguments before the request options, what it resolves to, and for a list each item. */",
    "export interface Signatures {",
    ...signatures,
    "}",
    "",
    `/** The client's methods, by resource ("" is the client itself), each naming its operation. */`,
    "export interface Resources {",
    ...[...resources].map(([resource, methods]) => `  ${JSON.stringify(resource)}: {\n${methods.join("\n")}\n  };`),
    "}",
    "",
  ].join("\n");
  return { models: modelsSource, sdk: sdkSource };
}
