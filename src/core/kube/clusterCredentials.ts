import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import * as tls from 'node:tls';
import type { Cluster, KubeConfig, User } from '@kubernetes/client-node';
import { proxyFor } from '../common/proxySettings';
import { nextTurn } from '../common/turns';
import { clientNode, clientNodeLoaded } from './clientNode';
import { ClusterAccess } from './kubeconfig';
import { AuthConfigError, oidcIdToken } from './oidcToken';

export { AuthConfigError } from './oidcToken';

/** What every request of one cluster session carries: its headers and its connection pool. */
export interface ClusterSession {
  readonly headers: Readonly<Record<string, string>>;
  readonly agent: http.Agent;
}

const pluginTimeoutMs = 60_000;
const renewMarginMs = 10_000;
/** As client-go: a token file (a rotated service-account token) is read again at most every minute. */
const tokenFileRereadMs = 60_000;

/** Credential plugins of one kubeconfig user run one at a time (several contexts may share a user; a plugin may open a browser login). */
const pluginQueues = new Map<string, Promise<unknown>>();

function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const next = (pluginQueues.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
  pluginQueues.set(key, next);
  const forget = () => {
    if (pluginQueues.get(key) === next) pluginQueues.delete(key);
  };
  next.then(forget, forget);
  return next;
}

/**
 * The credentials and TLS settings of one cluster: tokens, client certificates, basic auth,
 * `tls-server-name` as the kubeconfig states them, and through @kubernetes/client-node's
 * `applyToHTTPSOptions` exec plugins (token or client certificate), `proxy-url` (HTTP or SOCKS)
 * and gcp/azure providers. Applied once
 * per session, not per request (in 1.x a plugin without an expiry would run on every call); a
 * session is renewed after a 401, when the plugin's credential expires, and every minute for a
 * token file.
 */
export class ClusterCredentials {
  private current: { session: Promise<ClusterSession>; renewAt: number | undefined } | undefined;
  private readonly agents = new Set<http.Agent>();
  private lastTls: { cert?: unknown; key?: unknown; agent: http.Agent } | undefined;

  /** The kubeconfig's proxy-url, else HTTPS_PROXY/HTTP_PROXY unless NO_PROXY names the server, as kubectl (Go's ProxyFromEnvironment). */
  private readonly proxyUrl: string | undefined;

  constructor(
    private readonly access: ClusterAccess,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.proxyUrl = access.proxyUrl ?? proxyFor(new URL(access.server), { env });
  }

  session(): Promise<ClusterSession> {
    if (this.current && (this.current.renewAt === undefined || Date.now() < this.current.renewAt)) return this.current.session;
    const entry: { session: Promise<ClusterSession>; renewAt: number | undefined } = { session: Promise.resolve(undefined as never), renewAt: undefined };
    entry.session = this.open((renewAt) => (entry.renewAt = renewAt));
    // A failed attempt is not kept: the next request tries again (a plugin may succeed then).
    entry.session.catch(() => this.current === entry && (this.current = undefined));
    this.current = entry;
    return entry.session;
  }

  /** After a 401 with this session: the next request applies the credentials again (the plugin runs again). */
  invalidate(session: ClusterSession): void {
    void this.current?.session.then((s) => s === session && this.current && (this.current.renewAt = 0), () => undefined);
  }

  dispose(): void {
    for (const agent of this.agents) agent.destroy();
    this.agents.clear();
  }

