import { KubeApiError, KubeClient } from '../kube/kubeClient';
import { ClusterAccess } from '../kube/kubeconfig';
import { Failure, ProbeError, ProbeResponse, adviceFor, classifyNetworkError, probe, redactUrl, statusFailure } from './probe';

/** The values of a credential (from SecretStorage), by field name. */
export type CredentialValues = Readonly<Record<string, string>>;

export interface TestResult {
  readonly reached: boolean;
  readonly kind: string;
  readonly url: string;
  /** How the service was reached: directly, or through the API server's service proxy. */
  readonly path: 'direct' | 'service-proxy';
  readonly latencyMs: number;
  readonly serverVersion?: string;
  readonly failure?: Failure;
  /** What was checked, in order, for the user to read. */
  readonly steps: readonly string[];
  /** The kube-system UID seen (Kubernetes only). */
  readonly clusterId?: string;
}

export interface ServiceTarget {
  readonly url: string;
  readonly credential?: CredentialValues;
  readonly ca?: Buffer;
  readonly skipTlsVerify?: boolean;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** When the address is not reachable from here: the cluster's client and the service-proxy path. */
  readonly serviceProxy?: { readonly client: KubeClient; readonly path: string };
}

function authHeaders(credential: CredentialValues | undefined, preferBasicForColon = false): Record<string, string> {
  if (!credential) return {};
  if (credential.username !== undefined && credential.password !== undefined) {
    return { Authorization: `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}` };
  }
  const token = credential.token;
  if (!token) return {};
  // Grafana's rule: a secret with a colon is user:password (basic auth); anything else is a bearer token.
  if (preferBasicForColon && token.includes(':')) return { Authorization: `Basic ${Buffer.from(token).toString('base64')}` };
  return { Authorization: `Bearer ${token}` };
}

