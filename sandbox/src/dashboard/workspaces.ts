/**
 * Which workspaces the dashboard knows, and how it names them. A workspace
 * is reached by a key, and the dashboard never shows, logs or puts in an
 * address a whole key: its pages say `…abcd` (the key's last 4
 * characters), its addresses carry the workspace's fingerprint (the hash
 * the state file keys it by), and it keeps the keys themselves in memory
 * only. It knows the ready key (the one `start` prints and `sb.apiKey`
 * is), the keys it was started with (`--keys`), every key used since it
 * started (http/activity.ts), and any key a person enters in its form.
 */
import { keyHint, readyKey } from "../api/keys.js";
import type { Core } from "../core.js";
import type { Workspace } from "../state/workspace.js";

export interface KnownWorkspace {
  /** In the dashboard's addresses: `/__sandbox/workspaces/<fingerprint>`. */
  fingerprint: string;
  /** What a page shows of the key: `…abcd`. */
  label: string;
  /** The key that was printed at start (`sb.apiKey` in process). */
  ready: boolean;
  /** The workspace, when it exists (a key's workspace is made on first use). */
  workspace: Workspace | undefined;
  /** Never rendered: for the controls, which take a key. */
  key: string;
}

/**
 * The ready key's workspace first, then those of the other keys the sandbox was given (`--keys`) or saw used since it
 * started, the latest used first.
 */
export function knownWorkspaces(core: Core): KnownWorkspace[] {
  const ready = readyKey(core.store.seed, core.keys);
  const used = core.activity.keysUsed();
  const keys = [...new Set([ready, ...used, ...(core.keys ?? [])])];
  return keys.map((key) => ({
    fingerprint: core.store.fingerprint(key),
    label: keyHint(key),
    ready: key === ready,
    workspace: core.store.existingWorkspace(key),
    key,
  }));
}

/** The known workspace with this fingerprint, if any. */
export const workspaceAt = (core: Core, fingerprint: string): KnownWorkspace | undefined =>
  knownWorkspaces(core).find((known) => known.fingerprint === fingerprint);
