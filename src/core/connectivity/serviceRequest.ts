import { KubeApiError, KubeClient } from '../kube/kubeClient';
import { Failure, ProbeError, adviceFor, defaultMaxAnswerBytes, probe, statusFailure } from './probe';
import { ProxySettings, proxyFor } from '../common/proxySettings';

/** The values of a credential (from SecretStorage), by field name. */
export type CredentialValues = Readonly<Record<string, string>>;

export type ServicePath = 'direct' | 'service-proxy';

export interface ServiceTarget {
  readonly url: string;
  readonly credential?: CredentialValues;
  readonly ca?: Buffer;
  readonly skipTlsVerify?: boolean;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** When the address is not reachable from here: the cluster's client and the service-proxy path. */
  readonly serviceProxy?: { readonly client: KubeClient; readonly path: string };
  /** Grafana's rule: a token with a colon is user:password (basic auth). */
  readonly basicForColon?: boolean;
  /** The largest answer read (default 1 MiB, see probe). */
  readonly maxBytes?: number;
  /** The proxy settings for direct requests (none: direct). */
  readonly proxy?: ProxySettings;
}

export interface ServiceAnswer {
  readonly status: number;
  readonly body: string;
  readonly path: ServicePath;
}

export function authHeaders(credential: CredentialValues | undefined, preferBasicForColon = false): Record<string, string> {
  if (!credential) return {};
  if (credential.username !== undefined && credential.password !== undefined) {
    return { Authorization: `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}` };
  }
  const token = credential.token;
  if (!token) return {};
  if (preferBasicForColon && token.includes(':')) return { Authorization: `Basic ${Buffer.from(token).toString('base64')}` };
  return { Authorization: `Bearer ${token}` };
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Network failures that mean "not reachable from here", where the service proxy may still get through. */
export function isUnreachable(failure: Failure): boolean {
  return ['dns', 'refused', 'timeout', 'unreachable'].includes(failure.class);
}

/**
 * One GET to a service on the path asked for. Directly, the credential is sent; through the API
 * server's service proxy it cannot be (the API server consumes the caller's Authorization header),
 * so only an unauthenticated service answers there. Network failures throw a ProbeError.
 */
export async function requestService(target: ServiceTarget, path: string, via: ServicePath, auth = true): Promise<ServiceAnswer> {
  if (via === 'direct') {
    const url = joinUrl(target.url, path);
    const response = await probe(url, {
      proxy: proxyFor(new URL(url), target.proxy),
      headers: auth ? authHeaders(target.credential, target.basicForColon) : {},
      ca: target.ca,
      skipTlsVerify: target.skipTlsVerify,
      timeoutMs: target.timeoutMs,
      signal: target.signal,
      maxBytes: target.maxBytes,
    });
    return { status: response.status, body: response.body, path: via };
  }
  const proxy = target.serviceProxy;
  if (!proxy) throw new ProbeError({ class: 'unreachable', message: `${target.url} is not reachable and there is no cluster to proxy through`, advice: adviceFor('unreachable', target.url) });
  try {
    const r = await proxy.client.request(joinUrl(proxy.path, path), { accept: '*/*', timeoutMs: target.timeoutMs, signal: target.signal, maxBytes: target.maxBytes ?? defaultMaxAnswerBytes });
    return { status: r.status, body: r.body.toString('utf8'), path: via };
  } catch (error) {
    const e = error as KubeApiError;
    if (e.status > 0) return { status: e.status, body: e.message, path: via };
    throw new ProbeError({ class: 'unreachable', message: e.message, advice: adviceFor('unreachable', proxy.client.server) });
  }
}

/** The URL an answer came from, for failure messages: the service's own, or the API server's proxy path to it. */
export function answeredAt(target: ServiceTarget, path: string, via: ServicePath): string {
  const proxy = target.serviceProxy;
  return via === 'direct' || !proxy ? joinUrl(target.url, path) : joinUrl(proxy.client.server, joinUrl(proxy.path, path));
}

/**
 * A GET that tries the address itself, then (when it cannot be reached from here) the service
 * proxy; a non-2xx answer becomes a Failure with its sentence.
 */
export async function getFromService(target: ServiceTarget, path: string): Promise<ServiceAnswer> {
  let answer: ServiceAnswer;
  try {
    answer = await requestService(target, path, 'direct');
  } catch (error) {
    if (!(error instanceof ProbeError) || !isUnreachable(error.failure) || !target.serviceProxy) throw error;
    answer = await requestService(target, path, 'service-proxy');
  }
  if (answer.status < 200 || answer.status >= 300) {
    throw new ProbeError(statusFailure(answer.status, answeredAt(target, path, answer.path), answer.body));
  }
  return answer;
}
