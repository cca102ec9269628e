/**
 * Which workspaces the dashboard knows, and how it names them. A workspace
 * is reached by a key, and the dashboard never shows, logs or puts in an
 * address a whole key: its pages say `…abcd` (the key's last 4
 * characters), its addresses carry the workspace's fingerprint (the hash
 * the state file keys it by), and it keeps the keys themselves in memory
 * only. It knows the ready key (the one `start` prints and `sb.apiKey`
 * is), every key used since the sandbox started, and any key a person
 * enters in its form.
 */
import type { Core } from "../pipeline.js";
import { derivedKey } from "../random.js";
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

/** `…abcd`: all a page shows of a key. */
export const keyLabel = (key: string): string => `…${key.slice(-4)}`;

/** The ready key's workspace first, then every other key used since start, by label. */
export function knownWorkspaces(core: Core): KnownWorkspace[] {
  const ready = derivedKey(core.store.seed);
  const known = (key: string): KnownWorkspace => ({
    fingerprint: core.store.fingerprint(key),
    label: keyLabel(key),
    ready: key === ready,
    workspace: core.store.existingWorkspace(key),
    key,
  });
  const others = core.store
    .keysInUse()
    .map(([key]) => key)
    .filter((key) => key !== ready)
    .map(known)
    .sort((a, b) => a.label.localeCompare(b.label) || a.fingerprint.localeCompare(b.fingerprint));
  return [known(ready), ...others];
}

/** The known workspace with this fingerprint, if any. */
export const workspaceAt = (core: Core, fingerprint: string): KnownWorkspace | undefined =>
  knownWorkspaces(core).find((known) => known.fingerprint === fingerprint);
