/**
 * A real HTTP server on loopback that answers each request with the next
 * scripted fault, and records what it saw — so tests can count requests and
 * prove that no POST was sent twice.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Fault = (request: IncomingMessage, response: ServerResponse) => void;

export interface Seen {
  method: string;
  path: string;
  body: string;
}

export async function faultServer(script: Fault[]) {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      seen.push({ method: request.method ?? "", path: request.url ?? "", body: Buffer.concat(chunks).toString() });
      const fault = script[Math.min(seen.length, script.length) - 1]!;
      fault(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const ENVELOPE = (type: string, code: string) =>
  JSON.stringify({
    error: { type, code, message: code, param: null, doc_url: "https://medblocks.com/docs/reference/errors", request_id: `req_${code}` },
  });

export const faults = {
  json:
    (status: number, body: unknown, headers: Record<string, string> = {}): Fault =>
    (_req, res) => {
      res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
    },
  error:
    (status: number, type: string, code: string, headers: Record<string, string> = {}): Fault =>
    (_req, res) => {
      res.writeHead(status, { "content-type": "application/json", "x-request-id": `req_${code}`, ...headers }).end(ENVELOPE(type, code));
    },
  html502: (): Fault => (_req, res) => {
    res.writeHead(502, { "content-type": "text/html" }).end("<html><body><h1>502 Bad Gateway</h1></body></html>");
  },
  empty:
    (status: number): Fault =>
    (_req, res) => {
      res.writeHead(status).end();
    },
  raw:
    (status: number, body: string, contentType: string): Fault =>
    (_req, res) => {
      res.writeHead(status, { "content-type": contentType }).end(body);
    },
  redirect: (): Fault => (_req, res) => {
    res.writeHead(302, { location: "/elsewhere" }).end();
  },
  /** Sends the headers and part of the body, then destroys the socket. */
  resetMidResponse: (): Fault => (_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": "500" });
    res.write('{"id":"ps_1","resource_type":"pati', () => res.socket?.destroy());
  },
  /** Answers only after `ms`, long after the client gave up. */
  slowHeaders:
    (ms: number): Fault =>
    (_req, res) => {
      const timer = setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end("{}"), ms);
      res.on("close", () => clearTimeout(timer));
    },
};
