import { BlockList, isIP } from 'node:net';

/** Where HTTP(S) requests to services (Prometheus, Grafana) go through, as users set it. */
export interface ProxySettings {
  /** An explicit proxy (VS Code's `http.proxy`); it wins over the environment, as in VS Code. */
  readonly url?: string;
  /** Hosts reached directly (VS Code's `http.noProxy`), added to NO_PROXY. */
  readonly noProxy?: readonly string[];
  /** HTTPS_PROXY, HTTP_PROXY, NO_PROXY (either case). */
  readonly env?: NodeJS.ProcessEnv;
}

const envValue = (env: NodeJS.ProcessEnv | undefined, name: string) => env?.[name] || env?.[name.toLowerCase()] || undefined;

/**
 * The proxy for a request to `target`, or undefined for a direct connection: the explicit one,
 * else HTTPS_PROXY (https targets) or HTTP_PROXY (http targets); none when NO_PROXY matches, with
 * curl's rules: `*`, a host name or a domain suffix (with or without a leading dot), an optional
 * `:port`, an IP address or a CIDR range.
 */
export function proxyFor(target: URL, settings: ProxySettings | undefined): string | undefined {
  if (!settings) return undefined;
  const proxy = settings.url || envValue(settings.env, target.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY');
  if (!proxy) return undefined;
  const exceptions = [...(settings.noProxy ?? []), ...(envValue(settings.env, 'NO_PROXY') ?? '').split(/[\s,]+/)].map((e) => e.trim().toLowerCase()).filter(Boolean);
  return exceptions.some((entry) => bypasses(entry, target)) ? undefined : proxy;
}

function bypasses(entry: string, target: URL): boolean {
  if (entry === '*') return true;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  // host, host:port, [v6], [v6]:port; a bare IPv6 address has colons but no port.
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  const [pattern, entryPort] = bracketed ? [bracketed[1], bracketed[2]] : withPort ? [withPort[1], withPort[2]] : [entry, undefined];
  if (entryPort && entryPort !== port) return false;
  if (pattern.includes('/')) {
    const [network, bits] = pattern.split('/');
    const family = isIP(network);
    if (!family || isIP(host) !== family) return false;
    const range = new BlockList();
    range.addSubnet(network, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
    return range.check(host, family === 6 ? 'ipv6' : 'ipv4');
  }
  const domain = pattern.replace(/^\*?\./, '');
  return host === domain || host.endsWith(`.${domain}`);
}
