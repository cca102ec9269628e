/**
 * `medblocks-sandbox start|exec|trigger`: the sandbox for people and for CI.
 *
 * - `start` serves until Ctrl-C (or SIGTERM), printing its base URL, a ready
 *   key, and one line per request (method, route template, status, time,
 *   request id: never a key, a path parameter or a body) and per webhook
 *   delivery attempt. `--forward-to URL` registers an endpoint for every
 *   event and prints its signing secret.
 * - `exec -- <command…>` serves on a free port, runs the command with
 *   MEDBLOCKS_BASE_URL and MEDBLOCKS_API_KEY set (and, with `--forward-to`,
 *   MEDBLOCKS_WEBHOOK_SECRET), stops, and exits with the command's code. A
 *   signal to the sandbox is passed on to the command.
 * - `trigger <event-type>` makes a running sandbox fire that event, as
 *   `stripe trigger` does, and prints how its deliveries went.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { constants } from "node:os";
import { parseArgs } from "node:util";
import { BASE_URL_RULES, checkedBaseUrl } from "../../lib/urls.js";
import { isSandboxKey } from "./api/keys.js";
import { CliError, UsageError } from "./cli/failures.js";
import { TRIGGER_TYPES } from "./domain/trigger.js";
import { StateFileError } from "./state/file.js";
import { checkTimeout } from "./sandbox.js";
import { forwardProblem } from "./webhooks/forward.js";
import type { RequestLogEntry } from "./http/reply.js";
import { DEFAULT_HOST, DEFAULT_PORT, isLoopback, startServer, type SandboxServer, type ServerOptions } from "./http/server.js";
import { API_VERSION } from "./spec.js";
import { triggerCommand } from "./cli/trigger.js";
import { SANDBOX_VERSION } from "./version.js";
import { DEFAULT_TIMEOUT_MS, type DeliveryLogEntry } from "./webhooks/deliveries.js";

const TRIGGER_TYPE_LIST = TRIGGER_TYPES.join(`\n${" ".repeat(47)}`);

const USAGE = `medblocks-sandbox ${SANDBOX_VERSION}: a local emulator of the Medblocks API (version ${API_VERSION})

Usage:
  medblocks-sandbox start [options]            serve until Ctrl-C
  medblocks-sandbox exec [options] -- <cmd…>   serve on a free port while <cmd> runs, with
                                               MEDBLOCKS_BASE_URL and MEDBLOCKS_API_KEY set;
                                               exit with its code
  medblocks-sandbox trigger <event-type> [--base-url <url>] [--api-key <key>]
                                               make a running sandbox fire <event-type>, one of
                                               ${TRIGGER_TYPE_LIST}
Options:
  --port <n>          port to listen on (start: ${DEFAULT_PORT}; exec: a free one)
  --host <address>    address to bind (default ${DEFAULT_HOST}: this machine only)
  --state <file>      load state from <file> and keep it there (every change is on disk
                      before it is answered; one sandbox per file)
  --keys <k1,k2,…>    take only these sandbox keys (others: 401); the first is printed
  --keys-file <file>  the same, one key per line (# comments and blank lines skipped)
  --public-url <url>  the URL the sandbox is reached at, for session URLs (default http://<host>:<port>);
                      requests addressed (Host) to its host are answered too, besides 127.0.0.1,
                      localhost, [::1] and --host
  --forward-to <url>  register an endpoint for every event at <url> and print its secret
                      (exec: set it as MEDBLOCKS_WEBHOOK_SECRET); the same endpoint and
                      secret on every start from one --state file
  --allow-remote-webhooks
                      deliver webhooks to any host, not only localhost, 127.0.0.0/8 and [::1]
  --webhook-timeout <ms>
                      how long a receiver may take to answer a delivery (default ${DEFAULT_TIMEOUT_MS},
                      at most 60000): raise it for a dev server that compiles a route on first use
  --strict            check every response against the spec as it is sent
  --quiet             start: no request or delivery log
  --base-url <url>    trigger: the sandbox (default MEDBLOCKS_BASE_URL, else http://${DEFAULT_HOST}:${DEFAULT_PORT})
  --api-key <key>     trigger: the workspace (default MEDBLOCKS_API_KEY)
  -h, --help          this text
  -v, --version       the version

Any mb_sk_sbx_… key is a workspace of its own (unless --keys lists them), kept once
something is made in it; the log notes each new key's first use by its last 4 characters.`;

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Where this machine opens the dashboard, or undefined when the sandbox takes no loopback connection (it answers those only). */
function dashboardUrl(host: string, server: SandboxServer): string | undefined {
  if (host === "0.0.0.0" || host === "::") return `http://${DEFAULT_HOST}:${server.port}/__sandbox/`;
  return isLoopback(host) ? `${server.listenUrl}/__sandbox/` : undefined;
}

