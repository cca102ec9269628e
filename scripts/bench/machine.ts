/**
 * How busy the whole machine is, from /proc/stat (Linux; null elsewhere).
 * On a 2-core machine any other job skews the figures: the benchmark reports
 * how many cores were busy with work that was not its own.
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
