// The import boundaries (`npm run check:boundaries`, part of `npm test`): every arrow points one way,
// spec → generated/ → lib/ → src/, sandbox/src/, contract/src/ → scripts/ → tests, so that a package
// ships only what it imports and a change to one layer cannot reach back into the layers below it.
// CONTRIBUTING.md ("Formatting, lint and import boundaries") says why each rule is there.
const { builtinModules } = require("node:module");

/** An npm package's files (from a symlinked node_modules too): outside the code the rules are about. */
const npmPackage = "(^|/)node_modules/";
/** A Node.js built-in, as dependency-cruiser names it (`crypto` for `node:crypto`, `fs/promises`). */
const builtin = `^(node:.+|${builtinModules.map((name) => name.replace(/[/.]/g, "\\$&")).join("|")})$`;
/** The test folders: only tests import them. */
const tests = "^(test|e2e|contract-tests|sandbox/test|contract/test|examples/[^/]+/test|docs/examples)/";

/** A rule that `from` may import only `allowed` files of ours (besides npm packages and built-ins). */
const onlyImports = (name, from, allowed, comment) => ({
  name,
  comment,
  severity: "error",
  from: { path: from },
  to: { pathNot: [...allowed, npmPackage], dependencyTypesNot: ["core"] },
});

module.exports = {
  forbidden: [
    onlyImports(
      "generated-imports-nothing-of-ours",
      "^generated/",
      ["^generated/"],
      "generated/ is what `npm run generate` writes from spec/ alone.",
    ),
    onlyImports(
      "lib-imports-lib-and-generated",
      "^lib/",
      ["^lib/", "^generated/"],
      "lib/ is shared by the packages and scripts, so it may not depend on any of them.",
    ),
    onlyImports(
      "client-imports-src-generated-lib",
      "^src/",
      ["^src/", "^generated/", "^lib/"],
      "The client (src/) is published alone: it carries generated/ and lib/ files, nothing of the sandbox, the contract check or the " +
        "scripts.",
    ),
    {
      name: "client-is-web-standard",
      comment:
        "The client runs in browsers, Deno, Bun and edge runtimes: nothing it imports, directly or through lib/, may be a Node.js " +
        "built-in or lib/spec/ (Ajv and the spec, for the sandbox and the contract check).",
      severity: "error",
      from: { path: "^src/" },
      to: { path: [builtin, "^lib/spec/"], reachable: true },
    },
    onlyImports(
      "sandbox-imports-itself-generated-lib",
      "^sandbox/src/",
      ["^sandbox/src/", "^sandbox/package\\.json$", "^generated/", "^lib/"],
      "medblocks-sandbox is published alone: not the client's src/, not the contract check, not scripts/ or tests.",
    ),
    {
      name: "sandbox-model-imports-no-surface",
      comment:
        "Inside the sandbox, what the API does (api/, domain/, fhir/, state/, validation/) is reached by its surfaces — http/, page/, " +
        "dashboard/, cli/ and the entry files — and never reaches back into them.",
      severity: "error",
      from: { path: "^sandbox/src/(api|domain|fhir|state|validation)/" },
      to: { path: "^sandbox/src/((http|page|dashboard|cli)/|(core|sandbox|cli|index)\\.ts$)" },
    },
    onlyImports(
      "contract-imports-itself-generated-lib",
      "^contract/src/",
      ["^contract/src/", "^contract/package\\.json$", "^generated/", "^lib/"],
      "medblocks-contract is published alone: not the client's src/, not the sandbox, not scripts/ or tests.",
    ),
    {
      name: "scripts-import-no-tests",
      comment: "The scripts (the build, generate, bench, npm test's checks) are what tests run, never the other way round.",
      severity: "error",
      from: { path: "^(scripts|sandbox/scripts|contract/scripts)/" },
      to: { path: tests },
    },
    {
      name: "no-unresolvable-import",
      comment: "An import the check cannot resolve is one it cannot judge.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports count too: a type is as much a dependency of the published declarations as a value.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: npmPackage },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
