/**
 * Which `Host` headers the server answers: a defence against DNS
 * rebinding. A web page on another origin can point a name of its own at
 * 127.0.0.1 and then, as far as the browser is concerned, talk to its own
 * origin: without this check it could drive the API, the control routes
 * and the hosted page, register a webhook at any local port and read the
 * answer back. The browser always sends the name it resolved as `Host`, so
 * refusing every name but the sandbox's own ends that.
 *
 * Accepted: `127.0.0.1`, `localhost`, `[::1]`, the bind address (`--host`)
 * and the host of `--public-url`, each with any port or none (a port
 * forward or a proxy changes the port, and a rebinding attack is in the
 * name, not the port). Names are compared as the URL parser writes them
 * (lowercase, IPv6 bracketed and shortened).
 */
import { isIPv6 } from "node:net";

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

/** `host[:port]` as a `Host` header holds it: a name or IPv4 address, or a bracketed IPv6 address. */
const HOST_HEADER = /^(\[[0-9A-Fa-f:.]+\]|[^\s:/?#@[\]\\]+)(?::\d{1,5})?$/;

/** The hostname as the URL parser writes it, or undefined when `host` is not one. */
function canonical(host: string): string | undefined {
  const bracketed = isIPv6(host) ? `[${host}]` : host;
  try {
    return new URL(`http://${bracketed}/`).hostname;
  } catch {
    return undefined;
  }
}

/** The hostnames a server bound to `bindHost`, reached at `publicUrl`, answers for. */
export function acceptedHosts(bindHost: string, publicUrl: string | undefined): string[] {
  const names = [...LOOPBACK_NAMES, canonical(bindHost), publicUrl === undefined ? undefined : new URL(publicUrl).hostname];
  return [...new Set(names.filter((name): name is string => name !== undefined))];
}

/** Whether a request's `Host` header (undefined: none sent) names one of `accepted`. */
export function hostAccepted(header: string | undefined, accepted: readonly string[]): boolean {
  const match = header === undefined ? null : HOST_HEADER.exec(header);
  if (!match) return false;
  const name = canonical(match[1]!);
  return name !== undefined && accepted.includes(name);
}

/** The message of the 403 for another `Host`: which are accepted, and how to add one. */
export function hostRefusal(accepted: readonly string[]): string {
  return (
    `The sandbox answers requests addressed to ${accepted.join(", ")} only (the Host header, with any port), ` +
    "so that a web page cannot reach it through a name of its own (DNS rebinding). " +
    "To use it under another name, start it with --public-url http://<that name>:<port> (publicUrl in startServer)."
  );
}
