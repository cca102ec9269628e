/**
 * A sandbox's whole state: its seed and its workspaces, each found by a
 * fingerprint of its API key (so exported state never holds a key). A key
 * with no workspace gets an empty one that is kept only once something
 * changes in it: reads by a made-up key leave nothing behind, and at most
 * MAX_WORKSPACES are kept. Every change is noted with `noteChange()`, by
 * `core.changed` only (core.ts); the state file takes what changed since
 * it last wrote (`takeChanges()`).
 */
import { createHash, randomBytes } from "node:crypto";
import { findSource } from "../domain/catalog.js";
import { ApiError } from "../errors.js";
import { hashWords } from "../domain/random.js";
import { lazyValidator } from "../validation/ajv.js";
import { issueError } from "../validation/issues.js";
import { FORMAT_VERSION, STATE_FORMAT, stateSchema, WORKSPACE_FORMAT, workspaceExportSchema } from "./schema.js";
import type { SessionRow } from "./rows.js";
import { COLLECTIONS, Workspace, type WorkspaceChanges, type WorkspaceData, type WorkspaceIndex } from "./workspace.js";

export interface WorkspaceExport {
  format: typeof WORKSPACE_FORMAT;
  version: typeof FORMAT_VERSION;
  workspace: WorkspaceData;
}

export interface SandboxStateData {
  format: typeof STATE_FORMAT;
  version: typeof FORMAT_VERSION;
  seed: string;
  /** The id of the journal that continues this snapshot (file.ts); absent when none does. */
  journal?: string;
  workspaces: Record<string, WorkspaceData>;
}

/** One change of a workspace, as the state file's journal records it: written whole, dropped, or changed in part. */
export type JournalEntry = { w: string } & ({ replace: WorkspaceData } | { drop: true } | WorkspaceChanges);

/** How many workspaces a sandbox keeps; a new key's first change past that is refused (429 `api_key_limit_exceeded`). */
export const MAX_WORKSPACES = 5_000;
/** How many new keys are noted on the log (`firstUse`); past that, new keys go unnoted. */
const MAX_NOTED_KEYS = 2 * MAX_WORKSPACES;

const exportValidator = lazyValidator(workspaceExportSchema);
const stateValidator = lazyValidator(stateSchema);

/** Refuses an EHR id the catalog does not have: the hosted page and the records could not show it. */
function checkSource(id: string | null, at: string): void {
  if (id !== null && !findSource(id)) {
    throw new ApiError(400, "invalid_data", `\`${at}\` names no EHR of the sandbox's catalog (\`GET /connections\` lists them).`, at);
  }
}

/** Every EHR a workspace's records name, with where. */
function checkSources(data: WorkspaceData, where: string): void {
  data.sessions.forEach((session, index) => {
    const at = `${where}.sessions[${index}]`;
    checkSource(session.connection_id, `${at}.connection_id`);
    session.recommended_connection_ids?.forEach((id, position) => checkSource(id, `${at}.recommended_connection_ids[${position}]`));
    session.attempts.forEach((attempt, position) => checkSource(attempt.connection_id, `${at}.attempts[${position}].connection_id`));
  });
  data.links.forEach((link, index) => checkSource(link.connection_id, `${where}.links[${index}].connection_id`));
  data.launch_contexts.forEach((context, index) => checkSource(context.fhir_source, `${where}.launch_contexts[${index}].fhir_source`));
}

/** Checks what the schema cannot: unique ids, creation numbers below the workspace's counter, EHRs of the catalog. */
function checkConsistent(data: WorkspaceData, where: string): void {
  checkSources(data, where);
  for (const name of COLLECTIONS) {
    const ids = new Set<string>();
    const seqs = new Set<number>();
    data[name].forEach((row, index) => {
      const at = `${where}.${name}[${index}]`;
      if (ids.has(row.id)) throw new ApiError(400, "invalid_data", `\`${at}.id\` repeats the id of an earlier record.`, `${at}.id`);
      if (seqs.has(row.seq) || row.seq > data.seq) {
        throw new ApiError(400, "invalid_data", `\`${at}.seq\` must be unique and at most \`${where}.seq\`.`, `${at}.seq`);
      }
      ids.add(row.id);
      seqs.add(row.seq);
    });
  }
}

