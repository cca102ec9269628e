/**
 * `--state FILE`: the sandbox's state on disk, in three files beside each
 * other, and what holds:
 *
 * - FILE, the snapshot: the whole state (every workspace, the seed). It is
 *   rewritten at start, when the journal has grown past it (and past
 *   COMPACT_AFTER_BYTES), and at close — each time to a new temporary file,
 *   flushed to disk and renamed over the old one, so FILE is always a whole
 *   state, the old or the new.
 * - FILE.journal: every change since the snapshot, one JSON line each,
 *   written (synchronously, in the request) before the request that made
 *   it is answered. Whatever was answered 2xx is on disk when the answer
 *   leaves, so it survives the process being killed (kill -9, a crash); an
 *   OS crash or a power cut can lose the last changes, as the journal is not
 *   flushed to disk per change. Loading replays it over the snapshot; a last
 *   line cut off mid-write was never answered and is dropped.
 * - FILE.lock: the pid of the sandbox using the files, created exclusively,
 *   so a second sandbox on FILE refuses to start; a lock whose process is
 *   no longer running (killed) is taken over, and the sandbox says so.
 *
 * Every file is created 0600 (it holds webhook secrets, and the seed, which
 * yields the printed key) by exclusive create under a random name — never
 * through a link planted at a name — then renamed into place. A failed write
 * is reported, never thrown into a request or a timer: the sandbox keeps
 * serving and writes the whole snapshot at the next change it can.
 */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { ApiError } from "../errors.js";
import { COLLECTIONS, type Collection } from "./workspace.js";
import { Store, type JournalEntry, type SandboxStateData } from "./store.js";
import type { Keyed } from "./table.js";

/** A state file that cannot be used; the message says which file and why. */
export class StateFileError extends Error {
  override readonly name = "StateFileError";
}

export interface StateFile {
  readonly store: Store;
  /** Writes the snapshot and starts the journal (once the server listens); a StateFileError when it cannot be written. */
  start(): void;
  /** Call after every change: writes what changed to the journal, before the change is answered. */
  changed(): void;
  /** Writes the snapshot a last time, then removes the journal and the lock. */
  close(): Promise<void>;
  /** Lets go of the lock without writing (a start that failed). */
  release(): void;
}

/** The journal's size past which (and past the snapshot's own size) the snapshot is written anew. */
const COMPACT_AFTER_BYTES = 4_000_000;
/** How often a snapshot is tried while writes fail (each change would otherwise try one). */
const RETRY_AFTER_FAILURE_MS = 1_000;
const JOURNAL_FORMAT = "medblocks-sandbox-journal";
const JOURNAL_VERSION = 1;

const message = (error: unknown) => (error as Error)?.message ?? String(error);

const readIfThere = (path: string): string | undefined => {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
};

/** Writes all of `text` at the file's current end. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
}

/** A new file for `target`, 0600, made by exclusive create under a random name beside it (O_EXCL: a link there is never followed). */
function createBeside(target: string): { fd: number; path: string } {
  const path = `${target}.tmp-${randomBytes(8).toString("hex")}`;
  return { fd: openSync(path, "wx", 0o600), path };
}

