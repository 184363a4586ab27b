// Which names the headless host answers to and which URLs it prints, from the
// address it is bound to and the machine's interfaces (os.networkInterfaces(),
// read once at start). A wildcard bind (0.0.0.0, ::) is not an address anyone can
// open, so it is printed as loopback plus each external interface address.
import type { NetworkInterfaceInfo } from 'node:os';

export type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** As it appears in a URL or a Host header: IPv6 in brackets, lower case. */
export function urlHost(host: string): string {
  const h = host.toLowerCase();
  return h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
}

/** Host header names (no port) the server accepts. */
export function acceptedHostNames(bindHost: string, interfaces: Interfaces, allowHosts: readonly string[] = []): string[] {
  const names = new Set(LOOPBACK_NAMES);
  if (isWildcard(bindHost)) for (const a of addresses(interfaces)) names.add(urlHost(a.address));
  else names.add(urlHost(bindHost));
  for (const h of allowHosts) names.add(urlHost(h));
  return [...names];
}

/** Hosts to print URLs for, the one that works on this machine first. */
export function reachableHosts(bindHost: string, interfaces: Interfaces): string[] {
  if (!isWildcard(bindHost)) return [urlHost(bindHost)];
  const ipv6 = bindHost !== '0.0.0.0';
  const external = addresses(interfaces).filter(
    (a) => !a.internal && (a.family === 'IPv4' || (ipv6 && !a.address.toLowerCase().startsWith('fe80:'))), // link-local needs a zone id: no usable URL
  );
  return ['127.0.0.1', ...external.map((a) => urlHost(a.address))];
}

function addresses(interfaces: Interfaces): NetworkInterfaceInfo[] {
  return Object.values(interfaces).flatMap((list) => list ?? []);
}
