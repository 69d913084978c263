import * as fs from 'node:fs';
import * as path from 'node:path';
import { redactUrl } from '../common/redactUrl';
import { parse } from 'yaml';
import { InClusterLookup, inClusterAccess, inClusterAvailable, inClusterContext } from './inCluster';

/** How to reach and authenticate to one cluster, resolved from a kubeconfig context. */
export interface ClusterAccess {
  readonly context: string;
  readonly kubeconfigFile: string;
  readonly clusterName: string;
  readonly userName: string;
  readonly namespace: string | undefined;
  readonly server: string;
  readonly ca: Buffer | undefined;
  readonly insecureSkipTlsVerify: boolean;
  readonly tlsServerName: string | undefined;
  /** kubeconfig `proxy-url`: an HTTP(S) proxy (CONNECT) or a SOCKS proxy in front of the API server. */
  readonly proxyUrl?: string;
  readonly clientCert: Buffer | undefined;
  readonly clientKey: Buffer | undefined;
  readonly token: string | undefined;
  readonly tokenFile: string | undefined;
  readonly exec: ExecConfig | undefined;
  readonly authProvider: { name: string; config: Record<string, string> } | undefined;
  /**
   * Basic auth: the kubeconfig user's username/password, or a user:password written into the
   * server URL. Taken out of `server` so the URL shown in views, events, logs and CLI output
   * never carries it.
   */
  readonly basicAuth?: { readonly username: string; readonly password: string };
}

export interface ExecConfig {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: readonly { name: string; value: string }[];
  readonly apiVersion: string;
  readonly baseDir: string;
}

export type ContextResolution = { readonly ok: true; readonly access: ClusterAccess } | { readonly ok: false; readonly context: string; readonly reason: string };

export interface LoadedKubeconfig {
  readonly contexts: ContextResolution[];
  readonly currentContext: string | undefined;
  /** Files that could not be read or parsed at all, with why. */
  readonly fileErrors: { readonly file: string; readonly reason: string }[];
}

interface Named<T> {
  name?: unknown;
  [key: string]: unknown;
  value?: T;
}

type Doc = Record<string, unknown>;

function asRecord(value: unknown): Doc {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Doc) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Reads kubeconfig files the way kubectl merges them: for clusters, users and contexts, the first
 * file that defines a name wins; current-context comes from the first file that sets one. Each
 * context resolves on its own, so one broken context does not hide the others. With no file at
 * all, inside a pod, the pod's service account is the one context (as client-go falls back).
 */
export function loadKubeconfig(files: readonly string[], inCluster: InClusterLookup = { env: process.env }): LoadedKubeconfig {
  if (files.length === 0 && inClusterAvailable(inCluster)) {
    try {
      return { contexts: [{ ok: true, access: inClusterAccess(inCluster) }], currentContext: inClusterContext, fileErrors: [] };
    } catch (error) {
      return { contexts: [{ ok: false, context: inClusterContext, reason: (error as Error).message }], currentContext: inClusterContext, fileErrors: [] };
    }
  }
  const clusters = new Map<string, { entry: Doc; file: string }>();
  const users = new Map<string, { entry: Doc; file: string }>();
  const contexts = new Map<string, { entry: Doc; file: string }>();
  const fileErrors: { file: string; reason: string }[] = [];
  let currentContext: string | undefined;

  for (const file of files) {
    let doc: Doc;
    try {
      doc = asRecord(parse(fs.readFileSync(file, 'utf8')));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      fileErrors.push({ file, reason: code ? `cannot read it (${code})` : `not valid YAML (${(error as Error).message.split('\n')[0]})` });
      continue;
    }
    const collect = (key: string, into: Map<string, { entry: Doc; file: string }>, inner: string) => {
      const list = doc[key];
      if (!Array.isArray(list)) return;
      for (const item of list as Named<unknown>[]) {
        const name = str(item?.name);
        if (name && !into.has(name)) into.set(name, { entry: asRecord(item[inner]), file });
      }
    };
    collect('clusters', clusters, 'cluster');
    collect('users', users, 'user');
    collect('contexts', contexts, 'context');
    currentContext ??= str(doc['current-context']);
  }

  const resolutions: ContextResolution[] = [...contexts].map(([name, { entry, file }]) => {
    try {
      return { ok: true as const, access: resolveContext(name, entry, file, clusters, users) };
    } catch (error) {
      return { ok: false as const, context: name, reason: (error as Error).message };
    }
  });
  return { contexts: resolutions, currentContext, fileErrors };
}