/** The banner's lines for the dashboard and the API reference. */
function dashboardLines(host: string, server: SandboxServer): string[] {
  const dashboard = dashboardUrl(host, server);
  return [
    dashboard
      ? `Dashboard (this machine only): ${dashboard}`
      : `Dashboard: none here: it answers connections from this machine's loopback, and ${host} takes none (listen on ${DEFAULT_HOST} ` +
        `or 0.0.0.0 for it)`,
    `API reference (where errors' doc_url points): ${server.url}/docs`,
  ];
}

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  state: { type: "string" },
  keys: { type: "string" },
  "keys-file": { type: "string" },
  "public-url": { type: "string" },
  "forward-to": { type: "string" },
  "allow-remote-webhooks": { type: "boolean" },
  "webhook-timeout": { type: "string" },
  strict: { type: "boolean" },
  quiet: { type: "boolean" },
} as const;

function serverOptions(args: string[], command: "start" | "exec"): ServerOptions & { quiet: boolean } {
  let values;
  try {
    ({ values } = parseArgs({ args, options: OPTIONS, allowPositionals: false, strict: true }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let port = command === "start" ? DEFAULT_PORT : 0;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65_535) throw new UsageError("--port must be a port number, 0 to 65535");
    port = Number(values.port);
  }
  if (values.host === "") throw new UsageError("--host must not be empty");
  const publicUrlProblem = values["public-url"] === undefined ? undefined : checkedBaseUrl(values["public-url"]).problem;
  if (publicUrlProblem) throw new UsageError(`--public-url must be ${BASE_URL_RULES[publicUrlProblem]}`);
  const keys = keysOf(values.keys, values["keys-file"]);
  let webhookTimeoutMs: number | undefined;
  if (values["webhook-timeout"] !== undefined) {
    try {
      webhookTimeoutMs = checkTimeout(/^\d+$/.test(values["webhook-timeout"]) ? Number(values["webhook-timeout"]) : Number.NaN);
    } catch {
      throw new UsageError("--webhook-timeout must be a whole number of milliseconds from 1 to 60000");
    }
  }
  const allowRemoteWebhooks = values["allow-remote-webhooks"] ?? false;
  const forwardTo = values["forward-to"];
  const problem = forwardTo === undefined ? null : forwardProblem(forwardTo, allowRemoteWebhooks);
  if (problem) throw new UsageError(`--forward-to cannot be used: ${problem}`);
  return {
    port,
    host: values.host ?? DEFAULT_HOST,
    stateFile: values.state,
    keys,
    publicUrl: values["public-url"],
    forwardTo,
    allowRemoteWebhooks,
    webhookTimeoutMs,
    strict: values.strict ?? false,
    quiet: command === "exec" || (values.quiet ?? false),
  };
}

/** The keys of `--keys` and `--keys-file` together; a usage error names a bad one by its place, never by its value. */
function keysOf(list: string | undefined, file: string | undefined): string[] | undefined {
  if (list === undefined && file === undefined) return undefined;
  const keys: [key: string, where: string][] = [];
  list?.split(",").forEach((key, index) => keys.push([key.trim(), `--keys entry ${index + 1}`]));
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new UsageError(`--keys-file ${file} cannot be read: ${(error as Error).message}`);
    }
    text.split(/\r?\n/).forEach((line, index) => {
      const key = line.replace(/#.*/, "").trim();
      if (key !== "") keys.push([key, `line ${index + 1} of --keys-file ${file}`]);
    });
  }
  const bad = keys.find(([key]) => !isSandboxKey(key));
  if (bad) throw new UsageError(`${bad[1]} is not a sandbox key (mb_sk_sbx_ followed by letters, digits, _ or -)`);
  if (keys.length === 0) throw new UsageError("--keys and --keys-file list no key");
  return keys.map(([key]) => key);
}

