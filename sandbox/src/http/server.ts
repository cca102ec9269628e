/**
 * The sandbox over HTTP: the same app as `createSandbox()`, served by
 * `@hono/node-server` on a socket. Binds 127.0.0.1 unless told otherwise,
 * and answers requests addressed (`Host`) to its own names only (hosts.ts). A
 * dropped-connection fault destroys the socket. With a state file the state
 * is loaded at start and written after changes; `close()` writes it a last
 * time after the last request.
 */
import { getRequestListener, type HttpBindings } from "@hono/node-server";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createApp } from "./app.js";
import { DroppedConnection } from "../control/faults.js";
import { keyList, readyKey } from "../api/keys.js";
import { ApiError } from "../errors.js";
import { forwardTo, type Forwarding } from "../webhooks/forward.js";
import { acceptedHosts, hostAccepted, hostRefusal } from "./hosts.js";
import { createCore } from "../core.js";
import { respond } from "./pipeline.js";
import type { RequestLogEntry } from "./reply.js";
import { checkBaseUrl, checkTimeout } from "../sandbox.js";
import { openStateFile, type StateFile } from "../state/file.js";
import { Store } from "../state/store.js";
import type { DeliveryLogEntry } from "../webhooks/deliveries.js";

export interface ServerOptions {
  /** Default 4100; 0 picks a free port. */
  port?: number | undefined;
  /** Default 127.0.0.1. */
  host?: string | undefined;
  /**
   * The URL people and apps reach the sandbox at (session `url`s); default `http://<host>:<port>`.
   * Requests whose `Host` names its host are answered, besides 127.0.0.1, localhost, [::1] and `host`.
   */
  publicUrl?: string | undefined;
  /**
   * Load state from this file at start and keep it there: every change is on
   * disk before it is answered (state/file.ts says what holds). Only one
   * sandbox at a time uses a file.
   */
  stateFile?: string | undefined;
  /**
   * Take only these sandbox keys (any other is a 401 `invalid_api_key`);
   * the first is `apiKey`. Default: any `mb_sk_sbx_…` key is a workspace.
   */
  keys?: readonly string[] | undefined;
  /** Check every API response against the spec at run time. */
  strict?: boolean | undefined;
  /** Receives one entry per request. */
  log?: ((entry: RequestLogEntry) => void) | undefined;
  /** Where warnings, sandbox failures and state-file problems are reported; default stderr. */
  report?: ((message: string) => void) | undefined;
  /** Post webhooks to any http(s) host, not only loopback (localhost, 127.0.0.0/8, [::1]). Default false. */
  allowRemoteWebhooks?: boolean | undefined;
  /** How long a receiver has to answer a delivery; default 5000 ms. */
  webhookTimeoutMs?: number | undefined;
  /** Receives one entry per delivery attempt. */
  deliveryLog?: ((entry: DeliveryLogEntry) => void) | undefined;
  /**
   * Registers an endpoint for every event at this URL in the ready key's
   * workspace (the one registered before, with a state file). Loopback only
   * unless `allowRemoteWebhooks`.
   */
  forwardTo?: string | undefined;
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
  /**
   * A ready sandbox key (`MEDBLOCKS_API_KEY`): the first of `keys`, else derived from the seed, so the same on every
   * start from the same state file.
   */
  readonly apiKey: string;
  /** The `forwardTo` endpoint, with its secret. */
  readonly forwarding: Forwarding | undefined;
  readonly port: number;
  /** Stops accepting and delivering, lets requests in flight finish (at most `graceMs`), writes the state file, closes. */
  close(graceMs?: number): Promise<void>;
}

export const DEFAULT_PORT = 4100;
export const DEFAULT_HOST = "127.0.0.1";

/** Whether `host` only takes connections from this machine. */
export { isLoopback } from "./loopback.js";

/** Closes the server once requests in flight finished, destroying what is still open after `graceMs`. */
function stopListening(server: Server, sockets: Set<Socket>, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      for (const socket of sockets) socket.destroy();
    }, graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

export async function startServer(options: ServerOptions = {}): Promise<SandboxServer> {
  const host = options.host ?? DEFAULT_HOST;
  const publicUrl = options.publicUrl === undefined ? undefined : checkBaseUrl(options.publicUrl, "publicUrl");
  const keys = options.keys === undefined ? undefined : keyList(options.keys, "keys");
  const timeoutMs = checkTimeout(options.webhookTimeoutMs);
  const stateFile: StateFile | undefined = options.stateFile === undefined ? undefined : openStateFile(options.stateFile, options.report);
  const store = stateFile?.store ?? new Store();
  const core = createCore(
    {
      store,
      time: Date.now,
      baseUrl: "",
      strict: options.strict ?? false,
      log: options.log,
      report: options.report,
      keys,
      persist: () => stateFile?.changed(),
    },
    { allowRemote: options.allowRemoteWebhooks, timeoutMs, log: options.deliveryLog },
  );
  const apiKey = readyKey(store.seed, keys);
  let forwarding: Forwarding | undefined;
  try {
    // Checked before listening: a wrong URL starts nothing.
    forwarding =
      options.forwardTo === undefined ? undefined : forwardTo(core, apiKey, options.forwardTo, options.allowRemoteWebhooks ?? false);
  } catch (error) {
    stateFile?.release();
    throw error;
  }
  const app = createApp(core);
  const hosts = acceptedHosts(host, publicUrl);
  const listener = getRequestListener(
    async (request, env) => {
      try {
        // Before any route, the hosted page's included: see hosts.ts.
        if (!hostAccepted((env as HttpBindings).incoming.headers.host, hosts)) {
          return await respond(core, request, "(refused: another Host)", undefined, () => {
            throw new ApiError(403, "forbidden", hostRefusal(hosts));
          });
        }
        return await app.fetch(request, env);
      } catch (error) {
        // A dropped-connection fault, or a caller that went away mid-request: nobody is waiting for an answer.
        if (!(error instanceof DroppedConnection) && !request.signal.aborted) throw error;
        (env as HttpBindings).incoming.socket.destroy();
        return new Response(null, { status: 500 });
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
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? DEFAULT_PORT, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    stateFile?.release();
    await core.deliveries.close();
    throw error;
  }
  try {
    stateFile?.start();
  } catch (error) {
    await new Promise((resolve) => server.close(resolve));
    await core.deliveries.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" || host === "::" ? DEFAULT_HOST : host;
  const listenUrl = `http://${urlHost}:${port}`;
  core.baseUrl = publicUrl ?? listenUrl;
  // Not a change: deliveries that fell due while the sandbox was stopped go out now.
  core.deliveries.wake();
  let closing: Promise<void> | undefined;
  return {
    url: core.baseUrl,
    listenUrl,
    apiKey,
    forwarding,
    port,
    close(graceMs = 2_000) {
      closing ??= Promise.all([core.deliveries.close(), stopListening(server, sockets, graceMs)]).then(() => stateFile?.close());
      return closing;
    },
  };
}
