/**
 * The sandbox over HTTP: the same app as `createSandbox()`, served by
 * `@hono/node-server` on a socket. Binds 127.0.0.1 unless told otherwise. A
 * dropped-connection fault destroys the socket. With a state file the state
 * is loaded at start and written after changes; `close()` writes it a last
 * time after the last request.
 */
import { getRequestListener, type HttpBindings } from "@hono/node-server";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createApp } from "./app.js";
import { DroppedConnection } from "./faults.js";
import type { Core, RequestLogEntry } from "./pipeline.js";
import { derivedKey } from "./random.js";
import { checkBaseUrl } from "./sandbox.js";
import { openStateFile, type StateFile } from "./persist.js";
import { Store } from "./state/store.js";

export interface ServerOptions {
  /** Default 4100; 0 picks a free port. */
  port?: number | undefined;
  /** Default 127.0.0.1. */
  host?: string | undefined;
  /** The URL people and apps reach the sandbox at (session `url`s); default `http://<host>:<port>`. */
  publicUrl?: string | undefined;
  /** Load state from this file at start, and write it (atomically) after changes. */
  stateFile?: string | undefined;
  /** Check every API response against the spec at run time. */
  strict?: boolean | undefined;
  /** Receives one entry per request. */
  log?: ((entry: RequestLogEntry) => void) | undefined;
  /** Where sandbox failures and state-file problems are reported; default stderr. */
  report?: ((message: string) => void) | undefined;
  /**
   * The server owns this process (the CLI does): it may replace the global
   * `Request` and `Response` with @hono/node-server's lighter ones, which
   * serve faster. Leave false when the server shares a process with other code.
   */
  ownsProcess?: boolean | undefined;
}

export interface SandboxServer {
  /** The base URL to give the client (`MEDBLOCKS_BASE_URL`): `--public-url`, else where it listens. */
  readonly url: string;
  /** Where it listens: `http://<host>:<port>`. */
  readonly listenUrl: string;
  /** A ready sandbox key (`MEDBLOCKS_API_KEY`); the same on every start from the same state file. */
  readonly apiKey: string;
  readonly port: number;
  /** Stops accepting, lets requests in flight finish (at most `graceMs`), writes the state file, closes. */
  close(graceMs?: number): Promise<void>;
}

export const DEFAULT_PORT = 4100;
export const DEFAULT_HOST = "127.0.0.1";

/** Whether `host` only takes connections from this machine. */
export const isLoopback = (host: string): boolean => /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i.test(host);

export async function startServer(options: ServerOptions = {}): Promise<SandboxServer> {
  const host = options.host ?? DEFAULT_HOST;
  const publicUrl = options.publicUrl === undefined ? undefined : checkBaseUrl(options.publicUrl, "publicUrl");
  const stateFile: StateFile | undefined = options.stateFile === undefined ? undefined : openStateFile(options.stateFile, options.report);
  const store = stateFile?.store ?? new Store();
  const core: Core = { store, time: Date.now, baseUrl: "", strict: options.strict ?? false, log: options.log, report: options.report };
  const app = createApp(core);
  const listener = getRequestListener(
    async (request, env) => {
      try {
        return await app.fetch(request, env);
      } catch (error) {
        // A dropped-connection fault, or a caller that went away mid-request: nobody is waiting for an answer.
        if (!(error instanceof DroppedConnection) && !request.signal.aborted) throw error;
        (env as HttpBindings).incoming.socket.destroy();
        return new Response(null, { status: 500 });
      } finally {
        stateFile?.changed();
      }
    },
    { overrideGlobalObjects: options.ownsProcess ?? false },
  );
  const server: Server = createServer(listener);
  // Idle gaps between a test's calls must not close pooled keep-alive connections.
  server.keepAliveTimeout = 60_000;
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  try {
    stateFile?.ensure();
  } catch (error) {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" || host === "::" ? DEFAULT_HOST : host;
  const listenUrl = `http://${urlHost}:${port}`;
  core.baseUrl = publicUrl ?? listenUrl;
  let closing: Promise<void> | undefined;
  return {
    url: core.baseUrl,
    listenUrl,
    apiKey: derivedKey(store.seed),
    port,
    close(graceMs = 2_000) {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }).then(() => stateFile?.close());
      return closing;
    },
  };
}
