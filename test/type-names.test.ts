/**
 * Type errors users see name our types (`PatientDetail`, `APIPromise<…>`)
 * instead of spelling out every field: compiled with the TypeScript compiler
 * API against a snippet with deliberate mistakes, the diagnostics are read.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SNIPPET = join(ROOT, "test", "__type_names_snippet.ts");
const SOURCE = `
import { Medblocks } from "../src/index.js";
declare const mb: Medblocks;
export async function mistakes() {
  const patient: string = await mb.patients.retrieve("u");
  const call: number = mb.patientSession.init({ patient_id: "u", return_url: "https://x.example" });
  const page: boolean = await mb.connections.list();
  const endpoint: string = await mb.webhooks.create({ url: "https://x.example", events: ["*"] });
  await mb.patientSession.init({ patient_id: "u", return_url: "https://x.example", connection_id: "fhirsrc_a", recommended_connection_ids: \
["fhirsrc_b"] });
  return [patient, call, page, endpoint];
}
`;

function diagnostics(): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  )!;
  const host = ts.createCompilerHost(config.options);
  const read = host.readFile.bind(host);
  host.readFile = (file) => (file === SNIPPET ? SOURCE : read(file));
  const exists = host.fileExists.bind(host);
  host.fileExists = (file) => file === SNIPPET || exists(file);
  const program = ts.createProgram([SNIPPET], config.options, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(SNIPPET))
    .map((found) => ts.flattenDiagnosticMessageText(found.messageText, "\n"));
}

describe("type errors", () => {
  it("show named types, not every field", { timeout: 60_000 }, () => {
    const messages = diagnostics();
    expect(messages).toHaveLength(5);
    expect(messages[0]).toMatch(/Type 'PatientDetail' is not assignable to type 'string'/);
    expect(messages[1]).toMatch(/Type 'APIPromise<PatientSession>' is not assignable to type 'number'/);
    expect(messages[2]).toMatch(/Type 'FhirSourceList' is not assignable to type 'boolean'/);
    expect(messages[3]).toMatch(/Type 'WebhookEndpointWithSecret' is not assignable to type 'string'/);
    // Both modes at once: the parameter's name and the field, not both modes' every field.
    expect(messages[4]).toMatch(
      new RegExp(
        /not assignable to parameter of type 'PatientSessionInitParams'\.\n\s*/.source +
          /Types of property 'recommended_connection_ids' are incompatible/.source,
      ),
    );
    for (const message of messages) expect(message).not.toMatch(/resource_type: "|patient_email\?/);
  });
});
