import * as http from 'node:http';
import type { SimUser } from './apiServer';
import { readJson } from './httpBodies';
import { ApiError, ObjectStore } from './objectStore';
import { sendJson, sendStatus } from './responses';
import { SimResourceType, typeKey } from './resourceTypes';

/** SelfSubjectAccessReview and SelfSubjectReview: what the caller may do, and who it is. */
export async function review(req: http.IncomingMessage, res: http.ServerResponse, user: SimUser, type: SimResourceType): Promise<void> {
  const body = (await readJson(req)) as { spec?: { resourceAttributes?: { group?: string; resource?: string; verb?: string; namespace?: string } } };
  if (type.resource === 'selfsubjectaccessreviews') {
    const attrs = body.spec?.resourceAttributes ?? {};
    const denied = user.forbidden?.some((f) => f.group === (attrs.group ?? '') && (f.resource === attrs.resource || attrs.resource === '*'));
    return sendJson(res, 201, {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: body.spec ?? {},
      status: denied ? { allowed: false, reason: `RBAC: user "${user.name}" may not ${attrs.verb} ${attrs.resource}` } : { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding' },
    });
  }
  if (type.resource === 'selfsubjectreviews') {
    return sendJson(res, 201, {
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      status: { userInfo: { username: user.name, groups: ['system:authenticated'] } },
    });
  }
  throw new ApiError(403, 'Forbidden', `${type.resource} is forbidden for User "${user.name}"`);
}

/**
 * The API server's service proxy: /api/v1/namespaces/{ns}/services/{name}:{port}/proxy/... goes to the
 * configured backend of that Service. The API server consumes the caller's credentials; the backend never sees them.
 */
export function proxyToService(
req: http.IncomingMessage,
res: http.ServerResponse,
store: ObjectStore,
proxies: ReadonlyMap<string, string>,
namespace: string,
service: string,
rest: string[],
search: string,
): void {
  const [name, port] = service.split(':');
  if (!store.get(typeKey('', 'services'), namespace, name)) {
    throw new ApiError(404, 'NotFound', `services "${name}" not found`, { name, kind: 'services' });
  }
  const target = proxies.get(`${namespace}/${name}:${port ?? ''}`) ?? proxies.get(`${namespace}/${name}:`);
  if (!target) {
    throw new ApiError(503, 'ServiceUnavailable', `no endpoints available for service "${name}"`);
  }
  const targetUrl = new URL(`${target}/${rest.join('/')}${search}`);
  const headers = { ...req.headers };
  // The API server consumes the caller's credentials; the backend never sees them.
  delete headers.authorization;
  delete headers.host;
  const upstream = http.request(targetUrl, { method: req.method, headers }, (upstreamRes) => {
    res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
    upstreamRes.pipe(res);
  });
  upstream.on('error', (error) => {
    if (!res.headersSent) sendStatus(res, new ApiError(503, 'ServiceUnavailable', `error trying to reach service: ${error.message}`));
    else res.destroy();
  });
  req.pipe(upstream);
}
