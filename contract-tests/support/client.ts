/**
 * The real client pointed at the Prism mock, with a fetch that records every
 * response and Prism's `sl-violations` header of every exchange, so each test
 * can assert that the client sent what the spec allows.
 */
import { Medblocks } from "../../src/index.js";
import { mockUrl, TEST_API_KEY } from "./mock.js";

export type Violation = { location: string[]; code: string | number; message: string };

export function mockClient(options: { maxNetworkRetries?: number } = {}) {
  const violations: Violation[] = [];
  const responses: Response[] = [];
  const mb = new Medblocks(TEST_API_KEY, {
    baseUrl: mockUrl(),
    maxNetworkRetries: options.maxNetworkRetries ?? 0,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      responses.push(response);
      const header = response.headers.get("sl-violations");
      if (header) violations.push(...(JSON.parse(header) as Violation[]));
      return response;
    },
  });
  return { mb, violations, responses };
}
