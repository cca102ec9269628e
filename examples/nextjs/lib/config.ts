/**
 * The app's own address and name. The Medblocks client reads its own
 * settings (`MEDBLOCKS_API_KEY`, `MEDBLOCKS_BASE_URL`); `medblocks-sandbox
 * exec --forward-to` sets those and `MEDBLOCKS_WEBHOOK_SECRET`.
 */
import "server-only";

/** The app's name: the hosted page's return button and every page's title carry it. */
export const APP_NAME = "Example Health App";

/**
 * The app's address as the patient's browser reaches it: the return URL is
 * built on it, and state-changing requests must come from its origin.
 * `APP_URL`, else `http://127.0.0.1:$PORT` (`next start` and `next dev`
 * listen on PORT, default 3000).
 */
export function appUrl(): string {
  return (process.env.APP_URL || `http://127.0.0.1:${process.env.PORT || 3000}`).replace(/\/+$/, "");
}

/** The `whsec_` secret of the app's webhook endpoint, read when a delivery arrives (never at build time). */
export function webhookSecret(): string {
  const secret = process.env.MEDBLOCKS_WEBHOOK_SECRET;
  if (!secret) {
    throw new Error(
      "MEDBLOCKS_WEBHOOK_SECRET is not set: run the app with `npm run example:next` (the sandbox registers its webhook endpoint and " +
        "sets it), or set the whsec_ secret of your endpoint",
    );
  }
  return secret;
}
