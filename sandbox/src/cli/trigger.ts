/**
 * `medblocks-sandbox trigger <event-type>`: asks a running sandbox (its
 * control route `POST /__sandbox/webhooks/trigger`) to make the event
 * happen, then prints each event recorded and how its delivery went. The
 * key is sent to the sandbox only, and never printed; what the server
 * answered is printed with its control characters escaped (it may not be a
 * sandbox at all).
 */
import { printable } from "../../../lib/printable.js";
import { BASE_URL_RULES, checkedBaseUrl } from "../../../lib/urls.js";
import { parseArgs } from "node:util";
import { CliError, UsageError } from "./failures.js";
import type { TriggerResult } from "../control/operations.js";
import { TRIGGER_TYPES } from "../domain/trigger.js";
import { DEFAULT_HOST, DEFAULT_PORT } from "../http/server.js";
import { KEY_PREFIXES, type Schemas } from "../spec.js";

/** Long enough for the sandbox to attempt the deliveries (it waits for them, bounded). */
const TRIGGER_TIMEOUT_MS = 60_000;

function parseTriggerArgs(args: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { "base-url": { type: "string" }, "api-key": { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [type, ...extra] = parsed.positionals;
  if (type === undefined || extra.length > 0) throw new UsageError(`trigger takes one event type: ${TRIGGER_TYPES.join(", ")}`);
  if (!(TRIGGER_TYPES as string[]).includes(type))
    throw new UsageError(`\`${type}\` is not an event type the API sends: ${TRIGGER_TYPES.join(", ")}`);
  const baseUrl = parsed.values["base-url"] ?? process.env.MEDBLOCKS_BASE_URL ?? `http://${DEFAULT_HOST}:${DEFAULT_PORT}`;
  const { baseUrl: checked, problem } = checkedBaseUrl(baseUrl);
  if (problem) throw new UsageError(`--base-url (or MEDBLOCKS_BASE_URL) must be ${BASE_URL_RULES[problem]}`);
  const apiKey = parsed.values["api-key"] ?? process.env.MEDBLOCKS_API_KEY;
  if (!apiKey)
    throw new UsageError("--api-key (or MEDBLOCKS_API_KEY) is required: the sandbox key of the workspace whose endpoints get the event");
  if (!apiKey.startsWith(KEY_PREFIXES.sandbox))
    throw new UsageError("--api-key must be a sandbox key (mb_sk_sbx_…): never send a live key to a sandbox");
  return { type, baseUrl: checked, apiKey };
}

/** How one event's delivery went, in words. */
function delivery(event: Schemas["WebhookEventRecord"]): string {
  const next = event.next_attempt_at === null ? "" : `; next attempt at ${event.next_attempt_at}`;
  if (event.delivered_at !== null) return `delivered (${event.last_status_code})`;
  if (event.attempts === 0) return "not attempted yet";
  if (event.last_status_code !== null) return `failed (${event.last_status_code})${next}`;
  return `no answer (timeout, no connection, or not a loopback address)${next}`;
}

export async function triggerCommand(args: string[]): Promise<number> {
  const { type, baseUrl, apiKey } = parseTriggerArgs(args);
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/__sandbox/webhooks/trigger`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ type }),
      signal: AbortSignal.timeout(TRIGGER_TIMEOUT_MS),
    });
  } catch (error) {
    throw new CliError(
      `cannot reach a sandbox at ${baseUrl} (${(error as Error).message}): start one with \`medblocks-sandbox start\`, or pass --base-url`,
    );
  }
  const body = (await response.json().catch(() => undefined)) as (TriggerResult & { error?: { message: string } }) | undefined;
  if (!response.ok || body === undefined) {
    const message = typeof body?.error?.message === "string" ? printable(body.error.message) : "not a sandbox answer";
    throw new CliError(`the sandbox at ${baseUrl} refused the trigger (${response.status}): ${message}`);
  }
  // The companion events the same happening records (a session's completion with a sync) do not count.
  if (!body.events.some((event) => event.type === type)) {
    for (const event of body.events)
      console.log(printable(`  also recorded: ${event.type} ${event.id} → ${event.webhook_endpoint_id}: ${delivery(event)}`));
    throw new CliError(
      `${type} happened (session ${printable(String(body.patient_session_id))}), but no active endpoint of this workspace subscribes ` +
        `to it: register one (mb.webhooks.create), or start the sandbox with --forward-to URL`,
    );
  }
  console.log(printable(`Triggered ${type} (session ${body.patient_session_id}):`));
  for (const event of body.events) console.log(printable(`  ${event.type} ${event.id} → ${event.webhook_endpoint_id}: ${delivery(event)}`));
  return 0;
}
