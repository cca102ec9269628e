/**
 * `--forward-to URL` (`startServer({ forwardTo })`): an endpoint for every
 * event, registered at start in the workspace of the sandbox's ready key.
 * With a state file the endpoint registered before is used again, secret
 * and all, so a receiver configured once keeps verifying across restarts;
 * if it had been disabled (retries used up) it is switched back on.
 */
import { isWebUrl } from "../../../lib/urls.js";
import { iso, workspaceNow } from "../domain/clock.js";
import { ApiError } from "../errors.js";
import { addEndpoint } from "../api/webhooks.js";
import { destinationProblem } from "../http/loopback.js";
import type { Core } from "../core.js";
import { API_VERSION } from "../spec.js";

export interface Forwarding {
  endpointId: string;
  url: string;
  /** The endpoint's signing secret (`whsec_…`), for the receiver. */
  secret: string;
  /** The endpoint came from the state file. */
  reused: boolean;
}

/** Why the sandbox cannot forward to `url`, or null: it must be a web address, as an endpoint's `url` (`format: uri`). */
export const forwardProblem = (url: string, allowRemote: boolean): string | null =>
  isWebUrl(url) ? destinationProblem(url, allowRemote) : "it must be an absolute http(s) URL";

export function forwardTo(core: Core, apiKey: string, url: string, allowRemote: boolean): Forwarding {
  const problem = forwardProblem(url, allowRemote);
  if (problem) throw new ApiError(400, "invalid_data", `\`forwardTo\` cannot be used: ${problem}`, "forwardTo");
  const workspace = core.store.workspace(apiKey);
  core.store.checkRoom(workspace);
  const now = workspaceNow(core.time, workspace);
  const existing = workspace.webhooks
    .all()
    .find((endpoint) => endpoint.url === url && endpoint.events.length === 1 && endpoint.events[0] === "*");
  if (existing?.status === "disabled") workspace.webhooks.update(existing, { status: "active", updated_at: iso(now) });
  const endpoint =
    existing ?? addEndpoint(workspace, { url, events: ["*"], description: "medblocks-sandbox --forward-to" }, now, API_VERSION);
  core.changed(workspace);
  return { endpointId: endpoint.id, url, secret: endpoint.secret, reused: existing !== undefined };
}