function join(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

interface Step {
  readonly path: string;
  readonly describe: string;
  readonly auth: boolean;
  /** Reads the version (or returns a failure) from a 2xx answer. */
  readonly read?: (body: string) => string | undefined;
}

/**
 * Runs HTTP steps against a service, directly or, when the address cannot be reached from here
 * (DNS, refused, timeout), through the API server's service proxy. The credential is sent on
 * the direct path; the API server consumes the caller's own Authorization header, so through the
 * proxy only an unauthenticated service answers (the result says which path was used).
 */
async function runSteps(kind: string, target: ServiceTarget, steps: readonly Step[], basicForColon: boolean): Promise<TestResult> {
  const done: string[] = [];
  let version: string | undefined;
  const started = performance.now();
  const attempt = async (viaProxy: boolean): Promise<TestResult> => {
    for (const step of steps) {
      let response: ProbeResponse;
      if (viaProxy) {
        try {
          const r = await target.serviceProxy!.client.request(join(target.serviceProxy!.path, step.path), { accept: '*/*', timeoutMs: target.timeoutMs, signal: target.signal });
          response = { status: r.status, body: r.body.toString('utf8'), latencyMs: 0 };
        } catch (error) {
          const e = error as KubeApiError;
          const failure =
            e.status > 0
              ? statusFailure(e.status, join(target.serviceProxy!.client.server, join(target.serviceProxy!.path, step.path)), e.message)
              : { class: 'unreachable' as const, message: e.message, advice: adviceFor('unreachable', target.serviceProxy!.client.server) };
          return { reached: false, kind, url: redactUrl(target.url), path: 'service-proxy', latencyMs: Math.round(performance.now() - started), failure, steps: done };
        }
      } else {
        response = await probe(join(target.url, step.path), {
          headers: step.auth ? authHeaders(target.credential, basicForColon) : {},
          ca: target.ca,
          skipTlsVerify: target.skipTlsVerify,
          timeoutMs: target.timeoutMs,
          signal: target.signal,
        });
      }
      if (response.status < 200 || response.status >= 300) {
        const failure = statusFailure(response.status, join(target.url, step.path), response.body);
        return { reached: false, kind, url: redactUrl(target.url), path: viaProxy ? 'service-proxy' : 'direct', latencyMs: Math.round(performance.now() - started), failure, steps: done };
      }
      version = step.read?.(response.body) ?? version;
      done.push(`${step.describe}: HTTP ${response.status}${viaProxy ? ' (through the API server)' : ''}`);
    }
    return { reached: true, kind, url: redactUrl(target.url), path: viaProxy ? 'service-proxy' : 'direct', latencyMs: Math.round(performance.now() - started), serverVersion: version, steps: done };
  };
  try {
    return await attempt(false);
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    const unreachable = ['dns', 'refused', 'timeout', 'unreachable'].includes(error.failure.class);
    if (unreachable && target.serviceProxy) {
      done.push(`direct: ${error.failure.message}; trying the API server's service proxy`);
      return attempt(true);
    }
    return { reached: false, kind, url: redactUrl(target.url), path: 'direct', latencyMs: Math.round(performance.now() - started), failure: error.failure, steps: done };
  }
}

function jsonField(body: string, read: (json: Record<string, unknown>) => unknown): string | undefined {
  try {
    const value = read(JSON.parse(body) as Record<string, unknown>);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Prometheus: /-/ready, then /api/v1/status/buildinfo, both with the credential (Meshery sends none). */
export function testPrometheus(target: ServiceTarget): Promise<TestResult> {
  return runSteps(
    'prometheus',
    target,
    [
      { path: '/-/ready', describe: 'ready', auth: true },
      { path: '/api/v1/status/buildinfo', describe: 'build info', auth: true, read: (b) => jsonField(b, (j) => (j.data as { version?: string } | undefined)?.version) },
    ],
    false,
  );
}

/** Grafana: /api/health (no credential needed), then /api/org with it ("user:password" as basic auth, else a bearer token). */
export function testGrafana(target: ServiceTarget): Promise<TestResult> {
  return runSteps(
    'grafana',
    target,
    [
      { path: '/api/health', describe: 'health', auth: false, read: (b) => jsonField(b, (j) => j.version) },
      { path: '/api/org', describe: 'organization (authenticated)', auth: true },
    ],
    true,
  );
}

/**
 * Kubernetes: /version, /readyz (or /livez), a self-subject access review, and the kube-system
 * UID compared with the registered one: a different cluster behind the same URL is reported,
 * not accepted. Reading kube-system may be forbidden: that is said, not taken for unreachable.
 */
export async function testKubernetes(access: ClusterAccess, options: { expectedClusterId?: string; timeoutMs: number; signal?: AbortSignal }): Promise<TestResult> {
  const client = new KubeClient(access);
  const started = performance.now();
  const steps: string[] = [];
  const result = (extra: Partial<TestResult>): TestResult => ({
    reached: false,
    kind: 'kubernetes',
    url: access.server,
    path: 'direct',
    latencyMs: Math.round(performance.now() - started),
    steps,
    ...extra,
  });
  const request = { timeoutMs: options.timeoutMs, signal: options.signal };
  try {
    const version = await client.getJson<{ gitVersion?: string }>('/version', request);
    steps.push(`version: ${version.gitVersion ?? 'unknown'}`);
    try {
      await client.request('/readyz', { ...request, accept: 'text/plain' });
      steps.push('readyz: ok');
    } catch {
      await client.request('/livez', { ...request, accept: 'text/plain' });
      steps.push('livez: ok');
    }
    const review = await client.getJson<{ status?: { allowed?: boolean; reason?: string } }>('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      ...request,
      method: 'POST',
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'list', resource: 'namespaces' } } },
    });
    steps.push(`access review (list namespaces): ${review.status?.allowed ? 'allowed' : `denied${review.status?.reason ? ` (${review.status.reason})` : ''}`}`);
    let clusterId: string | undefined;
    try {
      clusterId = (await client.getJson<{ metadata?: { uid?: string } }>('/api/v1/namespaces/kube-system', request)).metadata?.uid;
      steps.push(`kube-system uid: ${clusterId}`);
    } catch (error) {
      if (!(error instanceof KubeApiError) || error.status !== 403) throw error;
      steps.push('kube-system: reading it is forbidden, so the cluster identity could not be checked');
    }
    if (options.expectedClusterId && clusterId && clusterId !== options.expectedClusterId && !options.expectedClusterId.startsWith('server-')) {
      return result({
        clusterId,
        serverVersion: version.gitVersion,
        failure: {
          class: 'wrong-cluster',
          message: `${access.server} now reaches cluster ${clusterId}, not the registered ${options.expectedClusterId}`,
          advice: adviceFor('wrong-cluster', access.server),
        },
      });
    }
    return result({ reached: true, clusterId, serverVersion: version.gitVersion });
  } catch (error) {
    const e = error instanceof KubeApiError ? error : new KubeApiError(0, 'Error', String(error));
    if (e.status > 0) {
      const cls = e.status === 401 ? 'unauthorized' : e.status === 403 ? 'forbidden' : 'http';
      return result({ failure: { class: cls, message: e.message, advice: adviceFor(cls, access.server, options.timeoutMs) } });
    }
    // Not reached at all: the same classification as every other tester (the client keeps the error code as the reason).
    const network = classifyNetworkError(Object.assign(new Error(e.message), { code: e.reason }), access.server, options.timeoutMs);
    return result({ failure: { ...network, message: e.message } });
  } finally {
    client.dispose();
  }
}
