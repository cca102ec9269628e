/**
 * The package as a user gets it: `npm pack` of client/ (whose `prepack`
 * builds client/dist/),
 * installed into a fresh project, imported by its name, type-checked with
 * strict NodeNext settings and no @types/node, and run against the Prism mock
 * on Node, Bun and Deno (the pinned `bun` and `deno` devDependencies), and,
 * bundled as an edge deploy would bundle it, in Vercel's EdgeVM, which has
 * no `process` and no Node modules: the core uses only fetch, URL and
 * WebCrypto, and this is where that is proven.
 *
 * Slow (a build, an install, Prism): one pack, one install and one tsc for
 * the file. In `npm test` the tarball is the run's (scripts/lib/packed.ts)
 * and Prism the contract project's. The install fetches openapi-fetch from
 * the npm cache or registry.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EdgeVM } from "@edge-runtime/vm";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { closedPort } from "./support/closed-port.js";
import { packed as packedPackage, type Packed } from "../scripts/lib/packed.js";
import { startPrism, type PrismServer } from "../scripts/prism.js";

const REPO_DIR = fileURLToPath(new URL("..", import.meta.url));
const SPEC = fileURLToPath(new URL("../generated/openapi.json", import.meta.url));
const TSC = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const pkg = createRequire(import.meta.url)("../client/package.json") as { name: string; version: string };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; never throws for a non-zero exit (the caller asserts, with the output). */
function run(file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeout ?? 120_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout: stdout.toString(), stderr: `${stderr.toString()}${error && code === 1 && !stderr ? error.message : ""}` });
      },
    );
  });
}

const describeRun = (result: Run) => `exit ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;

/**
 * What a user writes, importing the package by its name: the journey as a
 * function, so every runtime runs the same type-checked code. Without
 * `apiKey` and `baseUrl` the client reads MEDBLOCKS_API_KEY and
 * MEDBLOCKS_BASE_URL; `closedBaseUrl` is where nothing listens.
 */
const JOURNEY = `import { Medblocks, MedblocksSignatureError, parseReturnUrl, buildReturnUrl, isMedblocksError } from "medblocks-client";

export async function journey(options: { apiKey?: string; baseUrl?: string; closedBaseUrl: string }) {
  const mb = new Medblocks(options.apiKey, options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl });

  const session = await mb.patientSession.init({
    patient_id: "user_42",
    return_url: "https://app.example.com/connected",
  });

  const returned: string = buildReturnUrl(session.return_url, {
    mode: "hosted",
    patient_id: session.patient_id,
    patient_session_id: session.id,
  });
  const parsed = parseReturnUrl(returned);
  const verified = await mb.patientSession.verifyReturn(returned, { patientId: "user_42" });

  let error: { code: string; statusCode: number | null; type: string } | null = null;
  try {
    await mb.patients.retrieve("user_42", { headers: { Prefer: "code=404" } });
  } catch (thrown) {
    if (!isMedblocksError(thrown)) throw thrown;
    switch (thrown.code) {
      case "resource_not_found":
        error = { code: thrown.code, statusCode: thrown.statusCode, type: thrown.type };
        break;
      default:
        throw thrown;
    }
  }

  // Nothing listens on this port: the request never left, and the client says so.
  const closed = new Medblocks(options.apiKey, { baseUrl: options.closedBaseUrl, maxNetworkRetries: 0 });
  const refused = await closed.health().then(
    () => "answered",
    (thrown: unknown) => (isMedblocksError(thrown) ? thrown.code : String(thrown)),
  );

  // A webhook delivery, signed and verified with WebCrypto, then tampered with.
  const secret = "whsec_packaging_test";
  const payload = JSON.stringify({
    id: "evt_1",
    object: "event",
    type: "records.sync.completed",
    api_version: "2026-04-25",
    created_at: "2026-04-25T14:30:00.000Z",
    data: { object: { resource_type: "records_sync", patient_id: "user_42" } },
  });
  const signature = await Medblocks.webhooks.generateTestHeaderString({ payload, secret });
  const event = await Medblocks.webhooks.constructEvent(payload, signature, secret);
  const tampered = await Medblocks.webhooks.constructEvent(payload.replace("user_42", "user_43"), signature, secret).then(
    () => "accepted",
    (thrown: unknown) => (thrown instanceof MedblocksSignatureError ? thrown.reason : String(thrown)),
  );

  return {
    sessionId: session.id,
    parsed: parsed === null ? null : { mode: parsed.mode, patient_session_id: parsed.patient_session_id },
    outcome: verified.outcome,
    error,
    refused,
    webhook: { type: event.type, tampered },
  };
}
`;

/** The script Node, Bun and Deno run: the key and base URL come from the environment. */
const main = (closedBaseUrl: string) => `import { journey } from "./journey.js";

