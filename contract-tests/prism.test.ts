/**
 * The Prism launcher used by the contract suite and the demo: it starts on a
 * free port, reports a failed start with Prism's own output, and never
 * leaves Prism running — after stop(), on process.exit, or on a signal.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { startPrism } from "../scripts/prism.js";

/** Every process a test here started (the script and the Prism it started), killed afterwards if still alive. */
const started: { child?: ChildProcess; prismPid?: number }[] = [];
afterEach(() => {
  for (const { child, prismPid } of started.splice(0)) {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    if (prismPid !== undefined && alive(prismPid)) process.kill(prismPid, "SIGKILL");
  }
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilDead(pid: number, ms = 3_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return !alive(pid);
}

/** Runs a script that starts Prism, prints its pid, then ends as `ending` says. */
async function prismPidAfter(ending: string, signal?: NodeJS.Signals): Promise<number> {
  const script = `
    import { startPrism } from "./scripts/prism.ts";
    const prism = await startPrism();
    console.log("PID " + prism.pid);
    ${ending}
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const record: (typeof started)[number] = { child };
  started.push(record);
  let output = "";
  const pid = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no pid within 30 s: ${output}`)), 30_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /PID (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`script exited (${code}) before printing a pid: ${output}`));
    });
  });
  record.prismPid = pid;
  if (signal) child.kill(signal);
  if (child.exitCode === null && child.signalCode === null) await once(child, "exit", { signal: AbortSignal.timeout(15_000) });
  return pid;
}

// Each case starts Prism (2–4 s here, more on a loaded machine): far past vitest's 5 s default.
describe("startPrism", { timeout: 60_000 }, () => {
  it("serves the spec on a free loopback port and stops on stop()", async () => {
    const prism = await startPrism();
    try {
      expect(prism.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${prism.url}/health`, { headers: { authorization: "Bearer x" } });
      expect(response.status).toBe(200);
      expect(alive(prism.pid)).toBe(true);
    } finally {
      await prism.stop();
    }
    expect(alive(prism.pid)).toBe(false);
  });

  it("rejects with Prism's output when the spec cannot be loaded", async () => {
    await expect(startPrism({ spec: "spec/no-such-file.yaml" })).rejects.toThrow(
      /Prism exited .*\n--- Prism output ---\n[\s\S]*no-such-file/,
    );
  });

  it("kills Prism when the process exits without stopping it", async () => {
    const pid = await prismPidAfter("process.exit(0);");
    expect(await waitUntilDead(pid)).toBe(true);
  });

  it.each(["SIGINT", "SIGTERM"] as const)("kills Prism when the process gets %s", async (signal) => {
    const pid = await prismPidAfter("setInterval(() => {}, 1000);", signal);
    expect(await waitUntilDead(pid)).toBe(true);
  });
});
