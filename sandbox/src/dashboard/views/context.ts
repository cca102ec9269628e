/**
 * What every workspace page is rendered from, and what it returns.
 */
import type { Html } from "../../page/document.js";
import type { Core } from "../../core.js";
import type { Workspace } from "../../state/workspace.js";
import type { Section } from "../layout.js";
import type { KnownWorkspace } from "../workspaces.js";

export interface PageContext {
  core: Core;
  known: KnownWorkspace;
  /** The workspace (an empty one, not stored, when its key was never used). */
  workspace: Workspace;
  /** The workspace's time (ms). */
  now: number;
  /** `/__sandbox/workspaces/<fingerprint>` */
  base: string;
  /** The token a form posting to `action` must carry. */
  token(action: string): string;
}

/** A page: its title (the h1), content, place in the navigation, and status. */
export interface DashboardView {
  title: string;
  content: Html;
  current?: Section | undefined;
  status?: number;
}

/** The newest `limit` of `records` (which are oldest first). */
export const newest = <T>(records: T[], limit: number): T[] => records.slice(-limit).reverse();

/** How many records a list page shows at most. */
export const PAGE_LIMIT = 200;
