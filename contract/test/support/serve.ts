/**
 * A loopback HTTP server answering with a fetch function (an in-process
 * sandbox's, drifting or not), so the command can be run against it as
 * against any server. It records the method of every request it got and
 * closes its connections when it stops.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export type Handler = (request: Request) => Promise<Response>;

export interface Served {
  readonly url: string;
  /** `METHOD /path` of every request, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

async function toRequest(message: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) if (typeof value === "string") headers.set(name, value);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : null;
  return new Request(new URL(message.url ?? "/", origin), { method: message.method ?? "GET", headers, body });
}

export async function serve(handler: Handler): Promise<Served> {
  const requests: string[] = [];
  let origin = "";
  const server = createServer((message, reply) => {
    requests.push(`${message.method} ${new URL(message.url ?? "/", "http://x").pathname}`);
    toRequest(message, origin)
      .then(handler)
      .then(async (response) => {
        reply.writeHead(response.status, Object.fromEntries(response.headers));
        reply.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch(() => reply.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
