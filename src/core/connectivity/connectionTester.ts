import { Connection } from '../connections/types';
import { ClusterAccess, loadKubeconfig } from '../kube/kubeconfig';
import { ProxySettings } from '../common/proxySettings';
import { KubeClient } from '../kube/kubeClient';
import { ServiceTarget } from './serviceRequest';
import { CredentialValues, TestResult, testGrafana, testKubernetes, testPrometheus } from './testers';

export interface TesterContext {
  readonly kubeconfigFiles: readonly string[];
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** The API client of a discovered cluster, to reach in-cluster services through its service proxy. */
  readonly clusterClient?: (clusterId: string) => KubeClient | undefined;
  /** A custom CA for Prometheus and Grafana (meshery.connectivity.caFile), added to the system roots. Never used for clusters. */
  readonly serviceCa?: Buffer;
  /** The CA of a cluster typed by URL, outside any kubeconfig (the CLI's --ca); a kubeconfig's clusters carry their own. */
  readonly clusterCa?: Buffer;
  /** Proxies for Prometheus and Grafana (clusters use their kubeconfig's proxy-url). */
  readonly proxy?: ProxySettings;
}

/** How to reach a Kubernetes connection: its kubeconfig context, with a credential's values laid over it. */
export function kubernetesAccess(connection: Connection, credential: CredentialValues | undefined, context: TesterContext): ClusterAccess {
  const contextName = credential?.context ?? (connection.metadata.context as string | undefined);
  const loaded = loadKubeconfig(context.kubeconfigFiles).contexts.find((c) => (c.ok ? c.access.context : c.context) === contextName);
  const base: ClusterAccess =
    loaded?.ok
      ? loaded.access
      : {
          context: contextName ?? connection.name,
          kubeconfigFile: '',
          clusterName: connection.name,
          userName: '',
          namespace: undefined,
          server: connection.url,
          ca: context.clusterCa,
          insecureSkipTlsVerify: false,
          tlsServerName: undefined,
          clientCert: undefined,
          clientKey: undefined,
          token: undefined,
          tokenFile: undefined,
          exec: undefined,
          authProvider: undefined,
        };
  const fromCredential: Partial<ClusterAccess> = credential
    ? {
        ...(credential.token ? { token: credential.token, tokenFile: undefined, exec: undefined, authProvider: undefined } : {}),
        ...(credential.clientCertificate ? { clientCert: Buffer.from(credential.clientCertificate), clientKey: Buffer.from(credential.clientKey ?? '') } : {}),
        ...(credential.ca ? { ca: Buffer.from(credential.ca) } : {}),
      }
    : {};
  return { ...base, ...fromCredential, ...(connection.skipTlsVerify ? { insecureSkipTlsVerify: true } : {}) };
}

/** How to reach a service connection (Prometheus, Grafana): its URL, the credential, and the service proxy of its cluster. */
export function serviceTargetOf(connection: Connection, credential: CredentialValues | undefined, context: TesterContext): ServiceTarget {
  const client = connection.clusterId ? context.clusterClient?.(connection.clusterId) : undefined;
  const proxyPath = connection.metadata.proxyPath as string | undefined;
  return {
    url: connection.url,
    credential,
    ca: context.serviceCa,
    proxy: context.proxy,
    skipTlsVerify: connection.skipTlsVerify,
    timeoutMs: context.timeoutMs,
    signal: context.signal,
    serviceProxy: client && proxyPath ? { client, path: proxyPath } : undefined,
  };
}

/** One tester per connection kind; a new kind is a connection definition plus a case here. */
export function testConnection(connection: Connection, credential: CredentialValues | undefined, context: TesterContext): Promise<TestResult> {
  if (connection.kind === 'kubernetes') {
    return testKubernetes(kubernetesAccess(connection, credential, context), { expectedClusterId: connection.clusterId, timeoutMs: context.timeoutMs, signal: context.signal });
  }
  const target = serviceTargetOf(connection, credential, context);
  if (connection.kind === 'prometheus') return testPrometheus(target);
  if (connection.kind === 'grafana') return testGrafana(target);
  return Promise.reject(new Error(`There is no connectivity tester for ${connection.kind} connections.`));
}
