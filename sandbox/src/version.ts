/** The sandbox's version (its package.json), sent as `X-Medblocks-Sandbox` on every response. */
import pkg from "../package.json" with { type: "json" };

export const SANDBOX_VERSION: string = pkg.version;
