/**
 * `--state FILE`: the sandbox's state on disk. Loaded at start (a corrupt
 * file is a clear error and is left as it is; a missing one is created once
 * the server listens), written after changes — coalesced, one write at a time — and a last
 * time on close. Every write goes to a temporary file that is then renamed
 * over the old one, so the file is always either the old or the new state.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { ApiError } from "./errors.js";
import { Store } from "./state/store.js";

/** A state file that cannot be used; the message says which file and why. */
export class StateFileError extends Error {
  override readonly name = "StateFileError";
}

export interface StateFile {
  readonly store: Store;
  /** Writes the file now if it did not exist; a StateFileError when it cannot be written. */
  ensure(): void;
  /** Call after a request: schedules a write when the state changed. */
  changed(): void;
  /** Waits for a write in progress and writes any change left. */
  close(): Promise<void>;
}

/** How long changes are gathered before a write (a large state takes tens of ms to write). */
const COALESCE_MS = 200;

function load(path: string): Store {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new StateFileError(`state file ${path} cannot be read: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new StateFileError(`state file ${path} is not valid JSON, so it is not a sandbox state. It was left unchanged: fix it, or move it away to start empty.`);
  }
  try {
    return Store.fromData(data);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    throw new StateFileError(`state file ${path} is not a sandbox state: ${error.message} It was left unchanged: fix it, or move it away to start empty.`);
  }
}

export function openStateFile(path: string, report: (message: string) => void = console.error): StateFile {
  const existed = existsSync(path);
  const store = existed ? load(path) : new Store();
  const temporary = `${path}.tmp-${process.pid}`;
  let saved = existed ? store.revision : -1;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> | undefined;

  const snapshot = () => ({ revision: store.revision, text: `${JSON.stringify(store.toData())}\n` });
  const writeNow = () => {
    const { revision, text } = snapshot();
    writeFileSync(temporary, text);
    renameSync(temporary, path);
    saved = revision;
  };
  const writeLater = () => {
    timer = undefined;
    if (writing || saved === store.revision) return;
    let revision: number;
    let text: string;
    try {
      ({ revision, text } = snapshot());
    } catch (error) {
      // Nothing awaits this timer: a failure is reported, never thrown (it would end the process).
      report(`medblocks-sandbox: could not write state file ${path}: ${(error as Error)?.message ?? String(error)} (trying again after the next change)`);
      return;
    }
    let failed = false;
    writing = writeFile(temporary, text)
      .then(() => rename(temporary, path))
      .then(
        () => void (saved = revision),
        (error: Error) => {
          failed = true;
          report(`medblocks-sandbox: could not write state file ${path}: ${error.message} (trying again after the next change)`);
        },
      )
      .finally(() => {
        writing = undefined;
        if (!failed && saved !== store.revision) schedule();
      });
  };
  const schedule = () => {
    timer ??= setTimeout(writeLater, COALESCE_MS);
  };

  return {
    store,
    ensure() {
      if (existed) return;
      try {
        writeNow();
      } catch (error) {
        throw new StateFileError(`state file ${path} cannot be written: ${(error as Error).message}`);
      }
    },
    changed: () => {
      if (saved !== store.revision) schedule();
    },
    async close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await writing;
      if (saved !== store.revision) writeNow();
    },
  };
}
