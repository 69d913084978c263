import * as fs from 'node:fs';
import * as path from 'node:path';
import { clientNode } from './clientNode';
import type { ClusterAccess } from './kubeconfig';

/** The name the pod's own context is shown under. */
export const inClusterContext = 'in-cluster';
const serviceAccountFolder = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface InClusterLookup {
  readonly env: NodeJS.ProcessEnv;
  /** Prepended to the service-account folder (tests; a chroot). */
  readonly root?: string;
}

/**
 * VS Code running in a pod (code-server, Coder, Gitpod) with no kubeconfig: the pod's service
 * account is usable when the kubelet set KUBERNETES_SERVICE_HOST/PORT and mounted its token,
 * as client-go's InClusterConfig requires.
 */
export function inClusterAvailable(lookup: InClusterLookup): boolean {
  if (!lookup.env.KUBERNETES_SERVICE_HOST || !lookup.env.KUBERNETES_SERVICE_PORT) return false;
  try {
    return fs.statSync(path.join(lookup.root ?? '', serviceAccountFolder, 'token')).isFile();
  } catch {
    return false;
  }
}

/**
 * The pod's access, from @kubernetes/client-node's `loadFromCluster` (server from the service
 * environment, http on ports 80/8080/8001, bracketed IPv6; CA, token and namespace files). The
 * token is a file read again every minute: the kubelet rotates projected tokens.
 */
export function inClusterAccess(lookup: InClusterLookup): ClusterAccess {
  const { KubeConfig } = clientNode();
  const config = new KubeConfig();
  // The library reads process.env; tests and callers pass their own environment.
  const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
  process.env.KUBERNETES_SERVICE_HOST = lookup.env.KUBERNETES_SERVICE_HOST;
  process.env.KUBERNETES_SERVICE_PORT = lookup.env.KUBERNETES_SERVICE_PORT;
  try {
    config.loadFromCluster(lookup.root ?? '');
  } finally {
    restoreEnv('KUBERNETES_SERVICE_HOST', saved.host);
    restoreEnv('KUBERNETES_SERVICE_PORT', saved.port);
  }
  const cluster = config.getCurrentCluster()!;
  const user = config.getCurrentUser()!;
  const tokenFile = String((user.authProvider as { config?: { tokenFile?: string } } | undefined)?.config?.tokenFile);
  const namespace = config.getContextObject(config.getCurrentContext())?.namespace?.trim();
  let ca: Buffer | undefined;
  try {
    ca = cluster.caFile ? fs.readFileSync(cluster.caFile) : undefined;
  } catch {
    // No CA file: the system roots decide (some platforms serve a public certificate).
  }
  return {
    context: inClusterContext,
    kubeconfigFile: path.dirname(tokenFile),
    clusterName: inClusterContext,
    userName: 'service account',
    namespace: namespace || undefined,
    server: cluster.server,
    ca,
    insecureSkipTlsVerify: false,
    tlsServerName: undefined,
    clientCert: undefined,
    clientKey: undefined,
    token: undefined,
    tokenFile,
    exec: undefined,
    authProvider: undefined,
  };
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
