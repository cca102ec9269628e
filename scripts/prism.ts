/**
 * Starts the pinned Prism mock of the bundled spec on a free loopback port.
 *
 * Used by the contract-test global setup and by `npm run demo`. Prism runs
 * with `--errors`, so a spec example that breaks its own schema is answered
 * with an error instead of being served. The child is killed on `stop()` and
 * also when this process exits, because vitest skips teardown on Ctrl-C.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";

export interface PrismServer {
  /** Base URL, e.g. `http://127.0.0.1:43123`. */
  readonly url: string;
  readonly pid: number;
  /** Everything Prism printed so far. */
  output(): string;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
const PRISM_ENTRY = join(dirname(require.resolve("@stoplight/prism-cli/package.json")), "dist/index.js");
const READY = "Prism is listening";
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export async function startPrism(options: { spec?: string; timeoutMs?: number } = {}): Promise<PrismServer> {
  const spec = options.spec ?? "generated/openapi.json";
  const timeoutMs = options.timeoutMs ?? 30_000;
  const port = await freePort();
  const child = spawn(process.execPath, [PRISM_ENTRY, "mock", spec, "--errors", "--host", "127.0.0.1", "--port", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error("Prism did not start: no pid");
  const killOnExit = () => child.kill("SIGKILL");
  // A signal skips "exit" listeners, so stop Prism there too; then, when no
  // one else (vitest, say) handles the signal, die of it as we would have.
  const onSignal = (signal: NodeJS.Signals) => {
    killOnExit();
    removeListeners();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const removeListeners = () => {
    process.removeListener("exit", killOnExit);
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
  process.once("exit", killOnExit);
  for (const signal of SIGNALS) process.once(signal, onSignal);

  let log = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`Prism did not listen within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    };
    const fail = (error: Error) => {
      clearTimeout(timer);
      removeListeners();
      child.kill("SIGKILL");
      reject(new Error(`${error.message}\n--- Prism output ---\n${log}`));
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => fail(new Error(`Prism exited with code ${code} before listening`)));
  });

  return {
    url: `http://127.0.0.1:${port}`,
    pid,
    output: () => log,
    async stop() {
      removeListeners();
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
