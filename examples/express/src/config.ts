/**
 * The app's settings, from the environment. The Medblocks client reads its
 * own (`MEDBLOCKS_API_KEY`, `MEDBLOCKS_BASE_URL`); `medblocks-sandbox exec
 * --forward-to` sets those and `MEDBLOCKS_WEBHOOK_SECRET`.
 */
import { randomBytes } from "node:crypto";

export interface Config {
  /** The port the app listens on, on 127.0.0.1. */
  port: number;
  /** The app's own address, as the patient's browser reaches it: the return URL is built on it. */
  appUrl: string;
  /** The `whsec_` secret of the app's webhook endpoint. */
  webhookSecret: string;
  /** Signs the sign-in cookie. */
  cookieSecret: string;
}

export class ConfigError extends Error {}

export function readConfig(env: NodeJS.ProcessEnv): Config {
  const port = env.PORT === undefined || env.PORT === "" ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new ConfigError("PORT must be a port number, 1 to 65535");
  const webhookSecret = env.MEDBLOCKS_WEBHOOK_SECRET;
  if (!webhookSecret) {
    throw new ConfigError(
      "MEDBLOCKS_WEBHOOK_SECRET is not set: run the app with `npm run example` (the sandbox registers its webhook endpoint and sets " +
        "it), or set the whsec_ secret of your endpoint",
    );
  }
  return {
    port,
    appUrl: (env.APP_URL || `http://127.0.0.1:${port}`).replace(/\/+$/, ""),
    webhookSecret,
    // A new secret per start signs everyone out on restart, which suits an example.
    cookieSecret: env.COOKIE_SECRET || randomBytes(32).toString("base64url"),
  };
}
