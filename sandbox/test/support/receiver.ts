/**
 * A webhook receiver on 127.0.0.1, for the sandbox to deliver to: keeps
 * every request as received (raw body, headers, arrival), and answers as
 * the test says — a status per request, a body, or a delay. Every wait is
 * bounded; `close()` ends open connections at once.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";

export interface Received {
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived. */
  raw: Buffer;
  /** The body, parsed. */
  json: any;
}

export interface Answer {
  status: number;
  body?: string;
  /** Headers besides `content-type` (a redirect's `location`, say). */
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
}

export interface Receiver {
  /** `http://127.0.0.1:<port>/hooks` */
  readonly url: string;
  readonly received: Received[];
  /** How the next requests are answered, in turn; once used up, 200. */
  answers: Answer[];
  /** Resolves with the first `count` requests once they arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();
  const receiver = { answers: [] as Answer[] };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks);
      received.push({ headers: request.headers, raw, json: JSON.parse(raw.toString("utf8")) });
      for (const waiter of waiters) waiter();
      const answer = receiver.answers.shift() ?? { status: 200 };
      const reply = () => response.writeHead(answer.status, { "content-type": "text/plain", ...answer.headers }).end(answer.body ?? "");
      if (!answer.delayMs) return reply();
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!response.destroyed) reply();
      }, answer.delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    waitFor(count: number, timeoutMs = 5_000) {
      return new Promise<Received[]>((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          done();
          resolve(received.slice(0, count));
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`the receiver got ${received.length} of ${count} deliveries within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** A port on 127.0.0.1 that nothing listens on (a connection there is refused). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
