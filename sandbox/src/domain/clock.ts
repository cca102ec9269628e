/**
 * Time. A sandbox has one time source (`now`, the system clock unless a test
 * injects one); each workspace reads it through its own offset, which only
 * `clock.advance` moves, and only forward.
 */
import type { Workspace } from "../state/workspace.js";

export type TimeSource = () => number;

/**
 * How far `clock.advance` may move a workspace ahead of the time source, in
 * all: 100 years (of 365 days). Every date the sandbox computes from a
 * workspace's time (expiries, the 24 h retry waits, 7-day cursors) then
 * stays a valid instant with a four-digit year, as the API's timestamps have
 * it; an offset near Date's own limit would make them throw.
 */
export const MAX_CLOCK_OFFSET_MS = 100 * 365 * 86_400_000;

/** The workspace's current time, in ms since the epoch. */
export const workspaceNow = (source: TimeSource, workspace: Workspace): number => source() + workspace.clockOffsetMs;

/** Timestamps as the API writes them: ISO 8601, UTC, milliseconds. */
export const iso = (ms: number): string => new Date(ms).toISOString();
