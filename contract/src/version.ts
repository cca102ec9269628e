/** The check's version (its package.json), shown in the summary and the JUnit report. */
import pkg from "../package.json" with { type: "json" };

export const CONTRACT_VERSION: string = pkg.version;
