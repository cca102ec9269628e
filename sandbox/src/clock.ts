/**
 * Time. A sandbox has one time source (`now`, the system clock unless a test
 * injects one); each workspace reads it through its own offset, which only
 * `clock.advance` moves, and only forward.
 */
import type { Workspace } from "./state/workspace.js";

export type TimeSource = () => number;

/** The workspace's current time, in ms since the epoch. */
export const workspaceNow = (source: TimeSource, workspace: Workspace): number => source() + workspace.clockOffsetMs;

/** Timestamps as the API writes them: ISO 8601, UTC, milliseconds. */
export const iso = (ms: number): string => new Date(ms).toISOString();