const logLine = (entry: RequestLogEntry) => {
  // A key's first use, by its last 4 characters: a mistyped key shows up here instead of as an empty workspace.
  if (entry.newKey)
    console.log(
      `new key ${entry.newKey}: a workspace of its own, empty until something is made in it (check the key if you expected data here)`,
    );
  console.log(
    `${entry.method} ${entry.route} ${entry.status || "-"} ${entry.ms.toFixed(1)} ` +
      `ms ${entry.requestId}${entry.note ? ` (${entry.note})` : ""}`,
  );
};

/**
 * One line per delivery attempt: the event, the endpoint, how it went; never
 * the URL (it may hold a token) or the body. A timeout says how to give the
 * receiver longer: the first delivery to a dev server often waits for it to
 * compile the route.
 */
const deliveryLine = (timeoutMs: number) => (entry: DeliveryLogEntry) =>
  console.log(
    [
      `webhook ${entry.type} ${entry.eventId} → ${entry.endpointId} ` +
        `attempt ${entry.attempt}: ${entry.result}${entry.status === null ? "" : ` ${entry.status}`} ${entry.ms.toFixed(1)} ms`,
      entry.result === "timeout"
        ? ` (timed out after ${timeoutMs} ms without an answer; a dev server compiling the route on its first request, such as next ` +
          `dev, often takes longer: raise the limit with --webhook-timeout <ms>)`
        : "",
      entry.fault ? ` (fault: ${entry.fault})` : "",
      entry.nextAttemptAt ? `, next attempt at ${entry.nextAttemptAt}` : "",
      entry.disabled ? ", endpoint disabled after its last attempt" : "",
    ].join(""),
  );

async function listen(options: ServerOptions & { quiet: boolean }): Promise<SandboxServer> {
  if (!isLoopback(options.host!)) {
    console.error(
      `medblocks-sandbox: warning: listening on ${options.host} makes the sandbox reachable from other machines; anyone who can ` +
        `reach it can read and change any workspace whose key they know. Use --host ${DEFAULT_HOST} unless you need this.`,
    );
  }
  try {
    return await startServer({
      ...options,
      log: options.quiet ? undefined : logLine,
      deliveryLog: options.quiet ? undefined : deliveryLine(options.webhookTimeoutMs ?? DEFAULT_TIMEOUT_MS),
      ownsProcess: true,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      throw new CliError(`port ${options.port} on ${options.host} is in use: stop what uses it, or pass another --port`);
    if (code === "EADDRNOTAVAIL") throw new CliError(`cannot listen on ${options.host}: no such address on this machine`);
    throw error;
  }
}

/** Resolves with the first of SIGINT/SIGTERM/SIGHUP, calling `each` for every one. */
function onSignals(each: (signal: NodeJS.Signals) => void): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const signal of SIGNALS) {
      process.on(signal, () => {
        each(signal);
        resolve(signal);
      });
    }
  });
}

