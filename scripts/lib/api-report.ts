/**
 * The API report of medblocks-client: API Extractor's summary of every type
 * and value the package exports (read from the declarations `npm run build`
 * writes), committed as api/medblocks-client.api.md. A change to what users
 * import — by a spec edit or by hand — shows in review as a diff of it.
 *
 * `check` compares a fresh report with the committed one and fails when they
 * differ (API Extractor's CI mode); `update` writes the fresh report over it
 * (its `--local` mode). Declarations the compiler cannot read fail both.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Extractor, ExtractorConfig, ExtractorLogLevel, type ExtractorMessage } from "@microsoft/api-extractor";

export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The command that brings the committed report up to date. */
export const UPDATE_COMMAND = "npm run api:update";
export const REPORT_FILE = "medblocks-client.api.md";
export const DEFAULT_ENTRY = join(REPO_DIR, "client", "dist", "types", "src", "index.d.ts");
export const DEFAULT_REPORT_FOLDER = join(REPO_DIR, "api");

export interface ApiReportOptions {
  /** The declarations' entry point; default client/dist/types/src/index.d.ts. */
  entry?: string | undefined;
  /** Where the committed report is; default api/. */
  reportFolder?: string | undefined;
  /** Write the fresh report over the committed one instead of comparing. */
  update?: boolean | undefined;
}

export interface ApiReportResult {
  /** The committed report matches the declarations (after an update, always). */
  ok: boolean;
  /** What to tell the developer: the failure and the command that fixes it, or that the report is current. */
  message: string;
  /** The differences, as a unified diff, when the report changed. */
  diff: string;
}

/** Compares (or, with `update`, rewrites) the committed API report with the one the declarations give. */
export function apiReport(options: ApiReportOptions = {}): ApiReportResult {
  const entry = options.entry ?? DEFAULT_ENTRY;
  const reportFolder = options.reportFolder ?? DEFAULT_REPORT_FOLDER;
  const temp = mkdtempSync(join(tmpdir(), "medblocks-api-report-"));
  try {
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: REPO_DIR,
        mainEntryPointFilePath: entry,
        compiler: {
          // The declarations' own world: ES2023 and the DOM's fetch types, no Node types (as tsconfig.build.json).
          overrideTsconfig: {
            compilerOptions: {
              target: "ES2022",
              lib: ["ES2023", "DOM"],
              module: "NodeNext",
              moduleResolution: "NodeNext",
              strict: true,
              types: [],
              skipLibCheck: true,
            },
            files: [relative(REPO_DIR, entry)],
          },
        },
        // With the types the exports use but do not export (the spec's `components`, say): a spec edit shows in the report.
        apiReport: { enabled: true, reportFileName: REPORT_FILE, reportFolder, reportTempFolder: temp, includeForgottenExports: true },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        newlineKind: "lf",
        messages: {
          compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Error } },
          // The report is the surface alone. API Extractor's notes about it (no release tags here, where every
          // export is public; a type used but not exported, which `includeForgottenExports` writes out anyway;
          // a missing doc comment) would add file paths and line numbers that move with unrelated edits.
          extractorMessageReporting: { default: { logLevel: ExtractorLogLevel.None, addToApiReportFile: false } },
          tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None, addToApiReportFile: false } },
        },
      },
      configObjectFullPath: undefined,
      packageJsonFullPath: join(REPO_DIR, "client", "package.json"),
    });
    const errors: string[] = [];
    let diff = "";
    const result = Extractor.invoke(config, {
      localBuild: options.update ?? false,
      printApiReportDiff: true,
      messageCallback: (message: ExtractorMessage) => {
        message.handled = true;
        if (message.messageId === "console-api-report-diff") diff = message.text.replace(/^Changes to the API report:\n\n/, "");
        else if (message.logLevel === "error") errors.push(message.formatMessageWithLocation(REPO_DIR));
      },
    });
    const report = relative(process.cwd(), join(reportFolder, REPORT_FILE));
    if (errors.length > 0) return { ok: false, message: `API Extractor could not read the declarations:\n${errors.join("\n")}`, diff };
    if (options.update)
      return {
        ok: result.errorCount === 0,
        message: result.apiReportChanged ? `${report} updated: commit it with the change` : `${report} is up to date`,
        diff,
      };
    if (!result.apiReportChanged) return { ok: true, message: `${report} is up to date`, diff };
    return {
      ok: false,
      message:
        `The public API of medblocks-client differs from ${report}. ` +
        `If the change is intended, run \`${UPDATE_COMMAND}\` and commit ${report} with it: reviewers read what changes for users in ` +
        `its diff ` +
        "(CONTRIBUTING.md: which changes are breaking).",
      diff,
    };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
