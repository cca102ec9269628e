/**
 * The published packages as `npm pack` makes them (each package's prepack
 * builds its dist/ in place, then npm packs that build), made once per
 * `npm test`: scripts/pack.ts packs every package into a folder and writes
 * packed.json there, and scripts/test.sh names that folder in
 * MEDBLOCKS_PACKED for every later step. What needs a tarball or a build
 * (the package checks, the packaging tests, the CLI tests, the API report
 * and its test) takes it from there; run alone, without it, each packs or
 * builds for itself.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const REPO_DIR = join(import.meta.dirname, "..", "..");

/** Names the folder scripts/pack.ts packed into during this `npm test`; unset otherwise. */
export const PACKED_ENV = "MEDBLOCKS_PACKED";
const MANIFEST = "packed.json";

/** One packed package. */
export interface Packed {
  /** The package's name. */
  readonly name: string;
  /** Its folder, relative to the repository (`client`, `sandbox`, …). */
  readonly dir: string;
  /** The tarball's absolute path. */
  readonly tarball: string;
  /** The tarball's file name, `<name>-<version>.tgz`. */
  readonly filename: string;
  /** The paths in the tarball, as `npm pack --json` lists them. */
  readonly files: readonly string[];
}

const manifest = (dir: string) =>
  JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; workspaces?: string[]; private?: boolean };

/**
 * The folders of the packages this repository publishes, relative to it: the root and its workspaces (a `dir/*` entry
 * is each folder in it), less the private ones (the root is).
 */
export function publishedDirs(): string[] {
  const workspaces = (manifest(REPO_DIR).workspaces ?? []).flatMap((entry) =>
    entry.endsWith("/*")
      ? readdirSync(join(REPO_DIR, entry.slice(0, -2)), { withFileTypes: true })
          .filter((item) => item.isDirectory())
          .map((item) => join(entry.slice(0, -2), item.name))
      : [entry],
  );
  return [".", ...workspaces].filter(
    (dir) => existsSync(join(REPO_DIR, dir, "package.json")) && manifest(join(REPO_DIR, dir)).private !== true,
  );
}

/** `npm pack` of the package in `dir` (its prepack builds it) into `into`. */
export function pack(dir: string, into: string): Promise<Packed> {
  return new Promise((done, reject) => {
    execFile(
      "npm",
      ["pack", "--json", "--pack-destination", into, "--loglevel=error"],
      { cwd: dir, timeout: 180_000, maxBuffer: 32 << 20 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`npm pack in ${dir} failed (${error.message.split("\n")[0]}):\n${stdout}\n${stderr}`));
        // prepack's own output may precede the JSON on stdout: the JSON is the last top-level array.
        const json = stdout.slice(stdout.lastIndexOf("\n[") + 1 || stdout.indexOf("["));
        const [entry] = JSON.parse(json) as { name: string; filename: string; files: { path: string }[] }[];
        done({
          name: entry!.name,
          dir: relative(REPO_DIR, resolve(REPO_DIR, dir)) || ".",
          tarball: join(into, entry!.filename),
          filename: entry!.filename,
          files: entry!.files.map((file) => file.path),
        });
      },
    );
  });
}

/** Packs every published package into `into` at once, and writes the manifest that {@link sharedPacks} reads. */
export async function packAll(into: string): Promise<Packed[]> {
  const packed = await Promise.all(publishedDirs().map((dir) => pack(join(REPO_DIR, dir), into)));
  writeFileSync(join(into, MANIFEST), `${JSON.stringify(packed, null, 2)}\n`);
  return packed;
}

/**
 * The packages scripts/pack.ts packed during this `npm test`, when there are
 * (MEDBLOCKS_PACKED is set); their dist/ folders were built then, from the
 * sources under test.
 */
export function sharedPacks(): Packed[] | undefined {
  const folder = process.env[PACKED_ENV];
  if (!folder) return undefined;
  const file = join(folder, MANIFEST);
  if (!existsSync(file)) throw new Error(`${PACKED_ENV} is ${folder}, which holds no ${MANIFEST}: scripts/pack.ts writes it`);
  return JSON.parse(readFileSync(file, "utf8")) as Packed[];
}

/** Whether this `npm test` built every package's dist/ already (scripts/pack.ts did), so tests may run the built commands. */
export const builtThisRun = (): boolean => sharedPacks() !== undefined;

/** The package in `dir` (relative to the repository) packed: this run's shared tarball, or else packed now into `into`. */
export async function packed(dir: string, into: string): Promise<Packed> {
  const shared = sharedPacks()?.find((entry) => entry.dir === dir);
  return shared ?? pack(join(REPO_DIR, dir), into);
}
