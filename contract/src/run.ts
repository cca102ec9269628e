/**
 * One contract check in progress: every request goes through `call` (or
 * `control`, for the sandbox's controls), which sends it, judges the answer
 * against the spec and records it. What the check creates is registered
 * with `created` at once, and removed by `cleanUp` even when a scenario
 * failed or the run was stopped.
 */
import { send, type FetchLike, type Request } from "./http.js";
import { Recorder, type StopCode } from "./report.js";
import { API_VERSION, operationLabel, operations, paramsOf, type OperationId } from "./spec.js";
import { parseBody, responseIssues } from "./validate.js";
import type { TestValues } from "./values.js";

/** The answer a call asks for: anything else is a warning (drift is judged apart, against the spec). */
export interface Expectation {
  status: number;
  /** The error code asked for, when the status is an error. */
  code?: string | undefined;
  /** What the request is, for the warning: `an unknown id`. */
  why: string;
}

export interface CallInput {
  path?: Record<string, string> | undefined;
  query?: Record<string, string | number> | undefined;
  body?: unknown;
  /** The API key; null sends no `Authorization`. Default: the run's key. */
  key?: string | null | undefined;
  /** `Version`; null sends none. Default: the spec's, on operations that take it. */
  version?: string | null | undefined;
  expect: Expectation;
}

export interface Answer {
  status: number;
  headers: Headers;
  /** The parsed JSON body (undefined when there is none). */
  json: any;
  /** A 2xx: what the request asked for was done (a create that answered 201 still created). */
  success: boolean;
}

export interface RunOptions {
  baseUrl: string;
  apiKey: string;
  readOnly: boolean;
  fetch: FetchLike;
  timeoutMs: number;
  maxPages: number;
  values: TestValues;
  /** Stops the scenarios (clean-up still runs). */
  signal?: AbortSignal | undefined;
}

interface Removal {
  label: string;
  remove: () => Promise<boolean>;
  done: boolean;
}

/** What `created` returns: removes the object now, once (the clean-up then skips it). */
export interface Created {
  remove(): Promise<void>;
}

const CODE = /^[a-z][a-z0-9_]{0,63}$/;

export class Run {
  readonly recorder = new Recorder();
  readonly options: RunOptions;
  /** Set when an answer carried `X-Medblocks-Sandbox`: the sandbox's controls are there. */
  sandbox = false;
  stopped: { code: StopCode; message: string } | undefined;
  /** Why the last request got no answer. */
  lastFailure: string | undefined;
  #cleaningUp = false;
  readonly #removals: Removal[] = [];

  constructor(options: RunOptions) {
    this.options = options;
  }

  get values(): TestValues {
    return this.options.values;
  }

  get readOnly(): boolean {
    return this.options.readOnly;
  }

  /** Whether scenarios should go on: not stopped, not interrupted. */
  get going(): boolean {
    this.noteInterruption();
    return this.stopped === undefined;
  }

  /** Records an interruption by the caller's signal as the reason the run stopped. */
  noteInterruption(): void {
    if (this.options.signal?.aborted) this.stop("interrupted", "interrupted: the scenarios stopped early; the clean-up still ran");
  }

  stop(code: StopCode, message: string): void {
    this.stopped ??= { code, message };
  }

