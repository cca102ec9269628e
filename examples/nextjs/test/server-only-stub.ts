// Stands in for `server-only` in vitest (see vitest.config.ts): the tests run the server code, which is where it belongs.
export {};
