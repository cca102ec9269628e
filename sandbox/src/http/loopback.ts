/**
 * Which hosts only reach this machine: `localhost`, IPv4 127.0.0.0/8 and
 * IPv6 ::1 (127.0.0.0/8 written IPv4-mapped too). The bind address
 * (`--host`) is judged by it, and so are webhook destinations: unless
 * remote webhooks are allowed, the sandbox posts to loopback only, so a
 * sandbox reachable from other machines cannot be made to forward requests.
 *
 * Names are taken literally, never resolved: a DNS name that answers
 * 127.0.0.1 when checked may answer another address when connected to (DNS
 * rebinding), and `*.localhost` names go through the system resolver in
 * Node, which need not keep them on this machine.
 */
import { isIPv6 } from "node:net";

/** The host as the URL parser writes it (`127.1` → `127.0.0.1`, `0:0::1` → `[::1]`), or undefined. */
function canonicalHost(host: string): string | undefined {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  try {
    return new URL(`http://${isIPv6(bare) ? `[${bare}]` : bare}/`).hostname;
  } catch {
    return undefined;
  }
}

/** Whether `host` (a name, an IPv4 or IPv6 address, bracketed or not) is this machine's loopback. */
export function isLoopback(host: string): boolean {
  const canonical = canonicalHost(host);
  if (canonical === undefined) return false;
  return (
    canonical === "localhost" ||
    /^127\.\d+\.\d+\.\d+$/.test(canonical) ||
    canonical === "[::1]" ||
    /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical)
  );
}

/**
 * Why the sandbox will not post to `url`, or null when it may: an http(s)
 * URL on a loopback host, or any http(s) URL when `allowRemote`.
 */
export function destinationProblem(url: string, allowRemote: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "the endpoint's url is not a URL";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return "the endpoint's url is not http(s)";
  if (allowRemote || isLoopback(parsed.hostname)) return null;
  return (
    `${parsed.hostname} is not a loopback address: the sandbox delivers webhooks to localhost, 127.0.0.0/8 and [::1] only ` +
    "(names that resolve to loopback do not count). Start it with --allow-remote-webhooks (allowRemoteWebhooks: true) to send elsewhere."
  );
}
