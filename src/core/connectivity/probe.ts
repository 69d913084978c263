import * as http from 'node:http';
import * as https from 'node:https';

export type FailureClass = 'dns' | 'refused' | 'tls' | 'timeout' | 'unauthorized' | 'forbidden' | 'wrong-cluster' | 'http' | 'unreachable';

export interface Failure {
  readonly class: FailureClass;
  readonly message: string;
  /** A sentence that tells the user what to do. */
  readonly advice: string;
}

export class ProbeError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

export interface ProbeOptions {
  readonly headers?: Record<string, string>;
  readonly ca?: Buffer;
  readonly skipTlsVerify?: boolean;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface ProbeResponse {
  readonly status: number;
  readonly body: string;
  readonly latencyMs: number;
}

/** A URL as it may appear in messages, events and logs: without user:password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

export function adviceFor(cls: FailureClass, url: string, timeoutMs?: number): string {
  const target = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  switch (cls) {
    case 'dns':
      return `The host name in ${url} does not resolve from this machine. If it is an in-cluster address, test through the API server's service proxy; otherwise check the URL.`;
    case 'refused':
      return `Nothing accepts connections at ${target}. Check that the service runs and that the port is right.`;
    case 'tls':
      return `The TLS certificate of ${target} is not trusted. Add its certificate authority (custom CA), or turn on "skip TLS verification" for this connection if you accept the risk.`;
    case 'timeout':
      return `${target} did not answer within ${timeoutMs ?? '?'} ms. Check network access (VPN, firewall, proxy) or raise meshery.connectivity.timeoutMs.`;
    case 'unauthorized':
      return 'The server rejected the credential (401). Check its values, or pick or create another credential.';
    case 'forbidden':
      return 'The credential was accepted but is not allowed to do this (403). Grant it access, or pick another credential.';
    case 'wrong-cluster':
      return 'This address now reaches a different cluster than the one registered. Check the kubeconfig context, or register it as a new connection.';
    case 'http':
      return `The server at ${target} answered with an error. Check that the URL points at the right service.`;
    default:
      return `Check that ${url} is reachable from this machine.`;
  }
}

export function classifyNetworkError(error: NodeJS.ErrnoException, url: string, timeoutMs: number): Failure {
  const code = error.code ?? '';
  const cls: FailureClass =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? 'dns'
      : code === 'ECONNREFUSED'
        ? 'refused'
        : code === 'ETIMEDOUT' || (code === 'ECONNRESET' && /timed out/.test(error.message))
          ? 'timeout'
          : /CERT|SSL|TLS|self.signed|unable to verify|UNABLE_TO_GET_ISSUER/i.test(`${code} ${error.message}`)
            ? 'tls'
            : 'unreachable';
  const shown = redactUrl(url);
  return { class: cls, message: `${shown}: ${error.message.split(url).join(shown)}`, advice: adviceFor(cls, shown, timeoutMs) };
}

export function statusFailure(status: number, url: string, body: string): Failure {
  const cls: FailureClass = status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : 'http';
  const detail = body.trim().slice(0, 200).replace(/\s+/g, ' ');
  const shown = redactUrl(url);
  return { class: cls, message: `${shown} answered HTTP ${status}${detail ? `: ${detail}` : ''}`, advice: adviceFor(cls, shown) };
}

/** One HTTP(S) GET with a timeout, TLS verified unless told otherwise; network failures are classified. */
export function probe(url: string, options: ProbeOptions): Promise<ProbeResponse> {
  const started = performance.now();
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      target,
      {
        method: 'GET',
        headers: { Accept: 'application/json, text/plain, */*', 'User-Agent': 'meshery-vscode', ...options.headers },
        ca: options.ca,
        rejectUnauthorized: !options.skipTlsVerify,
        signal: options.signal,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), latencyMs: Math.round(performance.now() - started) }));
        res.on('error', (e: NodeJS.ErrnoException) => reject(new ProbeError(classifyNetworkError(e, url, options.timeoutMs))));
      },
    );
    req.setTimeout(options.timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => reject(new ProbeError(classifyNetworkError(e, url, options.timeoutMs))));
    req.end();
  });
}
