/**
 * HTTP/1.1 requests over a real socket, for what `fetch` will not send: a
 * `Host` of the test's choosing (as a page on a rebinding name would send
 * it), and a chunked body without `Content-Length` that keeps coming until
 * the server answers or hangs up (written by hand on a raw socket: node's
 * client may not surface an answer that arrives while it is still
 * sending). Every wait is bounded.
 */
import { request as httpRequest } from "node:http";
import { connect } from "node:net";

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
  /** The answer, when its head came before the socket closed (its body as far as it arrived). */
  answer: HttpAnswer | undefined;
  /** Bytes of body written before the answer's head arrived (all of them, when none came). */
  sentBeforeAnswer: number;
  /** Whether the whole `maxBytes` went out and the body was ended: the server read it all before answering, or never answered. */
  finished: boolean;
}

/** A response as it arrived on a raw socket: the head parsed, the body as far as `Content-Length` or the close. */
function parseAnswer(raw: Buffer): HttpAnswer | undefined {
  const end = raw.indexOf("\r\n\r\n");
  if (end === -1) return undefined;
  const [statusLine, ...lines] = raw.subarray(0, end).toString("latin1").split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = headers["content-length"] === undefined ? Infinity : Number(headers["content-length"]);
  const body = raw.subarray(end + 4, end + 4 + Math.min(length, raw.length));
  return { status: Number(statusLine!.split(" ")[1]), headers, text: body.toString("utf8") };
}

/**
 * Streams a chunked body (no `Content-Length`) of up to `maxBytes` over a
 * raw socket, in 64 KB chunks of `fill`, each once the socket took the last;
 * stops writing as soon as the answer's head arrives or the server hangs up.
 */
export function flood(
  port: number,
  {
    method = "POST",
    path,
    headers = {},
    maxBytes,
    fill = "a",
    timeoutMs = 60_000,
  }: Omit<HttpRequest, "body"> & { maxBytes: number; fill?: string },
): Promise<Flood> {
  const frame = Buffer.concat([Buffer.from("10000\r\n"), Buffer.alloc(0x10000, fill), Buffer.from("\r\n")]);
  const head = [
    `${method} ${path} HTTP/1.1`,
    "Host: 127.0.0.1",
    "Transfer-Encoding: chunked",
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    "",
    "",
  ];
  return new Promise((resolve) => {
    let sent = 0;
    let sentBeforeAnswer: number | undefined;
    let received = Buffer.alloc(0);
    let finished = false;
    let done = false;
    const socket = connect(port, "127.0.0.1");
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ answer: parseAnswer(received), sentBeforeAnswer: sentBeforeAnswer ?? sent, finished });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on("data", (data: Buffer) => {
      received = Buffer.concat([received, data]);
      const answer = parseAnswer(received);
      if (answer === undefined) return;
      sentBeforeAnswer ??= sent;
      if (Buffer.byteLength(answer.text) >= Number(answer.headers["content-length"] ?? Infinity)) finish();
    });
    socket.on("error", finish);
    socket.on("close", finish);
    const write = () => {
      if (done || sentBeforeAnswer !== undefined) return;
      if (sent >= maxBytes) {
        finished = true;
        return void socket.write("0\r\n\r\n");
      }
      sent += 0x10000;
      socket.write(frame, () => setImmediate(write));
    };
    socket.write(head.join("\r\n"), write);
  });
}
