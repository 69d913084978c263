import { KubeApiError, KubeClient } from '../kube/kubeClient';
import { ClusterAccess } from '../kube/kubeconfig';
import { redactUrl } from '../common/redactUrl';
import { Failure, ProbeError, adviceFor, classifyNetworkError, statusFailure } from './probe';
import { CredentialValues, ServicePath, ServiceTarget, answeredAt, isUnreachable, requestService } from './serviceRequest';

export type { CredentialValues, ServiceTarget };

export interface TestResult {
  readonly reached: boolean;
  readonly kind: string;
  readonly url: string;
  /** How the service was reached: directly, or through the API server's service proxy. */
  readonly path: ServicePath;
  readonly latencyMs: number;
  readonly serverVersion?: string;
  readonly failure?: Failure;
  /** What was checked, in order, for the user to read. */
  readonly steps: readonly string[];
  /** The kube-system UID seen (Kubernetes only). */
  readonly clusterId?: string;
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
async function runSteps(kind: string, target: ServiceTarget, steps: readonly Step[]): Promise<TestResult> {
  const done: string[] = [];
  let version: string | undefined;
  const started = performance.now();
  const result = (via: ServicePath, extra: Partial<TestResult>): TestResult => ({
    reached: false,
    kind,
    url: redactUrl(target.url),
    path: via,
    latencyMs: Math.round(performance.now() - started),
    steps: done,
    ...extra,
  });
  const attempt = async (via: ServicePath): Promise<TestResult> => {
    for (const step of steps) {
      const answer = await requestService(target, step.path, via, step.auth);
      if (answer.status < 200 || answer.status >= 300) {
        return result(via, { failure: statusFailure(answer.status, answeredAt(target, step.path, via), answer.body) });
      }
      version = step.read?.(answer.body) ?? version;
      done.push(`${step.describe}: HTTP ${answer.status}${via === 'service-proxy' ? ' (through the API server)' : ''}`);
    }
    return result(via, { reached: true, serverVersion: version });
  };
  try {
    return await attempt('direct');
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    if (isUnreachable(error.failure) && target.serviceProxy) {
      done.push(`direct: ${error.failure.message}; trying the API server's service proxy`);
      try {
        return await attempt('service-proxy');
      } catch (proxyError) {
        if (!(proxyError instanceof ProbeError)) throw proxyError;
        return result('service-proxy', { failure: proxyError.failure });
      }
    }
    return result('direct', { failure: error.failure });
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
  );
}

/** Grafana: /api/health (no credential needed), then /api/org with it ("user:password" as basic auth, else a bearer token). */
export function testGrafana(target: ServiceTarget): Promise<TestResult> {
  return runSteps(
    'grafana',
    { ...target, basicForColon: true },
    [
      { path: '/api/health', describe: 'health', auth: false, read: (b) => jsonField(b, (j) => j.version) },
      { path: '/api/org', describe: 'organization (authenticated)', auth: true },
    ],
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