export class Store {
  readonly seed: string;
  /** The workspaces kept, by the fingerprint of their key. */
  readonly #workspaces = new Map<string, Workspace>();
  readonly #fingerprintOf = new WeakMap<Workspace, string>();
  /** Workspaces of keys that have none yet, with their fingerprint: kept at their first change. */
  readonly #unkept = new WeakMap<Workspace, string>();
  /** Kept workspaces by API key, so a request needs no hash; never exported. */
  readonly #byKey = new Map<string, Workspace>();
  readonly #index: WorkspaceIndex = { byToken: new Map(), withPending: new Set() };
  /** Workspaces changed since the last `takeChanges()`: how the journal is to write each. */
  readonly #changed = new Map<string, "part" | "whole" | "drop">();
  /** Fingerprints of the keys noted as new (`firstUse`). */
  readonly #noted = new Set<string>();
  /** Whether a state file takes the changes (`takeChanges`); without one they are let go at once. */
  tracksChanges = false;
  /** Bumped by every change (`noteChange`, a reset, an import): a change is seen by comparing it. */
  #revision = 0;

  constructor(seed: string = randomBytes(16).toString("hex")) {
    this.seed = seed;
  }

  /** What stands for the key in the state file and the dashboard's addresses: a hash that does not give the key away. */
  fingerprint(apiKey: string): string {
    return createHash("sha256").update(`medblocks-sandbox workspace\u0000${apiKey}`).digest("hex").slice(0, 32);
  }

  /** How many workspaces are kept. */
  get size(): number {
    return this.#workspaces.size;
  }

  get revision(): number {
    return this.#revision;
  }

  /**
   * The key's workspace. A key with none gets a new empty one, not kept
   * yet: `noteChange()` keeps it once something is in it. Whoever changes
   * it must do so without awaiting after this call, so that two first calls
   * of one key cannot each make their own.
   */
  workspace(apiKey: string): Workspace {
    const cached = this.#byKey.get(apiKey);
    if (cached) return cached;
    const fingerprint = this.fingerprint(apiKey);
    const kept = this.#workspaces.get(fingerprint);
    if (kept) {
      this.#byKey.set(apiKey, kept);
      return kept;
    }
    const workspace = Workspace.empty(hashWords(`${this.seed}\u0000${fingerprint}`));
    this.#unkept.set(workspace, fingerprint);
    return workspace;
  }

  /** The key's workspace if it is kept, without making one. */
  existingWorkspace(apiKey: string): Workspace | undefined {
    return this.#byKey.get(apiKey) ?? this.#workspaces.get(this.fingerprint(apiKey));
  }

  /** Whether the store keeps this workspace (a new key's is not kept until it changes). */
  isKept(workspace: Workspace): boolean {
    return this.#fingerprintOf.has(workspace);
  }

