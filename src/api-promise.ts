/**
 * What every method returns: a real Promise of the data, which also offers
 * the HTTP response it came from, as openai-node's APIPromise does.
 */

/** The data of a call with the response it came from (its body already read). */
export interface WithResponse<T> {
  data: T;
  response: Response;
  /** The `X-Request-Id` of the response: quote it to support. */
  requestId: string | null;
}

/**
 * A `Promise<T>` (it passes wherever one is expected, and `await` gives the
 * data) with `.withResponse()` for the response and request id. The call
 * starts when the method is called; list methods start it when first used.
 */
export class APIPromise<T> extends Promise<T> {
  // `then` of a derived promise makes a plain Promise, not another APIPromise.
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  #start: (() => Promise<WithResponse<T>>) | undefined;
  #result: Promise<WithResponse<T>> | undefined;

  /** @param result the call's outcome, or a function that starts the call when first needed. */
  constructor(result: Promise<WithResponse<T>> | (() => Promise<WithResponse<T>>)) {
    // The base promise is never settled nor read: every method below answers
    // from the call's own promise.
    super(pending);
    if (typeof result === "function") this.#start = result;
    else this.#result = result;
  }

  /** The data with the `Response` it came from and its request id. */
  withResponse(): Promise<WithResponse<T>> {
    if (!this.#result) {
      const start = this.#start!;
      this.#start = undefined;
      this.#result = start();
    }
    return this.#result;
  }

  // biome-ignore lint/suspicious/noThenProperty: an APIPromise is a Promise; `await` calls this then().
  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    // One derived promise per `then` (an `await` is one `then`): the data is taken out in the same step.
    return this.withResponse().then(
      onfulfilled ? (result) => onfulfilled(result.data) : (dataOf as (result: WithResponse<T>) => R1),
      onrejected,
    );
  }
  // `catch` and `finally` are Promise's own: both call `then`, as the language defines them.
}

function pending(): void {
  // The executor of an APIPromise's own base promise, which stays pending.
}

function dataOf<T>(result: WithResponse<T>): T {
  return result.data;
}

/** An APIPromise that rejects with `error`: a call refused before it started. */
export function rejected<T>(error: unknown): APIPromise<T> {
  return new APIPromise<T>(Promise.reject(error));
}
