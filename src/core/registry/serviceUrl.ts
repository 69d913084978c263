import { ObjectSummary } from '../kube/objectSummary';

export interface ServiceUrls {
  /** The Service's DNS name inside the cluster. */
  readonly inCluster: string;
  /** Its load-balancer or external-IP address, when it has one: reachable from outside the cluster. */
  readonly external?: string;
  readonly scheme: 'http' | 'https';
  readonly port: number | undefined;
}

/**
 * How a Service is addressed: https when the port speaks TLS (named https, appProtocol https, or
 * 443), http otherwise; the outside address comes first when there is one, since the IDE usually
 * runs outside the cluster.
 */
export function serviceUrls(service: Pick<ObjectSummary, 'name' | 'namespace' | 'httpsPorts' | 'externalAddress'>, port: number | undefined): ServiceUrls {
  const scheme = port !== undefined && (port === 443 || (service.httpsPorts ?? []).includes(port)) ? 'https' : 'http';
  const suffix = port === undefined || (scheme === 'https' && port === 443) || (scheme === 'http' && port === 80) ? '' : `:${port}`;
  const host = (name: string) => (name.includes(':') && !name.startsWith('[') ? `[${name}]` : name);
  return {
    scheme,
    port,
    inCluster: `${scheme}://${service.name}.${service.namespace}.svc${suffix}`,
    ...(service.externalAddress ? { external: `${scheme}://${host(service.externalAddress)}${suffix}` } : {}),
  };
}