  private async open(setRenewAt: (at: number | undefined) => void): Promise<ClusterSession> {
    const access = this.access;
    const { options, pluginRenewAt } = needsLibrary(access, this.proxyUrl) ? await this.applyWithLibrary() : { options: statedOptions(access), pluginRenewAt: undefined };
    setRenewAt(access.tokenFile ? Date.now() + tokenFileRereadMs : pluginRenewAt);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers)) headers[name] = String(value);
    if (options.auth && !headers.Authorization) headers.Authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
    return { headers, agent: this.agentFor(options) };
  }

  /** Credential plugins, auth providers and proxies, through the library. */
  private async applyWithLibrary(): Promise<{ options: SessionOptions; pluginRenewAt: number | undefined }> {
    const access = this.access;
    // Loading the library (tens of ms) and applying the kubeconfig take two turns of the
    // extension host, not one; once it is loaded, a session opens in one.
    if (!clientNodeLoaded()) {
      clientNode();
      await nextTurn();
    }
    const config = kubeConfigOf(access, this.proxyUrl);
    const options: SessionOptions = { headers: {} };
    const apply = async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AuthConfigError(`the exec credential plugin "${access.exec?.command}" did not finish within ${pluginTimeoutMs / 1000} s`)), pluginTimeoutMs);
      });
      try {
        await Promise.race([config.applyToHTTPSOptions(options), timeout]);
      } catch (error) {
        throw error instanceof AuthConfigError ? error : pluginError(access, error as NodeJS.ErrnoException);
      } finally {
        clearTimeout(timer);
      }
    };
    await (access.exec ? oneAtATime(`${access.kubeconfigFile}\0${access.userName}`, apply) : apply());
    if (access.exec && !options.headers.Authorization && !options.cert) {
      throw new AuthConfigError(`the exec credential plugin "${access.exec.command}" returned neither a token nor a client certificate`);
    }
    return { options, pluginRenewAt: access.exec ? pluginExpiry(config, access) : undefined };
  }

  /**
   * A new pool only when the client certificate changed: renewing a token must not cut open
   * watches. The library makes a pool at every apply; the ones not kept are destroyed.
   */
  private agentFor(options: https.RequestOptions): http.Agent {
    const made = options.agent as http.Agent | undefined;
    const agent = this.lastTls && sameBytes(this.lastTls.cert, options.cert) && sameBytes(this.lastTls.key, options.key) ? this.lastTls.agent : this.newAgent(options);
    if (made && made !== agent) made.destroy();
    this.agents.add(agent);
    this.lastTls = { cert: options.cert, key: options.key, agent };
    return agent;
  }

  private newAgent(options: https.RequestOptions): http.Agent {
    if (this.proxyUrl) {
      // The library's proxy agent (HTTP CONNECT or SOCKS), with connections kept alive as ours are.
      const pool = options.agent as http.Agent & { keepAlive: boolean; options: http.AgentOptions; protocol: string };
      pool.keepAlive = true;
      pool.options.keepAlive = true;
      // The SOCKS agent guesses its protocol from the caller's stack (https.request or not); our
      // requests are ClientRequests (see KubeClient), so it is told.
      pool.protocol = new URL(this.access.server).protocol;
      return pool;
    }
    if (!this.access.server.startsWith('https:')) return new http.Agent({ keepAlive: true });
    return new https.Agent({
      keepAlive: true,
      // One TLS context for every connection of the pool. Given the CA, certificate and key
      // instead, Node builds a context per connection (parsing the CA each time: 2-5 ms), and a
      // sync opens its connections together: 40-50 ms stalls at every re-sync.
      secureContext: this.secureContext(options),
      // Also given as such so that VS Code's patch of tls.connect leaves the connection alone:
      // without a CA it adds the system's certificates to the context at every connection
      // (40-60 ms each), trusting them for this cluster too.
      ca: options.ca,
      servername: options.servername,
      rejectUnauthorized: options.rejectUnauthorized !== false,
    });
  }

  private secureContext(options: https.RequestOptions): tls.SecureContext {
    try {
      return tls.createSecureContext({ ca: options.ca, cert: options.cert, key: options.key });
    } catch (error) {
      throw new AuthConfigError(
        `The certificate authority, client certificate or key of context "${this.access.context}" cannot be used: ${error instanceof Error ? error.message : String(error)}.`,
      );
    }
  }
}

function sameBytes(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return Buffer.from(a as string).equals(Buffer.from(b as string));
}

/**
 * The one-context KubeConfig of this access. Our own reader resolved the kubeconfig (per-context
 * errors, paths relative to their file, user:password in URLs), so the library gets data, not paths.
 */
function kubeConfigOf(access: ClusterAccess, proxyUrl: string | undefined): KubeConfig {
  const { KubeConfig } = clientNode();
  const cluster: Cluster = {
    name: access.clusterName,
    server: access.server,
    caData: access.ca?.toString('base64'),
    // The library refuses plain http unless TLS verification is off; there is no TLS to verify there.
    skipTLSVerify: access.insecureSkipTlsVerify || access.server.startsWith('http:'),
    tlsServerName: access.tlsServerName,
    proxyUrl,
  };
  const user: User = {
    name: access.userName || 'user',
    token: staticToken(access),
    certData: access.clientCert?.toString('base64'),
    keyData: access.clientKey?.toString('base64'),
    username: access.basicAuth?.username,
    password: access.basicAuth?.password,
    exec: access.exec ? execOf(access) : undefined,
    authProvider: access.authProvider && access.authProvider.name !== 'oidc' ? access.authProvider : undefined,
  };
  const config = new KubeConfig();
  config.loadFromOptions({ clusters: [cluster], users: [user], contexts: [{ name: access.context, cluster: cluster.name, user: user.name }], currentContext: access.context });
  return config;
}