  /** Refuses a change that would keep one workspace more than MAX_WORKSPACES. */
  checkRoom(workspace: Workspace): void {
    if (this.isKept(workspace) || this.#workspaces.size < MAX_WORKSPACES) return;
    throw new ApiError(
      429,
      "api_key_limit_exceeded",
      `This sandbox keeps ${MAX_WORKSPACES} workspaces, its limit, so this new key's cannot be made. Reset the workspaces you no ` +
        `longer use (\`POST /__sandbox/reset\` with their key), or start the sandbox anew.`,
      null,
      1,
    );
  }

  /** True the first time a key with no kept workspace is seen (up to MAX_NOTED_KEYS of them), so its first use can be noted on the log. */
  firstUse(apiKey: string): boolean {
    if (this.#byKey.has(apiKey) || this.#noted.size >= MAX_NOTED_KEYS) return false;
    const fingerprint = this.fingerprint(apiKey);
    if (this.#workspaces.has(fingerprint) || this.#noted.has(fingerprint)) return false;
    this.#noted.add(fingerprint);
    return true;
  }

  /**
   * After every change to `workspace`: keeps a new key's workspace once
   * something is in it, lets go of one that is empty again, and notes it
   * for the state file's next write. Called by `core.changed` only, which
   * also has the change written and the deliveries woken.
   */
  noteChange(workspace: Workspace): void {
    this.#revision++;
    const fingerprint = this.#fingerprintOf.get(workspace);
    if (fingerprint === undefined) {
      const unkept = this.#unkept.get(workspace);
      if (unkept !== undefined && !workspace.isEmpty()) this.#keep(unkept, workspace);
    } else if (workspace.isEmpty()) {
      this.#drop(fingerprint);
    } else if (!this.tracksChanges) {
      workspace.forgetChanges();
    } else if (!this.#changed.has(fingerprint)) {
      this.#changed.set(fingerprint, "part");
    }
  }

  #keep(fingerprint: string, workspace: Workspace): void {
    this.#revision++;
    const old = this.#workspaces.get(fingerprint);
    if (old && old !== workspace) this.#drop(fingerprint);
    this.#workspaces.set(fingerprint, workspace);
    this.#fingerprintOf.set(workspace, fingerprint);
    this.#unkept.delete(workspace);
    workspace.indexIn(this.#index);
    // Written whole: what it noted as changed so far is in that.
    workspace.forgetChanges();
    if (this.tracksChanges) this.#changed.set(fingerprint, "whole");
  }

  #drop(fingerprint: string): void {
    const workspace = this.#workspaces.get(fingerprint);
    if (!workspace) return;
    this.#revision++;
    workspace.indexIn(undefined);
    this.#workspaces.delete(fingerprint);
    this.#fingerprintOf.delete(workspace);
    this.#byKey.clear();
    if (this.tracksChanges) this.#changed.set(fingerprint, "drop");
  }

  /** The session whose page token this is, with its workspace: the hosted page needs no key. */
  sessionByToken(token: string): { workspace: Workspace; session: SessionRow } | undefined {
    const entry = this.#index.byToken.get(token);
    const session = entry?.workspace.sessions.get(entry.id);
    return session?.token === token ? { workspace: entry!.workspace, session } : undefined;
  }

  /** Every workspace kept, in no particular order. */
  workspaces(): IterableIterator<Workspace> {
    return this.#workspaces.values();
  }

  /** The kept workspaces with an event whose next attempt is planned. */
  withPendingEvents(): ReadonlySet<Workspace> {
    return this.#index.withPending;
  }

  /** Empties the key's workspace: its data, clock and faults. Noted as it is made: `core.changed()` follows. */
  reset(apiKey: string): void {
    this.#drop(this.fingerprint(apiKey));
  }

  exportWorkspace(apiKey: string): WorkspaceExport {
    return { format: WORKSPACE_FORMAT, version: FORMAT_VERSION, workspace: this.workspace(apiKey).toData() };
  }

  /** Replaces the key's workspace with an export (of any key's workspace). Noted as it is made: `core.changed()` follows. */
  importWorkspace(apiKey: string, data: unknown): void {
    const validate = exportValidator();
    if (!validate(data)) throw issueError(validate.errors!, data, "", "The state");
    const copy = structuredClone(data as unknown as WorkspaceExport);
    checkConsistent(copy.workspace, "workspace");
    const workspace = new Workspace(copy.workspace);
    const fingerprint = this.fingerprint(apiKey);
    if (workspace.isEmpty()) this.#drop(fingerprint);
    else this.#keep(fingerprint, workspace);
  }

  /** What changed since the last call, as journal entries (sharing the live rows: write them out at once). */
  takeChanges(): JournalEntry[] {
    const entries: JournalEntry[] = [];
    for (const [fingerprint, how] of this.#changed) {
      const workspace = this.#workspaces.get(fingerprint);
      if (how === "drop" || !workspace) entries.push({ w: fingerprint, drop: true });
      else if (how === "whole") entries.push({ w: fingerprint, replace: workspace.view() });
      else entries.push({ w: fingerprint, ...workspace.takeChanges() });
    }
    this.#changed.clear();
    return entries;
  }

  /** The whole state as JSON data, sharing the live rows (write it out at once); what changed so far counts as written. */
  snapshot(): SandboxStateData {
    const workspaces: Record<string, WorkspaceData> = {};
    for (const [fingerprint, workspace] of this.#workspaces) {
      workspaces[fingerprint] = workspace.view();
      workspace.forgetChanges();
    }
    this.#changed.clear();
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
      const kept = new Workspace(workspace);
      // State written before empty workspaces were let go may hold some: they are not kept.
      if (!kept.isEmpty()) store.#keep(fingerprint, kept);
    }
    store.#changed.clear();
    return store;
  }
}
