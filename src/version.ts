/** This package's version, sent in `User-Agent`; test/version.test.ts keeps it equal to client/package.json's. */
export const VERSION = "0.1.0";
