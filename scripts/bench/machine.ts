/**
 * How busy the whole machine is, from /proc/stat, and what CPU a process used,
 * from /proc/<pid>/stat (Linux; null elsewhere). On a 2-core machine any other
 * job skews the figures: the benchmark reports how many cores were busy with
 * work that was not its own, and CPU time beside wall time.
 */
import { readFileSync } from "node:fs";

export interface CpuTicks {
  busy: number;
  total: number;
}

export function machineTicks(): CpuTicks | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …; idle + iowait are not busy.
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** Cores busy between two readings (all processes), given the machine's core count. */
export function coresBusy(before: CpuTicks | null, after: CpuTicks | null, cores: number): number | null {
  if (!before || !after || after.total === before.total) return null;
  return ((after.busy - before.busy) / (after.total - before.total)) * cores;
}

/** Cores busy with other processes over an idle moment of ours. */
export async function idleProbe(cores: number, ms = 500): Promise<number | null> {
  const before = machineTicks();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return coresBusy(before, machineTicks(), cores);
}

/** The fields of /proc/<pid>/stat after the command name (the 3rd field on); null off Linux. */
function statFields(pid: number | "self"): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  } catch {
    return null;
  }
}

/** Seconds of CPU the process `pid` has used (user + system). */
export function cpuSeconds(pid: number): number | null {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / 100 : null;
}

/** Seconds of CPU used by this process's children that have exited and been waited for (10 ms resolution). */
export function exitedChildrenCpuSeconds(): number | null {
  const fields = statFields("self");
  return fields ? (Number(fields[13]) + Number(fields[14])) / 100 : null;
}
