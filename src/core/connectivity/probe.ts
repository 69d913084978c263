import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { redactUrl } from '../common/redactUrl';

export type FailureClass = 'dns' | 'refused' | 'tls' | 'timeout' | 'unauthorized' | 'forbidden' | 'wrong-cluster' | 'http' | 'too-large' | 'unreachable';

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
  /** A custom CA, trusted in addition to the system's roots (never instead of them). */
  readonly ca?: Buffer;
  readonly skipTlsVerify?: boolean;
  /** The whole request, headers and body: a server that drips its answer cannot hold it longer. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** The largest answer read (default 1 MiB): more is refused, so a server cannot grow memory without bound. */
  readonly maxBytes?: number;
  /** An HTTP(S) proxy to go through (CONNECT for https targets, absolute URLs for http ones). */
  readonly proxy?: string;
}

export const defaultMaxAnswerBytes = 1024 * 1024;

/** The system's roots plus a custom CA: a custom CA must not make publicly trusted endpoints fail. */
export function withSystemRoots(ca: Buffer | undefined): string[] | undefined {
  return ca ? [...tls.rootCertificates, ca.toString('utf8')] : undefined;
}

/** Bytes as people read them (1 MiB, 512 KiB). */
function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

export interface ProbeResponse {
  readonly status: number;
  readonly body: string;
  readonly latencyMs: number;
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
    case 'too-large':
      return `The answer from ${target} was larger than expected and was not read. Check that the URL points at the service's API, not at a page or a file.`;
    default:
      return `Check that ${url} is reachable from this machine.`;
  }
}

export function classifyNetworkError(error: NodeJS.ErrnoException, url: string, timeoutMs: number, proxy?: string): Failure {
  const code = error.code ?? '';
  const cls: FailureClass =
    code === 'ETOOLARGE'
      ? 'too-large'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? 'dns'
      : code === 'ECONNREFUSED'
        ? 'refused'
        : code === 'ETIMEDOUT' || (code === 'ECONNRESET' && /timed out/.test(error.message))
          ? 'timeout'
          : /CERT|SSL|TLS|self.signed|unable to verify|UNABLE_TO_GET_ISSUER/i.test(`${code} ${error.message}`)
            ? 'tls'
            : 'unreachable';
  const shown = redactUrl(url);
  const via = proxy ? ` (through the proxy ${redactUrl(proxy)})` : '';
  const advice = adviceFor(cls, shown, timeoutMs) + (proxy ? ' Check the proxy too (http.proxy, HTTPS_PROXY/HTTP_PROXY), or list this host in NO_PROXY (or http.noProxy) to reach it directly.' : '');
  return { class: cls, message: `${shown}${via}: ${error.message.split(url).join(shown)}`, advice };
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
  const maxBytes = options.maxBytes ?? defaultMaxAnswerBytes;
  return new Promise((resolve, reject) => {
    // Why we stopped the exchange ourselves (too large, too slow): it is the failure, whatever
    // the socket then reports (a reset, an aborted response).
    let stoppedBecause: NodeJS.ErrnoException | undefined;
    const stop = (message: string, code: string) => req.destroy((stoppedBecause = Object.assign(new Error(message), { code })));
    const fail = (e: NodeJS.ErrnoException) => {
      clearTimeout(deadline);
      reject(new ProbeError(classifyNetworkError(stoppedBecause ?? e, url, options.timeoutMs, options.proxy)));
    };
    const req = transport.request(
      target,
      {
        method: 'GET',
        headers: { Accept: 'application/json, text/plain, */*', 'User-Agent': 'meshery-vscode', ...options.headers },
        ca: withSystemRoots(options.ca),
        rejectUnauthorized: !options.skipTlsVerify,
        signal: options.signal,
        agent: options.proxy ? proxyAgent(target, options) : false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            stop(`the answer is larger than ${sizeText(maxBytes)}`, 'ETOOLARGE');
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(deadline);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), latencyMs: Math.round(performance.now() - started) });
        });
        res.on('error', fail);
      },
    );
    // One deadline for the whole exchange (a socket idle timeout would let a slow drip go on forever).
    const deadline = setTimeout(() => stop(`no complete answer within ${options.timeoutMs} ms`, 'ETIMEDOUT'), options.timeoutMs);
    req.on('error', fail);
    req.end();
  });
}

/** A one-request agent through the proxy; for https targets the TLS settings apply to the target, inside the tunnel. */
function proxyAgent(target: URL, options: ProbeOptions): http.Agent {
  return target.protocol === 'https:'
    ? new HttpsProxyAgent({ proxy: options.proxy!, keepAlive: false, ca: withSystemRoots(options.ca), rejectUnauthorized: !options.skipTlsVerify })
    : new HttpProxyAgent({ proxy: options.proxy!, keepAlive: false });
}