function resolveContext(
  name: string,
  context: Doc,
  file: string,
  clusters: Map<string, { entry: Doc; file: string }>,
  users: Map<string, { entry: Doc; file: string }>,
): ClusterAccess {
  const clusterName = str(context.cluster);
  const userName = str(context.user) ?? '';
  if (!clusterName) throw new Error(`context "${name}" names no cluster`);
  const cluster = clusters.get(clusterName);
  if (!cluster) throw new Error(`context "${name}" refers to cluster "${clusterName}", which no kubeconfig file defines`);
  const written = str(cluster.entry.server);
  if (!written) throw new Error(`cluster "${clusterName}" has no server URL`);
  let parsed: URL;
  try {
    parsed = new URL(written);
  } catch {
    throw new Error(`cluster "${clusterName}" has an invalid server URL "${redactUrl(written)}"`);
  }
  const inUrl = parsed.username || parsed.password ? { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) } : undefined;
  parsed.username = '';
  parsed.password = '';
  const server = inUrl ? parsed.toString() : written;
  const user = userName ? users.get(userName) : undefined;
  if (userName && !user) throw new Error(`context "${name}" refers to user "${userName}", which no kubeconfig file defines`);
  const u = user?.entry ?? {};
  // Relative paths in a kubeconfig are relative to the file that holds them.
  const fileOf = (entryFile: string, value: unknown) => (str(value) ? path.resolve(path.dirname(entryFile), String(value)) : undefined);
  const bytes = (data: unknown, fileValue: unknown, entryFile: string, what: string): Buffer | undefined => {
    if (str(data)) return Buffer.from(String(data), 'base64');
    const p = fileOf(entryFile, fileValue);
    if (!p) return undefined;
    try {
      return fs.readFileSync(p);
    } catch (error) {
      throw new Error(`cannot read the ${what} file ${p} (${(error as NodeJS.ErrnoException).code ?? error})`);
    }
  };
  const proxyUrl = str(cluster.entry['proxy-url']);
  if (proxyUrl && !/^(https?|socks[45]?h?):\/\/[^/]/i.test(proxyUrl)) {
    throw new Error(`cluster "${clusterName}" has a proxy-url "${redactUrl(proxyUrl)}" that is not an http, https or socks URL`);
  }
  const exec = asRecord(u.exec);
  const authProvider = asRecord(u['auth-provider']);
  const basicAuth = str(u.username) !== undefined ? { username: String(u.username), password: str(u.password) ?? '' } : inUrl;
  return {
    basicAuth,
    context: name,
    kubeconfigFile: file,
    clusterName,
    userName,
    namespace: str(context.namespace),
    server: server.replace(/\/+$/, ''),
    ca: bytes(cluster.entry['certificate-authority-data'], cluster.entry['certificate-authority'], cluster.file, 'certificate authority'),
    insecureSkipTlsVerify: cluster.entry['insecure-skip-tls-verify'] === true,
    tlsServerName: str(cluster.entry['tls-server-name']),
    proxyUrl,
    clientCert: bytes(u['client-certificate-data'], u['client-certificate'], user?.file ?? file, 'client certificate'),
    clientKey: bytes(u['client-key-data'], u['client-key'], user?.file ?? file, 'client key'),
    token: str(u.token),
    tokenFile: fileOf(user?.file ?? file, u.tokenFile),
    exec: str(exec.command)
      ? {
          command: String(exec.command),
          args: Array.isArray(exec.args) ? exec.args.map(String) : [],
          env: Array.isArray(exec.env) ? (exec.env as Doc[]).map((e) => ({ name: String(e.name), value: String(e.value) })) : [],
          apiVersion: str(exec.apiVersion) ?? 'client.authentication.k8s.io/v1',
          baseDir: path.dirname(user?.file ?? file),
        }
      : undefined,
    authProvider: str(authProvider.name)
      ? { name: String(authProvider.name), config: Object.fromEntries(Object.entries(asRecord(authProvider.config)).map(([k, v]) => [k, String(v)])) }
      : undefined,
  };
}