export type SessionOptions = https.RequestOptions & { headers: Record<string, string>; auth?: string };

/** Only plugins, non-OIDC auth providers and proxies need @kubernetes/client-node (and its load: 200 KB of code, 50-200 ms of the extension host at startup). */
function needsLibrary(access: ClusterAccess, proxyUrl: string | undefined): boolean {
  return access.exec !== undefined || (access.authProvider !== undefined && access.authProvider.name !== 'oidc') || proxyUrl !== undefined;
}

/** What the kubeconfig states outright (token, token file, OIDC id-token, client certificate, basic auth, CA, tls-server-name), as the library's applyToHTTPSOptions sets it. */
export function statedOptions(access: ClusterAccess): SessionOptions {
  const options: SessionOptions = { headers: {} };
  if (access.insecureSkipTlsVerify) options.rejectUnauthorized = false;
  if (access.tlsServerName) options.servername = access.tlsServerName;
  if (access.ca) options.ca = access.ca;
  if (access.clientCert) options.cert = access.clientCert;
  if (access.clientKey) options.key = access.clientKey;
  const token = staticToken(access);
  if (token) options.headers.Authorization = `Bearer ${token}`;
  if (access.basicAuth?.username) options.auth = `${access.basicAuth.username}:${access.basicAuth.password}`;
  return options;
}

function staticToken(access: ClusterAccess): string | undefined {
  if (access.token) return access.token;
  if (access.tokenFile) {
    try {
      return fs.readFileSync(access.tokenFile, 'utf8').trim();
    } catch (error) {
      throw new AuthConfigError(`cannot read the token file ${access.tokenFile} (${(error as NodeJS.ErrnoException).code ?? error})`);
    }
  }
  return access.authProvider?.name === 'oidc' ? oidcIdToken(access) : undefined;
}

function execOf(access: ClusterAccess): Record<string, unknown> {
  const exec = access.exec!;
  // As kubectl: a command given as a relative path is relative to the kubeconfig that names it.
  const command = exec.command.includes('/') && !path.isAbsolute(exec.command) ? path.resolve(exec.baseDir, exec.command) : exec.command;
  const info = { apiVersion: exec.apiVersion, kind: 'ExecCredential', spec: { interactive: false, cluster: { server: access.server } } };
  return { ...exec, command, env: [...exec.env, { name: 'KUBERNETES_EXEC_INFO', value: JSON.stringify(info) }] };
}

/**
 * When the plugin's credential expires (less a margin), read from the library's cache of it. A
 * missing or malformed expiry means "no expiry": the session is renewed only after a 401.
 */
function pluginExpiry(config: KubeConfig, access: ClusterAccess): number | undefined {
  const authenticators = (config as unknown as { authenticators?: { tokenCache?: Record<string, { status?: { expirationTimestamp?: string } } | null> }[] }).authenticators ?? [];
  const cache = authenticators.find((a) => a.tokenCache)?.tokenCache;
  const expiry = Date.parse(cache?.[access.userName || 'user']?.status?.expirationTimestamp ?? '');
  return Number.isFinite(expiry) ? expiry - renewMarginMs : undefined;
}

function pluginError(access: ClusterAccess, error: NodeJS.ErrnoException): AuthConfigError {
  const message = String(error?.message ?? error).trim();
  if (!access.exec) return new AuthConfigError(`the credentials of user "${access.userName}" could not be applied: ${message.split('\n')[0]}`);
  const why =
    error?.code === 'ENOENT'
      ? 'was not found on PATH'
      : error instanceof SyntaxError
        ? 'printed something that is not an ExecCredential'
        : `failed: ${message.split('\n')[0] || 'it exited with an error'}`;
  return new AuthConfigError(`the exec credential plugin "${access.exec.command}" ${why}`);
}
