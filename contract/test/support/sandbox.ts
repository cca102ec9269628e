/**
 * What a run left in a sandbox workspace: the tables that were empty before
 * it and are not now.
 */
import type { Sandbox } from "../../../sandbox/src/index.js";

export type Snapshot = ReturnType<Sandbox["exportState"]>;

export function leftBehind(sb: Sandbox, before: Snapshot): string[] {
  const now = sb.exportState().workspace as unknown as Record<string, unknown>;
  return Object.entries(before.workspace as unknown as Record<string, unknown>)
    .filter(([name, value]) => Array.isArray(value) && value.length === 0 && (now[name] as unknown[]).length > 0)
    .map(([name]) => name);
}
