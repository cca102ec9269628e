/**
 * `new Medblocks(apiKey?, options?)`: the entry point. Holds no secret where
 * it can be printed: the key lives only inside the transport's closure.
 */
import { API_VERSION, SERVER_URL } from "../generated/schemas.js";
import { BASE_URL_RULES, checkedBaseUrl } from "../lib/urls.js";
import { MedblocksError } from "./errors.js";
import { API_KEY, CLIENT_RULES, checkOptions, optionError, type MedblocksOptions } from "./options.js";
import { PatientSessionResource } from "./resources/patient-session.js";
import { PatientsResource } from "./resources/patients.js";
import { WebhooksResource } from "./resources/webhooks.js";
import { adopt, methodsOf, type ResourceMethods } from "./resources/methods.js";
import { constructEvent, generateTestHeaderString } from "./webhook-signature.js";
import { consoleLogger } from "./logger.js";
import { createTransport, type Transport } from "./transport.js";

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_NETWORK_RETRIES = 2;
const DEFAULT_MAX_RETRY_WAIT_S = 30;
const DEFAULT_MAX_RESPONSE_BYTES = 10_000_000;
const LABEL = "new Medblocks";

const env = (name: string): string | undefined =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];

/** The base URL to use: absolute http(s), no query, fragment or credentials; trailing slashes dropped (the rule is lib/urls.ts's). */
function baseUrlOf(value: string): string {
  const { baseUrl, problem } = checkedBaseUrl(value);
  // The client's messages name Medblocks, as they did before the rule was shared.
  if (problem === "credentials")
    throw optionError(LABEL, "baseUrl", "a URL without a user name or password (Medblocks authenticates with the API key)");
  if (problem) throw optionError(LABEL, "baseUrl", BASE_URL_RULES[problem]);
  return baseUrl;
}

export interface Medblocks extends ResourceMethods<""> {}

export class Medblocks {
  /** Patient sessions: start the hosted flow, confirm the return. */
  declare readonly patientSession: PatientSessionResource;
  /** Patients, by your own `patient_id`. */
  declare readonly patients: PatientsResource;
  /** The EHR catalog (`fhirsrc_` ids). */
  declare readonly connections: ResourceMethods<"connections">;
  /** Webhook endpoints, their delivery records, and `constructEvent`. */
  declare readonly webhooks: WebhooksResource;
  /** Webhook events: redelivery. */
  declare readonly events: ResourceMethods<"events">;
  /** EHR (SMART) launch contexts. */
  declare readonly launchContexts: ResourceMethods<"launchContexts">;
  /** Webhook verification without a client (no API key needed): `Medblocks.webhooks.constructEvent(…)`. */
  static readonly webhooks = { constructEvent, generateTestHeaderString };
  /** The base URL calls go to. */
  declare readonly baseUrl: string;
  /** The `Version` header sent by default. */
  declare readonly version: string;
  readonly #transport: Transport;

  /**
   * @param apiKey secret key (`mb_sk_live_…` / `mb_sk_sbx_…`); default `MEDBLOCKS_API_KEY`.
   * @throws {MedblocksError} `missing_api_key` without a key; `invalid_data` for a bad option.
   */
  constructor(apiKey?: string, options: MedblocksOptions = {}) {
    checkOptions(LABEL, options, CLIENT_RULES);
    const browser = "window" in globalThis && "document" in globalThis;
    if (browser && !options.dangerouslyAllowBrowser) {
      throw optionError(
        LABEL,
        "dangerouslyAllowBrowser",
        "set to run in a browser, where every visitor could read the API key: call Medblocks from your server instead",
      );
    }
    const key = apiKey ?? env("MEDBLOCKS_API_KEY");
    if (key === undefined || key === "") {
      throw new MedblocksError({
        type: "authentication_error",
        code: "missing_api_key",
        message: `${LABEL}: no API key: pass one or set MEDBLOCKS_API_KEY`,
        param: "apiKey",
      });
    }
    if (!API_KEY[0](key)) throw optionError(LABEL, "apiKey", API_KEY[1]);
    this.baseUrl = baseUrlOf(options.baseUrl ?? (env("MEDBLOCKS_BASE_URL") || SERVER_URL));
    this.version = options.version ?? API_VERSION;
    if (typeof (options.fetch ?? globalThis.fetch) !== "function")
      throw optionError(LABEL, "fetch", "given: no global `fetch` is available");
    const logger = options.logger ?? (env("MEDBLOCKS_LOG") === "debug" ? "debug" : undefined);

    this.#transport = createTransport({
      apiKey: key,
      baseUrl: this.baseUrl,
      version: this.version,
      timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
      maxNetworkRetries: options.maxNetworkRetries ?? DEFAULT_MAX_NETWORK_RETRIES,
      maxRetryWait: options.maxRetryWait ?? DEFAULT_MAX_RETRY_WAIT_S,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      logger: logger === "debug" ? consoleLogger : logger,
    });
    this.patientSession = new PatientSessionResource(this.#transport);
    this.patients = new PatientsResource(this.#transport);
    this.connections = methodsOf(this.#transport, "connections");
    this.webhooks = new WebhooksResource(this.#transport);
    this.events = methodsOf(this.#transport, "events");
    this.launchContexts = methodsOf(this.#transport, "launchContexts");
    // Methods on the client itself (`mb.health()`).
    adopt(this, methodsOf(this.#transport, ""));
  }
}
