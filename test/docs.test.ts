/**
 * What the README promises a new user: the first command's demo walks the
 * whole journey, and the test file it offers to copy is the one `npm test`
 * runs (docs/examples/integration.test.ts).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");

describe("the README", () => {
  it("starts with the two commands", () => {
    const [, , , first, second] = read("README.md").split("\n");
    expect(first).toMatch(/^npm ci && npm run demo\b/);
    expect(second).toMatch(/^npm test\b/);
  });

  it("shows the integration test file exactly as npm test runs it", () => {
    expect(read("README.md")).toContain("```ts\n" + read("docs/examples/integration.test.ts") + "```");
  });
});

describe("npm run demo", () => {
  it("walks the journey on the in-process sandbox: the hosted page, the return, webhooks, records, an error", { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], { cwd: new URL("..", import.meta.url), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 50_000);
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve)).finally(() => clearTimeout(timer));
    expect(code, output).toBe(0);
    expect(output).toMatch(/303 to https:\/\/app\.example\.com\/connected\?patient_id=user_42&patient_session_id=ps_/);
    expect(output).toMatch(/outcome: connected/);
    expect(output).toMatch(/patient_session\.completed \(evt_\w+\) verified/);
    expect(output).toMatch(/records\.sync\.completed \(evt_\w+\) verified/);
    expect(output).toMatch(/Observation \d+/);
    expect(output).toMatch(/404 resource_not_found/);
  });
});
