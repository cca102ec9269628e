/**
 * A sandbox's whole state: its seed and its workspaces, each found by a
 * fingerprint of its API key (so exported state never holds a key). Every
 * change bumps `revision`, which the server's state file follows.
 */
import { createHash, randomBytes } from "node:crypto";
import { ApiError } from "../errors.js";
import { hashWords } from "../random.js";
import { lazyValidator } from "../validation/ajv.js";
import { issueError } from "../validation/issues.js";
import { FORMAT_VERSION, STATE_FORMAT, stateSchema, WORKSPACE_FORMAT, workspaceExportSchema } from "./schema.js";
import type { SessionRecord } from "./records.js";
import { Workspace, type WorkspaceData } from "./workspace.js";

export interface WorkspaceExport {
  format: typeof WORKSPACE_FORMAT;
  version: typeof FORMAT_VERSION;
  workspace: WorkspaceData;
}

export interface SandboxStateData {
  format: typeof STATE_FORMAT;
  version: typeof FORMAT_VERSION;
  seed: string;
  workspaces: Record<string, WorkspaceData>;
}

const exportValidator = lazyValidator(workspaceExportSchema);
const stateValidator = lazyValidator(stateSchema);

const COLLECTIONS = ["patients", "sessions", "links", "webhooks", "events", "launch_contexts"] as const;

/** Checks what the schema cannot: unique ids, and creation numbers below the workspace's counter. */
function checkConsistent(data: WorkspaceData, where: string): void {
  for (const name of COLLECTIONS) {
    const ids = new Set<string>();
    const seqs = new Set<number>();
    data[name].forEach((record, index) => {
      const at = `${where}.${name}[${index}]`;
      if (ids.has(record.id)) throw new ApiError(400, "invalid_data", `\`${at}.id\` repeats the id of an earlier record.`, `${at}.id`);
      if (seqs.has(record.seq) || record.seq > data.seq) {
        throw new ApiError(400, "invalid_data", `\`${at}.seq\` must be unique and at most \`${where}.seq\`.`, `${at}.seq`);
      }
      ids.add(record.id);
      seqs.add(record.seq);
    });
  }
}

export class Store {
  readonly seed: string;
  #workspaces = new Map<string, Workspace>();
  /** Workspaces by API key, so a request needs no hash; never exported. */
  #byKey = new Map<string, Workspace>();
  /** Bumped by every change. */
  revision = 0;
  /** Sessions by the token of their page (`url`), across workspaces: derived, rebuilt when a token is missing after a change. */
  #byToken = new Map<string, { fingerprint: string; id: string }>();
  #tokensAt = -1;

  constructor(seed: string = randomBytes(16).toString("hex")) {
    this.seed = seed;
  }

  /** What stands for the key in the state file and the dashboard's addresses: a hash that does not give the key away. */
  fingerprint(apiKey: string): string {
    return createHash("sha256").update(`medblocks-sandbox workspace\u0000${apiKey}`).digest("hex").slice(0, 32);
  }

  /** The key's workspace, created on first use. */
  workspace(apiKey: string): Workspace {
    let workspace = this.#byKey.get(apiKey);
    if (workspace) return workspace;
    const fingerprint = this.fingerprint(apiKey);
    workspace = this.#workspaces.get(fingerprint);
    if (!workspace) {
      workspace = Workspace.empty(hashWords(`${this.seed}\u0000${fingerprint}`));
      this.#workspaces.set(fingerprint, workspace);
      this.revision++;
    }
    this.#byKey.set(apiKey, workspace);
    return workspace;
  }

  /** The key's workspace if it exists, without creating it. */
  existingWorkspace(apiKey: string): Workspace | undefined {
    return this.#byKey.get(apiKey) ?? this.#workspaces.get(this.fingerprint(apiKey));
  }

  /** The session whose page token this is, with its workspace: the hosted page needs no key. */
  sessionByToken(token: string): { workspace: Workspace; session: SessionRecord } | undefined {
    const found = () => {
      const entry = this.#byToken.get(token);
      const workspace = entry && this.#workspaces.get(entry.fingerprint);
      const session = workspace?.sessions.get(entry!.id);
      return session?.token === token ? { workspace: workspace!, session } : undefined;
    };
    const hit = found();
    if (hit || this.#tokensAt === this.revision) return hit;
    this.#byToken.clear();
    for (const [fingerprint, workspace] of this.#workspaces) {
      for (const session of workspace.sessions.all()) this.#byToken.set(session.token, { fingerprint, id: session.id });
    }
    this.#tokensAt = this.revision;
    return found();
  }

  /** The keys used since this process started (never exported), with their workspaces. */
  keysInUse(): [apiKey: string, workspace: Workspace][] {
    return [...this.#byKey];
  }

  /** Every workspace, in no particular order. */
  workspaces(): IterableIterator<Workspace> {
    return this.#workspaces.values();
  }

  /** Empties the key's workspace: its data, clock and faults. */
  reset(apiKey: string): void {
    this.#replace(apiKey, undefined);
  }

  exportWorkspace(apiKey: string): WorkspaceExport {
    return { format: WORKSPACE_FORMAT, version: FORMAT_VERSION, workspace: this.workspace(apiKey).toData() };
  }

  /** Replaces the key's workspace with an export (of any key's workspace). */
  importWorkspace(apiKey: string, data: unknown): void {
    const validate = exportValidator();
    if (!validate(data)) throw issueError(validate.errors!, data, "", "The state");
    const copy = structuredClone(data as unknown as WorkspaceExport);
    checkConsistent(copy.workspace, "workspace");
    this.#replace(apiKey, new Workspace(copy.workspace));
  }

  #replace(apiKey: string, workspace: Workspace | undefined): void {
    const fingerprint = this.fingerprint(apiKey);
    this.#byKey.delete(apiKey);
    if (workspace) this.#workspaces.set(fingerprint, workspace);
    else this.#workspaces.delete(fingerprint);
    this.revision++;
  }

  toData(): SandboxStateData {
    const workspaces: Record<string, WorkspaceData> = {};
    for (const [fingerprint, workspace] of this.#workspaces) workspaces[fingerprint] = workspace.toData();
    return { format: STATE_FORMAT, version: FORMAT_VERSION, seed: this.seed, workspaces };
  }

  /** A store from `--state FILE` data; throws an ApiError naming the first broken rule. */
  static fromData(data: unknown): Store {
    const validate = stateValidator();
    if (!validate(data)) throw issueError(validate.errors!, data, "", "The state");
    const state = data as unknown as SandboxStateData;
    const store = new Store(state.seed);
    for (const [fingerprint, workspace] of Object.entries(state.workspaces)) {
      checkConsistent(workspace, `workspaces.${fingerprint}`);
      store.#workspaces.set(fingerprint, new Workspace(workspace));
    }
    return store;
  }
}
