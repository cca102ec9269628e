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