console.log(JSON.stringify(await journey({ closedBaseUrl: ${JSON.stringify(closedBaseUrl)} })));
`;

/** The runtimes the journey runs on, each as the command that runs a .js file. */
const RUNTIMES: [name: string, command: string, args: string[]][] = [
  ["Node", process.execPath, []],
  ["Bun", join(REPO_DIR, "node_modules", ".bin", "bun"), []],
  // Only what the journey needs: the mock (and the closed port), its environment, and node_modules;
  // --cached-only: nothing is downloaded (the package and openapi-fetch come from node_modules).
  [
    "Deno",
    join(REPO_DIR, "node_modules", ".bin", "deno"),
    ["run", "--cached-only", "--allow-net=127.0.0.1", "--allow-env", "--allow-read"],
  ],
];

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    lib: ["ES2023", "DOM"],
    types: [],
    noEmit: true,
    // The package's declarations (and openapi-fetch's) are checked too.
    skipLibCheck: false,
  },
  files: ["journey.ts", "main.ts"],
};

// Packing, installing and type-checking spawn npm and tsc: seconds each, more on a loaded machine.
describe("the packed package, installed into a fresh project", { timeout: 120_000 }, () => {
  let dir: string;
  let app: string;
  let packed: Packed;
  let install: Run;
  let compiled: Run | undefined;
  let closedBaseUrl: string;
  let prism: PrismServer | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "medblocks-packaging-"));
    app = join(dir, "app");
    mkdirSync(app);

    packed = await packedPackage("client", dir);

    writeFileSync(
      join(app, "package.json"),
      `${JSON.stringify({ name: "journey", version: "1.0.0", private: true, type: "module" }, null, 2)}\n`,
    );
    install = await run("npm", ["install", packed.tarball, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
      cwd: app,
      timeout: 180_000,
    });
    if (install.code !== 0) return;
    // One tsc for the user's journey: its type-check is the test below, its output what every runtime runs.
    closedBaseUrl = `http://127.0.0.1:${await closedPort()}`;
    writeFileSync(join(app, "journey.ts"), JOURNEY);
    writeFileSync(join(app, "main.ts"), main(closedBaseUrl));
    writeFileSync(join(app, "tsconfig.json"), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
    compiled = await run(process.execPath, [TSC, "-p", "tsconfig.json", "--noEmit", "false", "--outDir", "out"], { cwd: app });
  }, 240_000);

  afterAll(async () => {
    await prism?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("packs only dist/, the guides, package.json and the README", () => {
    expect(packed.filename).toBe(`${pkg.name}-${pkg.version}.tgz`);
    const paths = [...packed.files].sort();
    const stray = paths.filter(
      (path) =>
        !(
          path.startsWith("dist/") ||
          /^docs\/[\w-]+\.md$/.test(path) ||
          path === "package.json" ||
          /^(README|LICENSE)(\.md)?$/i.test(path)
        ),
    );
    expect(stray, `files outside dist/ and docs/ in the tarball:\n${stray.join("\n")}`).toEqual([]);
    expect(paths).toContain("dist/index.js");
    expect(paths).toContain("dist/types/src/index.d.ts");
    expect(paths).toContain("dist/types/generated/api.d.ts");
    expect(paths).toContain("README.md");
    expect(
      paths.some((path) => path.endsWith(".ts") && !path.endsWith(".d.ts")),
      "TypeScript sources were packed",
    ).toBe(false);
  });

  it("installs, and its exports map resolves by the package name", async () => {
    expect(install.code, `npm install of the tarball failed: ${describeRun(install)}`).toBe(0);
    const resolve = await run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const m = await import("medblocks-client"); console.log(JSON.stringify({ url: import.meta.resolve("medblocks-client"), ` +
          `exports: Object.keys(m).sort() }));`,
      ],
      { cwd: app },
    );
    expect(resolve.code, describeRun(resolve)).toBe(0);
    const { url, exports } = JSON.parse(resolve.stdout.trim()) as { url: string; exports: string[] };
    expect(url.endsWith("/node_modules/medblocks-client/dist/index.js"), url).toBe(true);
    expect(exports).toEqual(
      expect.arrayContaining(["Medblocks", "parseReturnUrl", "buildReturnUrl", "isMedblocksError", "MedblocksError", "default"]),
    );
  });

  it("type-checks a user's journey with strict NodeNext and no @types/node", () => {
    expect(install.code, "install failed: see the test above").toBe(0);
    expect(compiled?.code, `tsc found errors: ${compiled && describeRun(compiled)}`).toBe(0);
  });

  describe("runs the journey against the Prism mock", () => {
    let prismUrl: string;

    beforeAll(async () => {
      // The contract project's Prism when it runs too (contract-tests/support/prism.global.ts), else one of this file's.
      prismUrl = inject("prismUrl") ?? (prism = await startPrism({ spec: SPEC })).url;
    }, 60_000);

    it.each(RUNTIMES)(
      "on %s",
      async (name, command, args) => {
        expect(install.code, "install failed: see the test above").toBe(0);
        expect(compiled?.code, `tsc could not compile the journey: ${compiled && describeRun(compiled)}`).toBe(0);
        const env: NodeJS.ProcessEnv = {
          ...process.env,
          MEDBLOCKS_BASE_URL: prismUrl,
          MEDBLOCKS_API_KEY: "mb_sk_sbx_packaging_test",
          DENO_NO_UPDATE_CHECK: "1",
          DENO_NO_PROMPT: "1",
          DENO_DIR: join(dir, "deno-cache"),
        };
        delete env.NODE_OPTIONS;
        delete env.MEDBLOCKS_LOG;
        const ran = await run(command, [...args, join("out", "main.js")], { cwd: app, env, timeout: 60_000 });
        expect(
          ran.code,
          `the journey failed on ${name}: ${describeRun(ran)}\n--- Prism ` +
            `---\n${prism?.output().slice(-4000) ?? "(the contract project's: its output is not kept here)"}`,
        ).toBe(0);
        const lines = ran.stdout.trim().split("\n");
        const result = JSON.parse(lines[lines.length - 1]!) as {
          sessionId: string;
          parsed: { mode: string; patient_session_id: string } | null;
          outcome: string;
          error: { code: string; statusCode: number | null; type: string } | null;
          refused: string;
          webhook: { type: string; tampered: string };
        };
        expect(result.sessionId).toMatch(/^ps_/);
        expect(result.parsed).toEqual({ mode: "hosted", patient_session_id: result.sessionId });
        expect(result.outcome).toBe("connected");
        expect(result.error).toMatchObject({ code: "resource_not_found", statusCode: 404 });
        expect(result.refused).toBe("connect_failed");
        expect(result.webhook).toEqual({ type: "records.sync.completed", tampered: "no_matching_signature" });
      },
      60_000,
    );

    it("on an edge runtime (EdgeVM: no process, no Node modules), bundled as a deploy would be", async () => {
      expect(install.code, "install failed: see the test above").toBe(0);
      expect(compiled?.code, `tsc could not compile the journey: ${compiled && describeRun(compiled)}`).toBe(0);
      // What an edge deploy does: the compiled journey, the installed package and openapi-fetch, bundled into one script.
      const bundled = await build({
        stdin: { contents: `export { journey } from "./out/journey.js";`, resolveDir: app, sourcefile: "edge-entry.js" },
        bundle: true,
        format: "iife",
        globalName: "edge",
        platform: "neutral",
        mainFields: ["module", "main"],
        write: false,
        logLevel: "error",
      });
      const vm = new EdgeVM();
      vm.evaluate(bundled.outputFiles[0]!.text);
      // Nothing comes from the environment on the edge: the key and base URL are passed in.
      const options = { apiKey: "mb_sk_sbx_packaging_test", baseUrl: prismUrl, closedBaseUrl };
      const result = await vm.evaluate<Promise<{ outcome: string; error: { code: string } | null; refused: string; webhook: unknown }>>(
        `edge.journey(${JSON.stringify(options)})`,
      );
      const output = JSON.stringify({
        process: vm.evaluate<string>("typeof process"),
        outcome: result.outcome,
        error: result.error?.code,
        refused: result.refused,
        webhook: result.webhook,
      });
      expect(JSON.parse(output)).toEqual({
        process: "undefined",
        outcome: "connected",
        error: "resource_not_found",
        refused: "connect_failed",
        webhook: { type: "records.sync.completed", tampered: "no_matching_signature" },
      });
    }, 60_000);
  });
});