/** Puts `text` at `target` whole: a new file, flushed to disk, renamed over the old one; the folder's entry flushed too. */
function replaceFile(target: string, text: string): void {
  const { fd, path } = createBeside(target);
  try {
    writeAll(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(path);
    throw error;
  }
  closeSync(fd);
  renameSync(path, target);
  syncFolder(target);
}

function syncFolder(target: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dirname(target), "r");
    fsyncSync(fd);
  } catch {
    // Not every system can flush a folder (Windows cannot): the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether a process with `pid` runs (one of another user's counts). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes `path`'s lock, or refuses with who holds it; returns how to let go of it. */
function lock(path: string, report: (message: string) => void): () => void {
  const lockPath = `${path}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, "wx", 0o600);
      try {
        writeAll(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      return () => {
        try {
          if (readFileSync(lockPath, "utf8").trim() === String(process.pid)) unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new StateFileError(`state file ${path} cannot be written: its lock ${lockPath} cannot be created: ${message(error)}`);
      }
    }
    const text = readIfThere(lockPath)?.trim() ?? "";
    const owner = /^\d{1,10}$/.test(text) ? Number(text) : undefined;
    if (owner !== undefined && running(owner)) {
      throw new StateFileError(
        `state file ${path} is in use by another sandbox (pid ${owner}, per ${lockPath}): stop that one, or give this one another ` +
          `--state file.`,
      );
    }
    report(
      `medblocks-sandbox: state file ${path}: taking over its lock ${lockPath}, left ` +
        `by ${owner === undefined ? "a process that wrote no pid" : `pid ${owner}, which no longer runs`}.`,
    );
    try {
      unlinkSync(lockPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        throw new StateFileError(`state file ${path}: its lock ${lockPath} cannot be removed: ${message(error)}`);
    }
  }
  throw new StateFileError(`state file ${path}: its lock ${lockPath} keeps being taken by another process; try again.`);
}

/** Applies the journal's entries to the snapshot's data, in order; throws a StateFileError for an entry that is not one. */
function replay(data: SandboxStateData, lines: string[], where: string, report: (message: string) => void): void {
  /** Per workspace changed in part: its collections by id, written back as arrays at the end. */
  const tables = new Map<string, Map<Collection, Map<string, Keyed>>>();
  const tableOf = (fingerprint: string, name: Collection) => {
    let byName = tables.get(fingerprint);
    if (!byName) tables.set(fingerprint, (byName = new Map()));
    let byId = byName.get(name);
    if (!byId) byName.set(name, (byId = new Map(((data.workspaces[fingerprint]![name] ?? []) as Keyed[]).map((row) => [row.id, row]))));
    return byId;
  };
  lines.forEach((line, index) => {
    const at = `${where}, line ${index + 2},`;
    let entry: JournalEntry;
    try {
      entry = JSON.parse(line) as JournalEntry;
    } catch {
      if (index === lines.length - 1) {
        report(
          `medblocks-sandbox: ${where}: its last line was cut off (the sandbox stopped while writing it); that change was never ` +
            `answered, and is dropped.`,
        );
        return;
      }
      throw new StateFileError(`${at} is not JSON.`);
    }
    const fingerprint = entry?.w;
    if (typeof fingerprint !== "string" || !/^[0-9a-f]{32}$/.test(fingerprint)) throw new StateFileError(`${at} names no workspace.`);
    if ("replace" in entry) {
      tables.delete(fingerprint);
      data.workspaces[fingerprint] = entry.replace;
    } else if ("drop" in entry && entry.drop === true) {
      tables.delete(fingerprint);
      delete data.workspaces[fingerprint];
    } else if ("set" in entry && typeof entry.set === "object" && data.workspaces[fingerprint]) {
      Object.assign(data.workspaces[fingerprint], entry.set);
      for (const [name, rows] of Object.entries(entry.put ?? {})) {
        if (!(COLLECTIONS as readonly string[]).includes(name) || !Array.isArray(rows))
          throw new StateFileError(`${at} changes no collection of a workspace.`);
        for (const row of rows) tableOf(fingerprint, name as Collection).set((row as Keyed).id, row as Keyed);
      }
      for (const [name, ids] of Object.entries(entry.gone ?? {})) {
        if (!(COLLECTIONS as readonly string[]).includes(name) || !Array.isArray(ids))
          throw new StateFileError(`${at} changes no collection of a workspace.`);
        for (const id of ids) tableOf(fingerprint, name as Collection).delete(id as string);
      }
    } else {
      throw new StateFileError(`${at} is not a change of a workspace the state holds.`);
    }
  });
  for (const [fingerprint, byName] of tables) {
    const workspace = data.workspaces[fingerprint] as unknown as Record<Collection, Keyed[]>;
    for (const [name, byId] of byName) workspace[name] = [...byId.values()].sort((a, b) => a.seq - b.seq);
  }
}

/** The store FILE (and its journal) hold; a new one when FILE does not exist. */
function load(path: string, journalPath: string, report: (message: string) => void): Store {
  let text: string | undefined;
  try {
    text = readIfThere(path);
  } catch (error) {
    throw new StateFileError(`state file ${path} cannot be read: ${message(error)}`);
  }
  if (text === undefined) return new Store();
  const unchanged = "It was left unchanged: fix it, or move it away to start empty.";
  let data: SandboxStateData;
  try {
    data = JSON.parse(text);
  } catch {
    throw new StateFileError(`state file ${path} is not valid JSON, so it is not a sandbox state. ${unchanged}`);
  }
  const journal = readIfThere(journalPath);
  const [header, ...lines] = journal === undefined ? [] : journal.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  let continues = false;
  try {
    const parsed = header === undefined ? undefined : JSON.parse(header);
    continues = parsed?.format === JOURNAL_FORMAT && typeof data?.journal === "string" && parsed.journal === data.journal;
  } catch {
    // A journal whose first line is no header belongs to no snapshot: it is replaced at start.
  }
  try {
    if (continues && typeof data.workspaces === "object" && data.workspaces !== null)
      replay(data, lines, `the journal ${journalPath}`, report);
    return Store.fromData(data);
  } catch (error) {
    if (error instanceof StateFileError)
      throw new StateFileError(
        `state file ${path}: ${error.message} Both files were left unchanged: move the journal away to start from the state file alone.`,
      );
    if (!(error instanceof ApiError)) throw error;
    const what = continues
      ? `state file ${path} (with its journal ${journalPath}) is not a sandbox state`
      : `state file ${path} is not a sandbox state`;
    throw new StateFileError(`${what}: ${error.message} ${unchanged}`);
  }
}

export function openStateFile(path: string, report: (message: string) => void = console.error): StateFile {
  const journalPath = `${path}.journal`;
  const unlock = lock(path, report);
  let store: Store;
  try {
    store = load(path, journalPath, report);
  } catch (error) {
    unlock();
    throw error;
  }
  store.tracksChanges = true;
  let journal: number | undefined;
  let journalBytes = 0;
  let snapshotBytes = 0;
  /** Set when a write failed: the changes since live only in memory until a snapshot is written. */
  let failedAt: number | undefined;

  /** Writes the whole state, then a new journal that continues it. */
  const writeSnapshot = () => {
    const id = randomBytes(16).toString("hex");
    const text = `${JSON.stringify({ ...store.snapshot(), journal: id })}\n`;
    replaceFile(path, text);
    const header = `${JSON.stringify({ format: JOURNAL_FORMAT, version: JOURNAL_VERSION, journal: id })}\n`;
    const next = createBeside(journalPath);
    try {
      writeAll(next.fd, header);
      renameSync(next.path, journalPath);
    } catch (error) {
      closeSync(next.fd);
      unlinkSync(next.path);
      throw error;
    }
    if (journal !== undefined) closeSync(journal);
    journal = next.fd;
    journalBytes = header.length;
    snapshotBytes = text.length;
  };

  /** A snapshot now; a failure is reported (once per run of failures) and tried again later. */
  const trySnapshot = () => {
    try {
      writeSnapshot();
      if (failedAt !== undefined) report(`medblocks-sandbox: state file ${path} is written again.`);
      failedAt = undefined;
    } catch (error) {
      if (failedAt === undefined) {
        report(
          `medblocks-sandbox: could not write state file ${path}: ${message(error)}. The sandbox keeps serving from memory and tries ` +
            `again after the next change; changes made until then are not on disk.`,
        );
      }
      failedAt = Date.now();
    }
  };

  const appendChanges = () => {
    const entries = store.takeChanges();
    if (entries.length === 0) return;
    let text: string;
    try {
      text = `${entries.map((entry) => JSON.stringify(entry)).join("\n")}\n`;
      writeAll(journal!, text);
    } catch (error) {
      report(`medblocks-sandbox: could not write the journal ${journalPath}: ${message(error)}. Writing the whole state file instead.`);
      failedAt = 0;
      return;
    }
    journalBytes += Buffer.byteLength(text);
  };

  return {
    store,
    start() {
      try {
        writeSnapshot();
      } catch (error) {
        unlock();
        throw new StateFileError(`state file ${path} cannot be written: ${message(error)}`);
      }
    },
    changed() {
      if (journal === undefined) return;
      if (failedAt !== undefined) {
        if (Date.now() - failedAt >= RETRY_AFTER_FAILURE_MS) trySnapshot();
        return;
      }
      appendChanges();
      if (failedAt !== undefined || journalBytes > Math.max(COMPACT_AFTER_BYTES, snapshotBytes)) trySnapshot();
    },
    async close() {
      if (journal === undefined) return unlock();
      if (failedAt === undefined) appendChanges();
      // The journal goes only once a snapshot holds all it held.
      failedAt = undefined;
      trySnapshot();
      closeSync(journal);
      journal = undefined;
      if (failedAt === undefined) {
        try {
          unlinkSync(journalPath);
        } catch {
          // already gone
        }
      }
      unlock();
    },
    release: () => unlock(),
  };
}
