/**
 * Starts the example app on 127.0.0.1:PORT (default 3000) and prints its
 * address; SIGINT or SIGTERM stops it. `npm run example` runs it under
 * `medblocks-sandbox exec`, which provides MEDBLOCKS_BASE_URL,
 * MEDBLOCKS_API_KEY and MEDBLOCKS_WEBHOOK_SECRET.
 */
import { createServer } from "node:http";
import { Medblocks } from "medblocks-client";
import { createApp } from "./app.js";
import { ConfigError, readConfig } from "./config.js";

let config;
try {
  config = readConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`example app: ${error.message}`);
  process.exit(1);
}
// The key and the base URL come from MEDBLOCKS_API_KEY and MEDBLOCKS_BASE_URL.
const mb = new Medblocks();
const server = createServer(createApp(mb, config));

server.once("error", (error: NodeJS.ErrnoException) => {
  console.error(`example app: ${error.code === "EADDRINUSE" ? `port ${config.port} is in use: set PORT to another` : error.message}`);
  process.exit(1);
});
server.listen(config.port, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  console.log(`Example app listening on http://127.0.0.1:${port} (Medblocks at ${mb.baseUrl}). Ctrl-C stops it.`);
});

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
