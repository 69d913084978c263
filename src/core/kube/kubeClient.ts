import * as http from 'node:http';
import * as https from 'node:https';
import { Readable, pipeline } from 'node:stream';
import { urlToHttpOptions } from 'node:url';
import { createGunzip } from 'node:zlib';
import { nextTurn } from '../common/turns';
import { BodyBuffers, listBodyBuffers } from './bodyBuffers';
import { AuthConfigError, ClusterCredentials, ClusterSession } from './clusterCredentials';
import { ClusterAccess } from './kubeconfig';
import { ListBody, ListBodyOptions, MemberShape, readListBody } from './listBody';
import { WatchEvent, parseWatchEvent } from './watchEvent';

export type { WatchEvent } from './watchEvent';

/** Watch events handled in one turn of the event loop (a few ms of work on a busy extension host). */
const watchEventsPerTurn = 50;

/** An error answer of the API server (a Status object), or a failure to reach it. */
export class KubeApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server was not reached at all. */
    readonly status: number,
    readonly reason: string,
    message: string,
    /** The server's Retry-After (429 from API priority and fairness, 503), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  /** Worth retrying without calling the type failed at once: throttled, briefly unavailable, or not reached. */
  get isTransient(): boolean {
    return this.status === 0 || this.status === 429 || this.status === 500 || this.status === 502 || this.status === 503 || this.status === 504;
  }

  get isForbidden(): boolean {
    return this.status === 403;
  }
  get isUnauthorized(): boolean {
    return this.status === 401;
  }
  get isExpired(): boolean {
    return this.status === 410;
  }
}

export const acceptJson = 'application/json';
/** A list in metadata form: the server drops spec and status (much smaller lists). */
export const acceptMetadataList = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
/**
 * One object's metadata: for a get, and for every watch (events carry one object each: asked for
 * as a List, kube-apiserver fails the transform and sends the full object).
 */
export const acceptMetadata = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';
/** Metadata or nothing: no JSON fallback, so a server that cannot must fail rather than send a Secret's data. */
export const acceptObjectMetadata = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
export const acceptMetadataListOnly = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

export interface RequestOptions {
  readonly accept?: string;
  /** For request(): the whole exchange, headers and body (a dripping answer cannot hold it longer). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly method?: string;
  readonly body?: unknown;
  /** For request(): the largest body read; more fails the request (a proxied service cannot grow memory without bound). */
  readonly maxBytes?: number;
  /** How long to wait for the response headers (a half-open connection never sends them). */
  readonly headersTimeoutMs?: number;
  /** For request(): the body is read into one of these buffers (to be given back), not a new one. */
  readonly into?: BodyBuffers;
  /** For request() with `into`: about how large the body will be, when the server does not say. */
  readonly expectedBytes?: number;
}

/** A list answer whose bytes are to be given back (release) once its last slice was read. */
export interface ListPage extends ListBody {
  release(): void;
}

/** Whether a line holds nothing but whitespace (a keep-alive newline, a CR before the LF). */
function isBlank(line: Buffer): boolean {
  for (const byte of line) if (byte !== 0x20 && byte !== 0x0d && byte !== 0x09) return false;
  return true;
}

function networkError(error: NodeJS.ErrnoException, server: string): KubeApiError {
  const code = error.code ?? '';
  const reason =
    code === 'ECONNREFUSED'
      ? `connection refused by ${server} (is the cluster running?)`
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `the host of ${server} could not be resolved`
        : code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT'
          ? `${server} did not answer in time`
          : /CERT|SSL|TLS|self.signed|unable to verify/i.test(code + error.message)
            ? `the TLS certificate of ${server} is not trusted (${error.message})`
            : `${server} could not be reached: ${error.message}`;
  return new KubeApiError(0, code || 'NetworkError', reason);
}

/**
 * A small Kubernetes API client on Node's own http(s): JSON requests and line-delimited watch
 * streams on keep-alive connections. Credentials, TLS and proxy come from the cluster's session
 * (@kubernetes/client-node applies the kubeconfig); the streaming is ours (the library's typed
 * lists cost 3x the CPU and drop unknown fields, its watch never re-lists).
 */
export class KubeClient {
  private readonly base: URL;
  private readonly credentials: ClusterCredentials;
  /** List pages are read into these, reused page after page (shared by every client). */
  private readonly bodyBuffers = listBodyBuffers;
  /**
   * The size of the largest answer to each list: a real API server sends a large list without its
   * length (chunked), and a page's buffer grown as its chunks came (256 KB, 512 KB, ... 4 MB)
   * was new memory several times over (see BodyBuffers). A type's pages are about as large.
   */
  private readonly answerBytes = new Map<string, number>();

