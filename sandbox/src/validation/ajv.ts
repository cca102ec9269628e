/**
 * The sandbox's one Ajv (lib/spec/ajv.ts's setup), which checks requests,
 * responses, control bodies and state files. It stops at the first error:
 * the service answers a bad request with one error. Made on first use, and
 * each validator compiled on its first use, so a start costs neither.
 */
import type { ValidateFunction } from "ajv";
import { createSpecAjv, lazyValidator as lazyValidatorOf, once } from "../../../lib/spec/ajv.js";

/** The sandbox's Ajv, made on the first call. */
export const ajv = once(() => createSpecAjv({ allErrors: false }));

/** A validator compiled on first use: compiling costs memory and start-up time, so only what is used is compiled. */
export const lazyValidator = (schema: object): (() => ValidateFunction) => lazyValidatorOf(ajv, schema);
