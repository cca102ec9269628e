/**
 * A command started in a process group of its own, as a terminal starts a
 * foreground job, so that a test can do what Ctrl-C does (SIGINT to the
 * whole group) and then see whether anything of it is left. The group is
 * killed by its id when the test process exits or is interrupted.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const groups = new Set<number>();
const killGroups = () => {
  for (const pgid of groups) signalGroup(pgid, "SIGKILL");
};
process.once("exit", killGroups);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    killGroups();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: nothing left in the group
  }
}

/** The pids of the live processes (zombies excluded) in group `pgid`, read from /proc. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === pgid && state !== "Z") members.push(Number(entry));
  }
  return members;
}

export interface Job {
  readonly child: ChildProcess;
  /** The group's id (the leader's pid). */
  readonly pgid: number;
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects after `timeoutMs` or if the job exits first. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Resolves with the leader's exit once every member is gone; after `timeoutMs` kills the group and rejects with the output. */
  finished(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * SIGINT to the whole group, as Ctrl-C in a terminal; resolves with the leader's exit once every member is gone
   * (SIGKILL after `timeoutMs`).
   */
  interrupt(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }>;
}

export function startJob(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Job {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  if (child.pid === undefined) throw new Error(`${command} did not start`);
  const pgid = child.pid;
  groups.add(pgid);
  let log = "";
  child.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  /** Whether the leader exited and no member of the group is left within `timeoutMs`. */
  const allGone = async (timeoutMs: number): Promise<boolean> => {
    const deadline = Date.now() + timeoutMs;
    while (groupMembers(pgid).length > 0 || (child.exitCode === null && child.signalCode === null)) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return true;
  };
  return {
    child,
    pgid,
    output: () => log,
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = log.match(pattern);
        if (match) return match;
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited before ${pattern}:\n${log}`);
        if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${log}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async finished(timeoutMs) {
      if (!(await allGone(timeoutMs))) {
        signalGroup(pgid, "SIGKILL");
        await exit;
        groups.delete(pgid);
        throw new Error(`${command} ${args.join(" ")} still running after ${timeoutMs} ms, killed:\n${log}`);
      }
      groups.delete(pgid);
      return exit;
    },
    async interrupt(timeoutMs) {
      signalGroup(pgid, "SIGINT");
      const killed = !(await allGone(timeoutMs));
      if (killed) signalGroup(pgid, "SIGKILL");
      const exited = await exit;
      groups.delete(pgid);
      return { ...exited, killed };
    },
  };
}
