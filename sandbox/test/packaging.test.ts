/**
 * medblocks-sandbox as a user gets it: `npm pack` (whose prepack builds
 * dist/), installed into a fresh project, then used by its name — imported
 * and type-checked, `createSandbox()` in process, `medblocks-sandbox exec`
 * and `start` from node_modules/.bin, and the CI guide's shell script and
 * GitHub Actions steps (docs/examples/ci/) in that project. The spec, the
 * API reference and the dashboard travel inside the package: nothing of this
 * repository is reachable from the project.
 *
 * Slow (a build, an install): one pack and one install for the file; in
 * `npm test` the tarball is the run's (scripts/lib/packed.ts). The install
 * takes hono, @hono/node-server and ajv from the npm cache.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packed as packedPackage, type Packed } from "../../scripts/lib/packed.js";
import { run as runProcess } from "./support/process.js";

const SANDBOX_DIR = new URL("..", import.meta.url).pathname;
const CI_GUIDE_DIR = new URL("../../docs/examples/ci/", import.meta.url).pathname;
const require = createRequire(import.meta.url);
const TSC = require.resolve("typescript/bin/tsc");
const NODE_TYPES = join(require.resolve("@types/node/package.json"), "..", "..");
const pkg = JSON.parse(readFileSync(join(SANDBOX_DIR, "package.json"), "utf8")) as { name: string; version: string };

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: string[], cwd: string, timeout = 180_000): Promise<Result> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env, timeout, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
const show = (result: Result) => `exit ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;

/** What a user's test does with the package: in process, typed. */
const USER_TEST = `import { createSandbox, type Sandbox } from "medblocks-sandbox";

// As users write it under exactOptionalPropertyTypes: an option from the environment may be undefined.
const sb: Sandbox = createSandbox({ seed: "packaged", webhookTimeoutMs: process.env.WEBHOOK_TIMEOUT_MS ? \
Number(process.env.WEBHOOK_TIMEOUT_MS) : undefined });
const init = await sb.fetch(\`\${sb.baseUrl}/patient-sessions\`, {
  method: "POST",
  headers: { authorization: \`Bearer \${sb.apiKey}\`, "content-type": "application/json" },
  body: JSON.stringify({ patient_id: "user_1", return_url: "https://app.example.com/back" }),
});
const session = (await init.json()) as { id: string; status: string };
const catalog = (await (await sb.fetch(\`\${sb.baseUrl}/connections?limit=1\`, { headers: { authorization: \`Bearer \${sb.apiKey}\` } \
})).json()) as { data: { id: string }[] };
const landing: string = sb.completeSession(session.id, { outcome: "approve", connectionId: catalog.data[0]!.id });
console.log(JSON.stringify({ status: init.status, session: session.status, landing: new \
URL(landing).searchParams.get("patient_session_id") === session.id }));
`;

/** The project's `npm test` in the CI guide's script: passes only when `exec`'s environment reaches the sandbox. */
const CI_TEST = `const response = await fetch(process.env.MEDBLOCKS_BASE_URL + "/connections?limit=3", { headers: { authorization: "Bearer \
" + process.env.MEDBLOCKS_API_KEY } });
const body = await response.json();
if (response.status !== 200 || body.data.length !== 3) process.exit(1);
console.log("the sandbox answered with " + body.data.length + " connections");
`;

/** What a CI command under `exec` does: the environment points it at the sandbox. */
const EXEC_CHECK = `const headers = { authorization: "Bearer " + process.env.MEDBLOCKS_API_KEY };
const response = await fetch(process.env.MEDBLOCKS_BASE_URL + "/connections?limit=3", { headers });
const body = await response.json();
process.exit(response.status === 200 && body.data.length === 3 ? 7 : 1);
`;

