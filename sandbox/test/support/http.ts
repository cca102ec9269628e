/**
 * HTTP/1.1 requests over a real socket, for what `fetch` will not send: a
 * `Host` of the test's choosing (as a page on a rebinding name would send
 * it), and a chunked body without `Content-Length` that keeps coming until
 * the server answers or hangs up. Every wait is bounded.
 */
import { request as httpRequest } from "node:http";

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface HttpRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

/** Sends one request to 127.0.0.1:`port`; `headers.host` replaces the Host header. */
export function send(port: number, { method = "GET", path, headers = {}, body, timeoutMs = 10_000 }: HttpRequest): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers, timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

export interface Flood {
  /** The answer, when one came before the socket closed. */
  answer: HttpAnswer | undefined;
  /** Bytes of body written before the answer's head arrived (all of them, when none came). */
  sentBeforeAnswer: number;
  /** Bytes of body written in all. */
  sent: number;
  /** Whether the whole `maxBytes` went out and the body was ended: the server read it all before answering, or never answered. */
  finished: boolean;
}

/**
 * Streams a chunked body (no `Content-Length`) of up to `maxBytes`, in
 * 64 KB chunks of `fill`, waiting for the socket to drain between them; stops
 * writing as soon as the answer's head arrives or the server hangs up.
 */
export function flood(
  port: number,
  { method = "POST", path, headers = {}, maxBytes, fill = "a", timeoutMs = 60_000 }: Omit<HttpRequest, "body"> & { maxBytes: number; fill?: string },
): Promise<Flood> {
  const chunk = Buffer.alloc(65_536, fill);
  return new Promise((resolve) => {
    let sent = 0;
    let sentBeforeAnswer: number | undefined;
    let answer: HttpAnswer | undefined;
    let finished = false;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ answer, sentBeforeAnswer: sentBeforeAnswer ?? sent, sent, finished });
    };
    const timer = setTimeout(finish, timeoutMs);
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers: { ...headers, "transfer-encoding": "chunked" }, agent: false }, (res) => {
      sentBeforeAnswer = sent;
      const chunks: Buffer[] = [];
      res.on("data", (data: Buffer) => chunks.push(data));
      res.on("end", () => {
        answer = { status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") };
        finish();
      });
      res.on("error", finish);
    });
    req.on("error", finish);
    req.on("close", () => setTimeout(finish, 50));
    const write = () => {
      while (!done && sentBeforeAnswer === undefined && sent < maxBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", write);
      }
      if (!done && sentBeforeAnswer === undefined && sent >= maxBytes) {
        finished = true;
        req.end();
      }
    };
    write();
  });
}
