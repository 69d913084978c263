/**
 * What is wrong with a connection URL, in a sentence, or undefined when it is a usable http(s)
 * URL. Dependency-free: the registration form (in the webview) and the connection service check
 * with the same rule.
 */
export function urlProblem(url: string): string | undefined {
  if (!url.trim()) return 'The URL is required.';
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return 'The URL is not valid (for example http://prometheus.example.com:9090).';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'The URL starts with http:// or https://.';
  // A URL is shown and logged: user and password belong in a credential.
  if (parsed.username || parsed.password) return 'Put the user and password in a credential, not in the URL.';
  return undefined;
}

/**
 * Whether a credential sent to this URL travels unprotected: over plain http, or over TLS that
 * is not verified. A Kubernetes credential goes through the kubeconfig's own transport rules.
 */
export function credentialTravelsUnprotected(kind: string, url: string, skipTlsVerify: boolean): boolean {
  if (kind === 'kubernetes') return false;
  return url.trim().toLowerCase().startsWith('http:') || skipTlsVerify;
}
