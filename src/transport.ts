/**
 * The request pipeline under every resource method, in steps (transport/):
 * prepare the call once (request.ts), then per attempt send it and read the
 * answer (attempt.ts), say what the outcome means (classify.ts), log it, and
 * wait before the next attempt or stop (retry.ts). This file ties them
 * together.
 */
import type { operations as Operations } from "../generated/api.js";
import { delay } from "../lib/wait.js";
import { APIPromise, type WithResponse } from "./api-promise.js";
import { logSafely } from "./logger.js";
import type { RequestOptions } from "./options.js";
import { runAttempt } from "./transport/attempt.js";
import { classify, connectionError } from "./transport/classify.js";
import { requestPreparer, type OperationParts, type TransportConfig } from "./transport/request.js";
import { retryWaitMs } from "./transport/retry.js";
import type { OperationId } from "./validation.js";

export type { OperationParts, TransportConfig } from "./transport/request.js";

/** What a successful call of the operation returns, as the spec describes it. */
export type OperationResult<K extends OperationId> = Operations[K]["responses"][200]["content"]["application/json"];

export interface Transport {
  /**
   * Validates `parts` against the operation's rules, then sends them through
   * openapi-fetch to the operation's method and path, with retries. Starts
   * at once; the APIPromise resolves to the data.
   */
  request<K extends OperationId>(
    operationId: K,
    label: string,
    parts: OperationParts<K>,
    options: RequestOptions | undefined,
  ): APIPromise<OperationResult<K>>;
}

export function createTransport(config: TransportConfig): Transport {
  const prepare = requestPreparer(config);

  async function send<K extends OperationId>(
    operationId: K,
    label: string,
    parts: OperationParts<K>,
    options: RequestOptions | undefined,
  ): Promise<WithResponse<OperationResult<K>>> {
    const request = prepare(operationId, label, parts, options);
    const started = Date.now();
    let waitedMs = 0;
    for (let attempt = 1; ; attempt++) {
      const attemptStarted = config.logger ? Date.now() : 0;
      const outcome = await runAttempt(config.fetch, request);
      const progress = { attempt, started };
      const { result, failure, retryable } = classify<OperationResult<K>>(outcome, request, progress);
      const response = outcome.response;
      if (config.logger) {
        logSafely(config.logger, {
          operation: label,
          method: request.method,
          path: request.path,
          status: response?.status ?? null,
          requestId: response?.headers.get("x-request-id") ?? failure?.requestId ?? null,
          attempt,
          durationMs: Date.now() - attemptStarted,
          code: failure?.code ?? null,
        });
      }
      if (result) return result;
      const waitMs = retryWaitMs(failure, retryable, attempt, waitedMs, request);
      if (waitMs === null) throw failure;
      waitedMs += waitMs;
      try {
        await delay(waitMs, request.signal);
      } catch {
        throw connectionError("aborted", request, progress, response, request.signal?.reason);
      }
    }
  }

  return {
    request: (operationId, label, parts, options) => new APIPromise(send(operationId, label, parts, options)),
  };
}
