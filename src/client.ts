/**
 * `new Medblocks(apiKey?, options?)`: the entry point. Holds no secret where
 * it can be printed: the key lives only inside the transport's closure.
 */
import { API_VERSION, SERVER_URL } from "../generated/schemas.js";
import { MedblocksError } from "./errors.js";
import { ConnectionsResource } from "./resources/connections.js";
import { EventsResource } from "./resources/events.js";
import { LaunchContextsResource } from "./resources/launch-contexts.js";
import { PatientSessionResource } from "./resources/patient-session.js";
import { PatientsResource } from "./resources/patients.js";
import { WebhooksResource } from "./resources/webhooks.js";
import { constructEvent, generateTestHeaderString } from "./webhook-signature.js";
import { checkRetries, checkTimeout, createTransport, type MedblocksLogger, type RequestOptions, type Transport } from "./transport.js";
import type { Health } from "./types.js";

export interface MedblocksOptions {
  /** Default `MEDBLOCKS_BASE_URL`, else `https://app.medblocks.com`. */
  baseUrl?: string;
  /** `Version` sent on every call but `/health`; default the version this client was built for. */
  version?: string;
  /** Milliseconds each attempt may take; default 60000. */
  timeout?: number;
  /** Retries of a failed call (see the README's retry table); default 2. */
  maxNetworkRetries?: number;
  /** A `fetch` to use instead of the global one. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Debug logging: a function receiving one entry per attempt, or `"debug"` for console lines. `MEDBLOCKS_LOG=debug` turns on the latter. */
  logger?: MedblocksLogger | "debug";
  /** Allow construction where a browser is detected. The API key would be exposed to every visitor: don't. */
  dangerouslyAllowBrowser?: boolean;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_NETWORK_RETRIES = 2;

const env = (name: string): string | undefined =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];

function configError(code: "missing_api_key" | "invalid_data", param: string, message: string): MedblocksError {
  return new MedblocksError({
    type: code === "missing_api_key" ? "authentication_error" : "invalid_request_error",
    code,
    message: `new Medblocks: ${message}`,
    param,
  });
}

const consoleLogger: MedblocksLogger = (entry) =>
  console.debug(
    `[medblocks] ${entry.method} ${entry.path} ${entry.status ?? entry.code} attempt=${entry.attempt} ${entry.durationMs}ms request_id=${entry.requestId ?? "-"}`,
  );

export class Medblocks {
  /** Patient sessions: start the hosted flow, confirm the return. */
  readonly patientSession: PatientSessionResource;
  /** Patients, by your own `patient_id`. */
  readonly patients: PatientsResource;
  /** The EHR catalog (`fhirsrc_` ids). */
  readonly connections: ConnectionsResource;
  /** Webhook endpoints, their delivery records, and `constructEvent`. */
  readonly webhooks: WebhooksResource;
  /** Webhook events: redelivery. */
  readonly events: EventsResource;
  /** EHR (SMART) launch contexts. */
  readonly launchContexts: LaunchContextsResource;
  /** Webhook verification without a client (no API key needed): `Medblocks.webhooks.constructEvent(…)`. */
  static readonly webhooks = { constructEvent, generateTestHeaderString };
  /** The base URL calls go to. */
  readonly baseUrl: string;
  /** The `Version` header sent by default. */
  readonly version: string;
  readonly #transport: Transport;

  /**
   * @param apiKey secret key (`mb_sk_live_…` / `mb_sk_sbx_…`); default `MEDBLOCKS_API_KEY`.
   * @throws {MedblocksError} `missing_api_key` without a key; `invalid_data` for a bad option.
   */
  constructor(apiKey?: string, options: MedblocksOptions = {}) {
    const browser = typeof (globalThis as { window?: unknown }).window !== "undefined" &&
      typeof (globalThis as { document?: unknown }).document !== "undefined";
    if (browser && !options.dangerouslyAllowBrowser) {
      throw configError(
        "invalid_data",
        "dangerouslyAllowBrowser",
        "refusing to run in a browser, where every visitor could read the API key; call Medblocks from your server (or set dangerouslyAllowBrowser)",
      );
    }
    const key = apiKey ?? env("MEDBLOCKS_API_KEY");
    if (key === undefined || key === "") {
      throw configError("missing_api_key", "apiKey", "no API key: pass one or set MEDBLOCKS_API_KEY");
    }
    if (typeof key !== "string" || !/^[\x21-\x7e]+$/.test(key)) {
      throw configError("invalid_data", "apiKey", "the API key must be a string of printable characters without spaces");
    }
    this.baseUrl = (options.baseUrl ?? (env("MEDBLOCKS_BASE_URL") || SERVER_URL)).replace(/\/+$/, "");
    if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/i.test(this.baseUrl)) {
      throw configError("invalid_data", "baseUrl", "`baseUrl` must be an absolute http(s) URL without query or fragment");
    }
    this.version = options.version ?? API_VERSION;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(this.version)) {
      throw configError("invalid_data", "version", "`version` must be a date, YYYY-MM-DD");
    }
    const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    const maxNetworkRetries = options.maxNetworkRetries ?? DEFAULT_MAX_NETWORK_RETRIES;
    checkTimeout("new Medblocks", "timeout", timeout);
    checkRetries("new Medblocks", "maxNetworkRetries", maxNetworkRetries);
    if (typeof (options.fetch ?? globalThis.fetch) !== "function") throw configError("invalid_data", "fetch", "no `fetch` available: pass one");
    const logger = options.logger ?? (env("MEDBLOCKS_LOG") === "debug" ? "debug" : undefined);

    this.#transport = createTransport({
      apiKey: key,
      baseUrl: this.baseUrl,
      version: this.version,
      timeout,
      maxNetworkRetries,
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      logger: logger === "debug" ? consoleLogger : logger,
    });
    this.patientSession = new PatientSessionResource(this.#transport);
    this.patients = new PatientsResource(this.#transport);
    this.connections = new ConnectionsResource(this.#transport);
    this.webhooks = new WebhooksResource(this.#transport);
    this.events = new EventsResource(this.#transport);
    this.launchContexts = new LaunchContextsResource(this.#transport);
  }

  /** Liveness probe: `{ ok: true, server_time }`. Sends no `Version`. */
  health(options?: RequestOptions): Promise<Health> {
    return this.#transport.request("api.health", "mb.health", {}, options);
  }
}
