import { ClusterAccess } from './kubeconfig';

export class AuthConfigError extends Error {}

/** When a JWT expires (its `exp` claim), or undefined when it does not say or is not a JWT. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The id-token of an `oidc` auth-provider user, while it is valid. The client library's refresh is
 * broken in 1.4.0 (it hands openid-client a string where a URL is needed), so an expired token is
 * not refreshed here: the user is told how to refresh it, and the kubeconfig files are watched so
 * the token kubectl writes back is picked up without a restart.
 */
export function oidcIdToken(access: ClusterAccess, now = Date.now()): string {
  const config = access.authProvider?.config ?? {};
  const idToken = config['id-token'];
  const refresh = `run a kubectl command with this context (kubectl --context ${access.context} get namespaces) or your provider's login command; Meshery reads the new token from ${access.kubeconfigFile} when the file changes`;
  if (!idToken) {
    throw new AuthConfigError(`the OIDC user "${access.userName}" has no id-token yet: log in first (${refresh})`);
  }
  const expiry = jwtExpiry(idToken);
  if (expiry !== undefined && expiry <= now) {
    throw new AuthConfigError(`the OIDC id-token of user "${access.userName}" expired at ${new Date(expiry).toISOString()} and Meshery cannot refresh it: ${refresh}`);
  }
  return idToken;
}
