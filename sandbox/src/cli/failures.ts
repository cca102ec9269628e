/** How the `medblocks-sandbox` command fails. */

/** A mistake in how the command was called: exits 2 with the message and the usage. */
export class UsageError extends Error {}

/** A failure the user can act on: exits 1 with the message alone. */
export class CliError extends Error {}