  #url(path: string, query: Record<string, string | number> = {}): string {
    const url = new URL(this.options.baseUrl + path);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
    return url.href;
  }

  async #send(request: Request): Promise<ReturnType<typeof send>> {
    // The one door every request goes through: a read-only run sends GETs and nothing else.
    if (this.readOnly && request.method !== "GET") throw new Error(`medblocks-contract: a ${request.method} in a read-only run (a bug)`);
    return send(this.options.fetch, request, this.options.timeoutMs, this.#cleaningUp ? undefined : this.options.signal);
  }

  /** Calls `operationId`, judges the answer against the spec, and compares it with what was asked for; undefined when no answer came. */
  async call(operationId: OperationId, input: CallInput): Promise<Answer | undefined> {
    if (!this.#cleaningUp && !this.going) return undefined;
    const { method, path } = operations[operationId];
    const values = Object.values(input.path ?? {});
    // An id the server answered with earlier; one that is not text cannot go in a path (its drift is already reported).
    if (values.some((value) => typeof value !== "string" || /\p{Cs}/u.test(value))) {
      this.recorder.warn({
        operationId,
        text: `${operationLabel(operationId)} was not sent: an id the server gave earlier cannot be written in a path`,
      });
      return undefined;
    }
    const filled = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value = input.path?.[name];
      if (value === undefined) throw new Error(`${operationLabel(operationId)}: no value for {${name}} (a bug)`);
      return encodeURIComponent(value);
    });
    const headers: Record<string, string> = { accept: "application/json" };
    const key = input.key === undefined ? this.options.apiKey : input.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    const version = input.version === undefined ? API_VERSION : input.version;
    if (version !== null && paramsOf(operationId).Version) headers.version = version;
    let body: string | undefined;
    if (input.body !== undefined) {
      body = JSON.stringify(input.body);
      headers["content-type"] = "application/json";
    }
    const sent = await this.#send({ method, url: this.#url(filled, input.query), headers, body });
    if (!sent.ok) {
      this.lastFailure = sent.reason;
      this.recorder.unanswered(operationId, sent.reason, sent.ms);
      return undefined;
    }
    if (sent.headers.has("x-medblocks-sandbox")) this.sandbox = true;
    const issues = responseIssues(operationId, sent);
    this.recorder.answered(operationId, sent.status, issues, sent.ms);
    // The server refusing the run's own key ends the run: nothing else can be checked with it.
    if (sent.status === 401 && input.key === undefined) {
      this.stop("key_refused", "the server refused the API key (401): check that MEDBLOCKS_API_KEY is a key of this server");
    }
    const json: any = parseBody(sent.text)?.json;
    // An undocumented status is drift already: the same answer is not also a warning.
    if (!issues.some((issue) => issue.where === "status")) this.#compare(operationId, sent.status, json, input.expect);
    return { status: sent.status, headers: sent.headers, json, success: sent.status >= 200 && sent.status < 300 };
  }

  #compare(operationId: OperationId, status: number, json: any, expect: Expectation): void {
    if (status !== expect.status) {
      this.recorder.unexpected(operationId, status, `expected ${expect.status} (${expect.why}), got ${status}`);
    } else if (expect.code !== undefined && json?.error?.code !== expect.code) {
      const got = typeof json?.error?.code === "string" && CODE.test(json.error.code) ? json.error.code : "another";
      this.recorder.unexpected(operationId, status, `expected code ${expect.code} (${expect.why}), got ${got}`);
    }
  }

  /**
   * A request to the sandbox's control API (`/__sandbox/…`), which is not
   * part of the spec: not judged, only used when the server said it is a
   * sandbox. Undefined when it did not answer 200.
   */
  async control(method: string, path: string, body: unknown): Promise<any> {
    if (!this.going || !this.sandbox) return undefined;
    const headers = { accept: "application/json", authorization: `Bearer ${this.options.apiKey}`, "content-type": "application/json" };
    const sent = await this.#send({ method, url: this.#url(path), headers, body: JSON.stringify(body) });
    if (sent.ok && sent.status === 200) return parseBody(sent.text)?.json;
    const route = `${method} ${path.replace(/\/[^/]+\/complete$/, "/{id}/complete")}`;
    const outcome = sent.ok ? `answered ${sent.status}` : `got no answer (${sent.reason})`;
    this.recorder.warn({ text: `the sandbox control ${route} ${outcome}: the steps that need it were skipped` });
    return undefined;
  }

  /** Registers an object the check created; `remove` deletes it and says whether that worked. */
  created(label: string, remove: () => Promise<boolean>): Created {
    const removal: Removal = { label, remove, done: false };
    this.#removals.push(removal);
    return { remove: () => this.#remove(removal) };
  }

  /**
   * Runs a removal once it worked. One that could not run or did not work
   * during the scenarios is tried again by `cleanUp`; one that fails there
   * is reported.
   */
  async #remove(removal: Removal): Promise<void> {
    if (removal.done || (!this.#cleaningUp && !this.going)) return;
    let removed = false;
    try {
      removed = await removal.remove();
    } catch {
      removed = false;
    }
    if (removed || this.#cleaningUp) removal.done = true;
    if (!removed && this.#cleaningUp)
      this.recorder.warn({ text: `could not delete ${removal.label} that the check created: delete it by hand` });
  }

  /** Deletes what is still registered, newest first, whatever happened before. */
  async cleanUp(): Promise<void> {
    this.#cleaningUp = true;
    for (const removal of [...this.#removals].reverse()) await this.#remove(removal);
  }
}