describe("the packed medblocks-sandbox, installed into a fresh project", () => {
  let dir: string;
  let app: string;
  let packed: Packed;
  let install: Result;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "medblocks-sandbox-packaging-"));
    app = join(dir, "app");
    mkdirSync(app);
    packed = await packedPackage("sandbox", dir);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "user-app", version: "1.0.0", private: true, type: "module" }));
    install = await exec("npm", ["install", packed.tarball, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], app);
  }, 240_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    "packs the bin, dist/ (with its types and the API reference), the " +
      "guides, the README with its screenshot, package.json, and no source",
    () => {
      expect(packed.filename).toBe(`${pkg.name}-${pkg.version}.tgz`);
      const paths = [...packed.files].sort();
      expect(
        paths.filter((path) => !/^(bin\/|dist\/|docs\/[\w-]+\.md$|docs\/dashboard\.png$|package\.json$|README\.md$)/.test(path)),
      ).toEqual([]);
      expect(paths).toEqual(
        expect.arrayContaining([
          "bin/medblocks-sandbox.js",
          "dist/index.js",
          "dist/cli.js",
          "dist/types/sandbox/src/index.d.ts",
          "dist/types/generated/api.d.ts",
          "dist/reference/api-reference.html",
          "dist/reference/redoc.standalone.js",
          "docs/dashboard.png",
        ]),
      );
      expect(paths.some((path) => path.endsWith(".ts") && !path.endsWith(".d.ts"))).toBe(false);
    },
  );

  it("installs, and a user's typed test runs it in process", async () => {
    expect(install.code, show(install)).toBe(0);
    writeFileSync(join(app, "user.test.ts"), USER_TEST);
    const tsconfig = {
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        types: ["node"],
        typeRoots: [NODE_TYPES],
        outDir: "out",
        skipLibCheck: false,
      },
      files: ["user.test.ts"],
    };
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify(tsconfig));
    const compiled = await exec(process.execPath, [TSC, "-p", "tsconfig.json"], app);
    expect(compiled.code, show(compiled)).toBe(0);
    const ran = await exec(process.execPath, [join("out", "user.test.js")], app, 60_000);
    expect(ran.code, show(ran)).toBe(0);
    expect(JSON.parse(ran.stdout.trim())).toEqual({ status: 200, session: "open", landing: true });
  }, 120_000);

  it("`medblocks-sandbox exec` runs a command against it and exits with the command's code", async () => {
    expect(install.code, show(install)).toBe(0);
    writeFileSync(join(app, "check.mjs"), EXEC_CHECK);
    const ran = await exec(
      join(app, "node_modules", ".bin", "medblocks-sandbox"),
      ["exec", "--", process.execPath, "check.mjs"],
      app,
      60_000,
    );
    expect(ran.code, show(ran)).toBe(7);
  }, 60_000);

  it("`medblocks-sandbox start` serves until SIGTERM", async () => {
    expect(install.code, show(install)).toBe(0);
    const server = runProcess(["start", "--port", "0"], { command: join(app, "node_modules", ".bin", "medblocks-sandbox"), cwd: app });
    const [, url] = await server.waitFor(/MEDBLOCKS_BASE_URL=(\S+)/);
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get("x-medblocks-sandbox")).toBe(pkg.version);
    // The API reference and the dashboard travel inside the package too.
    const docs = await fetch(`${url}/docs`);
    expect(docs.status).toBe(200);
    const [, script] = /import \{ hydrate \} from "\.\/(docs\/redoc-[0-9.]+\.standalone\.js)";/.exec(await docs.text())!;
    expect((await fetch(`${url}/${script}`)).status).toBe(200);
    const dashboard = await fetch(`${url}/__sandbox/`);
    expect([dashboard.status, dashboard.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"]);
    server.child.kill("SIGTERM");
    expect(await server.exited()).toBe(0);
  }, 60_000);

  // Last: the script's `npm ci` reinstalls the project's node_modules.
  it("runs the CI guide's shell script, whose commands are the GitHub Actions workflow's steps", async () => {
    expect(install.code, show(install)).toBe(0);
    const script = readFileSync(join(CI_GUIDE_DIR, "test.sh"), "utf8");
    const commands = script.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#") && !line.startsWith("set "));
    const workflow = readFileSync(join(CI_GUIDE_DIR, "github-actions.yml"), "utf8");
    expect(workflow, "every step of the workflow is a one-line `run:` or a `uses:`").not.toMatch(/run:\s*[|>]/);
    expect([...workflow.matchAll(/^\s*- run: (.+)$/gm)].map((match) => match[1])).toEqual(commands);

    const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(app, "package.json"), JSON.stringify({ ...manifest, scripts: { test: "node ci-test.mjs" } }));
    writeFileSync(join(app, "ci-test.mjs"), CI_TEST);
    writeFileSync(join(app, "test.sh"), script);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      npm_config_prefer_offline: "true",
      npm_config_audit: "false",
      npm_config_fund: "false",
    };
    delete env.MEDBLOCKS_BASE_URL;
    delete env.MEDBLOCKS_API_KEY;
    const ran = await new Promise<Result>((resolve) => {
      execFile("bash", ["test.sh"], { cwd: app, env, timeout: 120_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
      });
    });
    expect(ran.code, show(ran)).toBe(0);
    expect(ran.stdout).toContain("the sandbox answered with 3 connections");
  }, 150_000);
});