async function start(args: string[]): Promise<number> {
  const options = serverOptions(args, "start");
  const server = await listen(options);
  let signals = 0;
  // Listening for signals before the banner: whoever reads it may stop the sandbox at once.
  const stopped = onSignals(() => {
    // A second Ctrl-C does not wait for the state file.
    if (++signals > 1) process.exit(130);
  });
  console.log(
    [
      `Medblocks sandbox ${SANDBOX_VERSION} (API version ${API_VERSION}) listening ` +
        `on ${server.listenUrl}${server.url === server.listenUrl ? "" : `, reached at ${server.url}`}`,
      "",
      `  MEDBLOCKS_BASE_URL=${server.url}`,
      `  MEDBLOCKS_API_KEY=${server.apiKey}`,
      "",
      ...(server.forwarding
        ? [
            `Webhooks: every event of this key's workspace is forwarded to ${server.forwarding.url} ` +
              `(${server.forwarding.endpointId}${server.forwarding.reused ? `, from ${options.stateFile}` : ""}), signed with`,
            "",
            `  MEDBLOCKS_WEBHOOK_SECRET=${server.forwarding.secret}`,
            "",
          ]
        : []),
      ...dashboardLines(options.host!, server),
      "",
      `${
        options.keys ? "Only the keys given with --keys are taken." : "Any mb_sk_sbx_… key is a workspace of its own."
      }${options.stateFile ? ` State is kept in ${options.stateFile}.` : ""} Ctrl-C stops the sandbox.`,
    ].join("\n"),
  );
  await stopped;
  await server.close();
  return 0;
}

async function exec(args: string[]): Promise<number> {
  const separator = args.indexOf("--");
  if (separator === -1 || separator === args.length - 1) {
    throw new UsageError("exec needs the command after `--`, e.g. medblocks-sandbox exec -- npm test");
  }
  const options = serverOptions(args.slice(0, separator), "exec");
  const [command, ...commandArgs] = args.slice(separator + 1) as [string, ...string[]];
  const server = await listen(options);
  const env: NodeJS.ProcessEnv = { ...process.env, MEDBLOCKS_BASE_URL: server.url, MEDBLOCKS_API_KEY: server.apiKey };
  // With --forward-to, the command's receiver gets the endpoint's secret the same way.
  if (server.forwarding) env.MEDBLOCKS_WEBHOOK_SECRET = server.forwarding.secret;
  const names = `MEDBLOCKS_BASE_URL${server.forwarding ? ", MEDBLOCKS_API_KEY and MEDBLOCKS_WEBHOOK_SECRET" : " and MEDBLOCKS_API_KEY"}`;
  const dashboard = dashboardUrl(options.host!, server);
  console.error(`medblocks-sandbox: ${server.url} (${names} are set for \`${command}\`)${dashboard ? `; dashboard: ${dashboard}` : ""}`);
  const child = spawn(command, commandArgs, { stdio: "inherit", env });
  const exited = new Promise<number>((resolve) => {
    child.once("error", (error: NodeJS.ErrnoException) => {
      console.error(`medblocks-sandbox: could not run \`${command}\`: ${error.code === "ENOENT" ? "command not found" : error.message}`);
      resolve(127);
    });
    child.once("exit", (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
  let killTimer: NodeJS.Timeout | undefined;
  void onSignals((signal) => {
    child.kill(signal);
    // A command that ignores the signal is stopped for good after 10 s.
    killTimer ??= setTimeout(() => child.kill("SIGKILL"), 10_000);
  });
  const code = await exited;
  clearTimeout(killTimer);
  await server.close();
  return code;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "start":
        return await start(rest);
      case "exec":
        return await exec(rest);
      case "trigger":
        return await triggerCommand(rest);
      case "-v":
      case "--version":
        console.log(SANDBOX_VERSION);
        return 0;
      case "-h":
      case "--help":
        console.log(USAGE);
        return 0;
      default:
        throw new UsageError(command === undefined ? "a command is required: start, exec or trigger" : `unknown command \`${command}\``);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`medblocks-sandbox: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    const expected = error instanceof CliError || error instanceof StateFileError;
    console.error(`medblocks-sandbox: ${expected ? error.message : ((error as Error)?.stack ?? String(error))}`);
    return 1;
  }
}

process.exit(await main(process.argv.slice(2)));