  constructor(readonly access: ClusterAccess) {
    this.base = new URL(access.server);
    this.credentials = new ClusterCredentials(access);
  }

  get server(): string {
    return this.access.server;
  }

  async getJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const { body } = await this.request(path, options);
    // Parsing (and what the caller does with the answer, e.g. summarizing a list page) waits
    // for its turn: pages that arrive together do not stall the event loop together.
    await nextTurn();
    return this.parseAnswer(path, () => JSON.parse(body.toString('utf8')) as T);
  }

  /**
   * A list answer, its items to be parsed a slice (about `sliceBytes` of them) at a time, with
   * only what `read.keep` names when it is given and without the items `read.unchanged` knows;
   * see ListBody. The envelope is parsed in a turn of its own, as getJson's answers are.
   */
  async getList(path: string, sliceBytes: number, options: RequestOptions = {}, read: Pick<ListBodyOptions, 'keep' | 'unchanged'> = {}): Promise<ListPage> {
    const collection = path.split('?')[0];
    const { body } = await this.request(path, { ...options, into: this.bodyBuffers, expectedBytes: this.answerBytes.get(collection) });
    // Read again: the next page of the same list may have ended meanwhile.
    this.answerBytes.set(collection, Math.max(body.length, this.answerBytes.get(collection) ?? 0));
    await nextTurn();
    const release = () => this.bodyBuffers.give(body);
    const list = await readListBody(body, sliceBytes, read).catch(() => {
      release();
      return Promise.reject(this.badResponse(path));
    });
    return { ...list, slice: (index) => this.parseAnswer(path, () => list.slice(index)), release };
  }

  /** What `parse` makes of the answer to `path`; an answer that is not JSON is a BadResponse. */
  private parseAnswer<T>(path: string, parse: () => T): T {
    try {
      return parse();
    } catch {
      throw this.badResponse(path);
    }
  }

  private badResponse(path: string): KubeApiError {
    return new KubeApiError(0, 'BadResponse', `${this.server}${path} did not answer with JSON`);
  }

  async request(path: string, options: RequestOptions = {}): Promise<{ status: number; body: Buffer }> {
    const deadline = options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined;
    const signal = deadline && options.signal ? AbortSignal.any([deadline, options.signal]) : (deadline ?? options.signal);
    let body: Buffer;
    let response: http.IncomingMessage;
    let session: ClusterSession;
    try {
      ({ response, session } = await this.open(path, { ...options, signal }, true));
      body = await readBody(decoded(response), signal, options.maxBytes, options.into, expectedBytes(response, options));
    } catch (error) {
      if (deadline?.aborted && !options.signal?.aborted) throw new KubeApiError(0, 'Timeout', `${this.server} did not answer completely within ${options.timeoutMs} ms`);
      // zlib's codes: the answer said it was gzipped and was not.
      if (String((error as NodeJS.ErrnoException).code).startsWith('Z_')) throw new KubeApiError(0, 'BadResponse', `${this.server}${path} sent a compressed answer that does not inflate`);
      throw error;
    }
    const status = response.statusCode ?? 0;
    if (status >= 400) {
      throw this.statusError(response, body, session);
    }
    return { status, body };
  }

  /**
   * Streams watch events to `onEvent` until the server ends the stream (resolves) or it fails
   * (rejects). An ERROR event (such as 410 Expired) rejects with its Status as a KubeApiError.
   */
  async watch(
    path: string,
    onEvent: (event: WatchEvent) => void,
    /** keep: what of each event's object to parse (see parseWatchEvent); everything but managedFields when not given. */
    options: RequestOptions & { idleTimeoutMs: number; onOpen?: () => void; keep?: MemberShape },
  ): Promise<void> {
    const { response, session } = await this.open(path, { ...options, timeoutMs: undefined });
    const status = response.statusCode ?? 0;
    if (status >= 400) {
      throw this.statusError(response, await readBody(response, options.signal), session);
    }
    options.onOpen?.();
    return new Promise<void>((resolve, reject) => {
      // The bytes of a line not ended yet (a line can span chunks).
      let partial: Buffer[] = [];
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(idle);
        options.signal?.removeEventListener('abort', onAbort);
        response.destroy();
        if (error) reject(error);
        else resolve();
      };
      let idle = setTimeout(() => finish(new KubeApiError(0, 'WatchIdle', 'the watch stream went silent')), options.idleTimeoutMs);
      const onAbort = () => finish();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      // One event, or why the watch ends (it must stop at a line that is not JSON or an ERROR).
      const deliver = (line: Buffer): Error | undefined => {
        let event: WatchEvent;
        try {
          event = parseWatchEvent(line, options.keep);
        } catch {
          return new KubeApiError(0, 'BadResponse', 'the watch stream sent something that is not JSON');
        }
        if (event.type === 'ERROR') {
          const s = event.object as { code?: number; reason?: string; message?: string };
          return new KubeApiError(Number(s.code ?? 500), String(s.reason ?? 'Error'), String(s.message ?? 'watch error'));
        }
        try {
          onEvent(event);
        } catch (error) {
          return error as Error;
        }
        return undefined;
      };
      // A busy cluster's watches deliver hundreds of events at once, and every stream's chunks
      // are read in one pass of the event loop: they are handled a batch per turn (nextTurn), the
      // stream paused meanwhile, so that timers and other work run between batches. Lines read
      // before the stream ended are still delivered.
      let lines: Buffer[] = [];
      let delivered = 0;
      let draining = false;
      let ended = false;
      const drain = async () => {
        draining = true;
        response.pause();
        while (delivered < lines.length && !settled) {
          await nextTurn();
          for (let n = 0; n < watchEventsPerTurn && delivered < lines.length && !settled; n++) {
            const error = deliver(lines[delivered++]);
            if (error) finish(error);
          }
        }
        lines = [];
        delivered = 0;
        draining = false;
        if (ended) finish();
        else if (!settled) response.resume();
      };
      // Lines are kept as bytes: only what an event's summary reads of them is decoded and parsed.
      response.on('data', (chunk: Buffer) => {
        clearTimeout(idle);
        idle = setTimeout(() => finish(new KubeApiError(0, 'WatchIdle', 'the watch stream went silent')), options.idleTimeoutMs);
        let start = 0;
        for (let newline = chunk.indexOf(0x0a); newline >= 0; newline = chunk.indexOf(0x0a, start)) {
          const line = partial.length ? Buffer.concat([...partial, chunk.subarray(start, newline)]) : chunk.subarray(start, newline);
          partial = [];
          if (!isBlank(line)) lines.push(line);
          start = newline + 1;
        }
        if (start < chunk.length) partial.push(chunk.subarray(start));
        if (!draining) void drain();
      });
      // A stream cut without an error (server restart, dropped watch) ends the watch; the caller re-watches.
      const onEnd = () => {
        ended = true;
        if (!draining) finish();
      };
      response.on('end', onEnd);
      response.on('close', onEnd);
      response.on('error', (error: NodeJS.ErrnoException) => finish(options.signal?.aborted ? undefined : networkError(error, this.server)));
    });
  }

  dispose(): void {
    this.credentials.dispose();
  }

  private statusError(response: http.IncomingMessage, body: Buffer, session: ClusterSession): KubeApiError {
    const status = response.statusCode ?? 0;
    let reason = http.STATUS_CODES[status] ?? 'Error';
    let message = `${status} ${reason}`;
    try {
      const parsed = JSON.parse(body.toString('utf8')) as { reason?: string; message?: string };
      reason = parsed.reason ?? reason;
      message = parsed.message ?? message;
    } catch {
      // not a Status object: keep the HTTP wording
    }
    if (status === 401) {
      // An expired or revoked credential: the next request applies the kubeconfig again.
      this.credentials.invalidate(session);
    }
    return new KubeApiError(status, reason, message, retryAfterMs(response.headers['retry-after']));
  }

  /**
   * Sends the request; `gzip` asks for a compressed answer, as kubectl does (Go's transport asks on
   * its own). kube-apiserver then gzips any answer over 128 KB: a list page of 500 running pods
   * (3.1 MB) crosses the network as 200 KB, and the extension host decrypts and parses that
   * instead (the inflating runs on Node's thread pool). Watches do not ask: a server never
   * compresses them, and their lines are read as they come.
   */
  private async open(path: string, options: RequestOptions, gzip = false): Promise<{ response: http.IncomingMessage; session: ClusterSession }> {
    const url = new URL(path, this.base);
    // Keep a path prefix in the server URL (Rancher, proxies): join, do not replace.
    url.pathname = `${this.base.pathname.replace(/\/$/, '')}${path.split('?')[0]}`;
    let session: ClusterSession;
    try {
      session = await this.credentials.session();
    } catch (error) {
      if (error instanceof AuthConfigError) throw new KubeApiError(0, 'AuthConfig', error.message);
      throw error;
    }
    // A sync asks for its lists together, then for as many watches: each new connection costs the
    // extension host a few ms (TLS, and VS Code's patch of tls.connect reading its settings), and
    // all of them made in one turn held it for 48 ms. One request is made per turn.
    await nextTurn();
    const headers: Record<string, string> = { ...session.headers, Accept: options.accept ?? acceptJson, 'User-Agent': 'meshery-vscode' };
    if (gzip) headers['Accept-Encoding'] = 'gzip';
    let payload: Buffer | undefined;
    if (options.body !== undefined) {
      payload = Buffer.from(JSON.stringify(options.body));
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    // A ClientRequest, not http(s).request: in VS Code those are patched to route requests to any
    // host but localhost through VS Code's own agent (its proxy settings, the system's CAs), which
    // drops ours and with it the cluster's CA, client certificate and proxy-url. A cluster is
    // reached as kubectl reaches it, from its kubeconfig and the proxy environment.
    const defaultAgent = url.protocol === 'https:' ? https.globalAgent : http.globalAgent;
    return new Promise((resolve, reject) => {
      const headersTimer = options.headersTimeoutMs
        ? setTimeout(() => req.destroy(Object.assign(new Error(`no response within ${options.headersTimeoutMs} ms`), { code: 'ETIMEDOUT' })), options.headersTimeoutMs)
        : undefined;
      const request = { ...urlToHttpOptions(url), method: options.method ?? 'GET', headers, agent: session.agent, _defaultAgent: defaultAgent, signal: options.signal };
      const req = new http.ClientRequest(request, (response) => {
        clearTimeout(headersTimer);
        resolve({ response, session });
      });
      req.on('close', () => clearTimeout(headersTimer));
      if (options.timeoutMs) {
        req.setTimeout(options.timeoutMs, () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      }
      req.on('error', (error: NodeJS.ErrnoException) => reject(options.signal?.aborted ? new KubeApiError(0, 'Aborted', 'cancelled') : networkError(error, this.server)));
      req.end(payload);
    });
  }
}

/**
 * The answer's bytes as the server meant them: a gzipped answer is inflated as it comes (its
 * failures, and the answer's own, end the stream read with an error).
 */
function decoded(response: http.IncomingMessage): Readable {
  if (response.headers['content-encoding'] !== 'gzip') return response;
  return pipeline(response, createGunzip({ chunkSize: 64 * 1024 }), () => undefined);
}

/** What a body to read into reused buffers will likely take: its Content-Length (not of a compressed answer), else what the caller expects; never over 64 MB, nor over maxBytes (a header is no reason to reserve gigabytes). */
function expectedBytes(response: http.IncomingMessage, options: RequestOptions): number {
  const declared = response.headers['content-encoding'] ? NaN : Number(response.headers['content-length']);
  const expected = Number.isSafeInteger(declared) && declared > 0 ? declared : (options.expectedBytes ?? 0);
  return Math.min(expected, 64 * 1024 * 1024, options.maxBytes ?? Infinity);
}

function readBody(response: Readable, signal?: AbortSignal, maxBytes = Infinity, into?: BodyBuffers, expected = 0): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Into one of `into`'s buffers as the chunks come, the buffer grown when they outgrow it:
    // kept until the end and copied then, a page of 500 running pods (3 MB) was one piece of
    // copying of 12-22 ms in profiles of a busy extension host's re-sync.
    const chunks: Buffer[] = [];
    let body: Buffer | undefined;
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      if (size + chunk.length > maxBytes) {
        response.destroy();
        reject(new KubeApiError(0, 'TooLarge', `the answer is larger than ${maxBytes} bytes and was not read`));
        return;
      }
      if (!into) chunks.push(chunk);
      else {
        // The first buffer is as large as the answer is expected to be, so that it need not grow.
        if (!body || size + chunk.length > body.length) body = grown(into, body, size, body ? size + chunk.length : Math.max(chunk.length, expected));
        body.set(chunk, size);
      }
      size += chunk.length;
    });
    response.on('end', () => resolve(into ? (body ?? into.take(0)).subarray(0, size) : Buffer.concat(chunks, size)));
    response.on('error', (error) => reject(signal?.aborted ? new KubeApiError(0, 'Aborted', 'cancelled') : error));
  });
}

/** A buffer of `into` that holds `needed` bytes, with the `size` bytes read so far copied from `body` (given back). */
function grown(into: BodyBuffers, body: Buffer | undefined, size: number, needed: number): Buffer {
  const bigger = into.take(Math.max(needed, 2 * (body?.length ?? 0)));
  if (body) {
    bigger.set(body.subarray(0, size));
    into.give(body);
  }
  return bigger;
}

/** Retry-After as seconds or an HTTP date, at most 5 minutes (a wrong header must not stall a type for hours). */
export function retryAfterMs(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const ms = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, 300_000) : undefined;
}
