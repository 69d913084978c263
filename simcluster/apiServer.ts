import * as http from 'node:http';
import * as https from 'node:https';
import { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import { ApiError, KubeObject, ObjectStore, StoredObject, StoreEvent } from './objectStore';
import { FieldWriter } from './managedFields';
import { applyPatch } from './patch';
import { ResponseForm, listBody, negotiate, objectBody, sendAnswer, sendJson, sendStatus, statusBody } from './responses';
import { SimResourceType, apiVersionOf, typeKey } from './resourceTypes';
import { SelectorError, parseFieldSelector, parseLabelSelector } from './selectors';
import { apiGroups, apiResourceList } from './discoveryDocuments';
import { readJson, readText } from './httpBodies';
import { proxyToService, review } from './requestHandlers';
import { SimTls, generateTls } from './tls';

export interface SimUser {
  readonly name: string;
  readonly token: string;
  /** Resources this user may not touch at all (403 Forbidden), as RBAC would deny them. */
  readonly forbidden?: readonly { group: string; resource: string }[];
}

export interface SimClusterOptions {
  readonly tls?: boolean;
  /** DNS names of the serving certificate instead of 127.0.0.1 and localhost (to test tls-server-name and proxies). */
  readonly serverNames?: readonly string[];
  /** The loopback address to listen on (default 127.0.0.1; 127.0.0.2 is a host VS Code does not treat as local). */
  readonly host?: string;
  readonly port?: number;
  readonly users?: readonly SimUser[];
  /** How often open watches that asked for bookmarks get one (a real server: about a minute). */
  readonly bookmarkIntervalMs?: number;
  readonly historyLimit?: number;
  /** Whether writes record metadata.managedFields, as a real API server's do (default true). */
  readonly managedFields?: boolean;
}

interface Watcher {
  readonly res: http.ServerResponse;
  readonly key: string;
  matches(object: StoredObject): boolean;
  readonly form: ResponseForm;
  readonly type: SimResourceType;
  /** The client asked for BOOKMARK events (allowWatchBookmarks=true). */
  readonly bookmarks: boolean;
}

const kubeSystem = 'kube-system';

/**
 * A Kubernetes API server that speaks the real wire protocol (JSON over HTTPS with bearer
 * tokens), backed by an in-memory ObjectStore. Enough of the API for kubectl and for the
 * extension's discovery engine: discovery, list (paged) / get / watch (bookmarks, 410),
 * create / update / patch / delete, CRDs, selectors, self-subject access reviews, the
 * metadata-only and Table forms, and the service proxy.
 */
export class SimCluster {
  readonly store: ObjectStore;
  readonly users: SimUser[];
  private server: http.Server | https.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly watchers = new Set<Watcher>();
  private readonly proxies = new Map<string, string>();
  private tls: SimTls | undefined;
  private boundPort = 0;
  private bookmarkTimer: NodeJS.Timeout | undefined;
  requestCount = 0;
  /** Answers sent gzipped (see sendAnswer). */
  gzippedAnswers = 0;

  private constructor(private readonly options: SimClusterOptions) {
    this.store = new ObjectStore(options.historyLimit, options.managedFields ?? true);
    this.users = [...(options.users ?? [{ name: 'admin', token: randomBytes(16).toString('hex') }])];
    this.store.onChange((event) => this.broadcast(event));
    this.ensureNamespace(kubeSystem);
    this.ensureNamespace('default');
  }

  static async start(options: SimClusterOptions = {}): Promise<SimCluster> {
    const cluster = new SimCluster(options);
    if (options.tls !== false) {
      cluster.tls = generateTls('meshery-simcluster', options.serverNames, cluster.host);
    }
    await cluster.listen(options.port ?? 0);
    return cluster;
  }

  get port(): number {
    return this.boundPort;
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://${this.host}:${this.boundPort}`;
  }

  get caPem(): string | undefined {
    return this.tls?.caPem;
  }

  get kubeSystemUid(): string {
    return String(JSON.parse(this.store.get(typeKey('', 'namespaces'), '', kubeSystem)!.json).metadata.uid);
  }

  /**
   * A client certificate for a user, signed by the cluster CA. The server asks every TLS client
   * for a certificate and, as kube-apiserver's x509 authenticator, takes a verified one's CN as the
   * user when no bearer token is sent.
   */
  clientCertificate(user: string): { certPem: string; keyPem: string } {
    if (!this.tls) throw new Error('the cluster serves plain HTTP: no client certificates');
    if (!this.users.some((u) => u.name === user)) throw new Error(`no user ${user}`);
    return this.tls.issueClientCertificate(user);
  }

  userToken(name: string): string {
    const user = this.users.find((u) => u.name === name);
    if (!user) throw new Error(`no user ${name}`);
    return user.token;
  }

  /** Requests to `/api/v1/namespaces/{ns}/services/{name}:{port}/proxy/...` go to `target`. */
  setProxyTarget(namespace: string, service: string, port: number | string, target: string): void {
    this.proxies.set(`${namespace}/${service}:${port}`, target.replace(/\/$/, ''));
  }

  /** A kubeconfig with one context per user (`<prefix>-<user>`), the first user's current. */
  kubeconfig(prefix = 'sim'): string {
    const cluster: Record<string, unknown> = { server: this.url };
    if (this.tls) cluster['certificate-authority-data'] = Buffer.from(this.tls.caPem).toString('base64');
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: prefix, cluster }],
      users: this.users.map((u) => ({ name: `${prefix}-${u.name}`, user: { token: u.token } })),
      contexts: this.users.map((u) => ({ name: `${prefix}-${u.name}`, context: { cluster: prefix, user: `${prefix}-${u.name}` } })),
      'current-context': `${prefix}-${this.users[0].name}`,
      preferences: {},
    });
  }

  /**
   * API groups served by an aggregated API server that is down: as kube-apiserver's aggregator
   * does (staging/src/k8s.io/kube-aggregator/pkg/apiserver/handler_proxy.go), their discovery
   * documents and resources answer 503 ServiceUnavailable, while /apis still lists the group.
   */
  readonly unavailableGroups = new Set<string>();

  /** Groups /apis lists with an empty versions list and no preferred version (an APIService being registered). */
  readonly groupsWithoutVersions = new Set<string>();

  /**
   * The longest a watch stays open, whatever timeoutSeconds the client asks (a proxy or load
   * balancer in front of the API server ends idle streams so; 0 ends them at once, cleanly).
   */
  maxWatchMs: number | undefined;

  /** Watch requests served, by type key (to see a client that re-watches in a hot loop). */
  readonly watchRequests = new Map<string, number>();

  /**
   * Watch requests are accepted and then never answered, not even with headers: a half-open
   * connection (a NAT or proxy that dropped its state) looks like this to a client.
   */
  holdWatchHeaders = false;

  /**
   * Compacts the store right after each page that has a continue token, so every continue token
   * is already too old when used (a busy cluster compacting while a large list pages through).
   */
  compactAfterEachPage = false;

  /**
   * The next `count` collection requests (lists, watches) are refused with 429 and a Retry-After,
   * as API Priority and Fairness does under load. `retriedAfterMs` records, per refused path, how
   * long the client waited before asking again.
   */
  throttle(count: number, retryAfterSeconds: number): void {
    this.throttling = { remaining: count, retryAfterSeconds };
  }
  private throttling: { remaining: number; retryAfterSeconds: number } | undefined;
  private readonly throttledAt = new Map<string, number>();
  readonly retriedAfterMs = new Map<string, number>();

  /** Watch streams open now. */
  get openWatches(): number {
    return this.watchers.size;
  }

  /** Ends every open watch stream, as an API server restart or a load balancer would. */
  dropWatches(): number {
    const n = this.watchers.size;
    for (const watcher of [...this.watchers]) {
      watcher.res.destroy();
    }
    this.watchers.clear();
    return n;
  }

  /** Stops listening (every connection is cut), waits, and listens again on the same port with the same state. */
  async restart(downMs = 200): Promise<void> {
    await this.close();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.listen(this.boundPort);
  }

  async stop(): Promise<void> {
    await this.close();
  }

  private ensureNamespace(name: string): void {
    const type = this.store.findType('', 'v1', 'namespaces')!;
    if (!this.store.get(typeKey('', 'namespaces'), '', name)) {
      this.store.create(type, { metadata: { name, labels: { 'kubernetes.io/metadata.name': name } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    }
  }

  private listen(port: number): Promise<void> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.requestCount++;
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          const apiError = error instanceof ApiError ? error : new ApiError(500, 'InternalError', String(error));
          sendStatus(res, apiError);
        } else {
          res.destroy();
        }
      });
    };
    // requestCert without rejectUnauthorized: a client without a certificate still connects and
    // authenticates with its token, as with kube-apiserver's --client-ca-file.
    const server = this.tls
      ? https.createServer({ cert: this.tls.certPem, key: this.tls.keyPem, ca: this.tls.caPem, requestCert: true, rejectUnauthorized: false }, handler)
      : http.createServer(handler);
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('secureConnection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        this.boundPort = (server.address() as { port: number }).port;
        this.bookmarkTimer = setInterval(() => this.sendBookmarks(), this.options.bookmarkIntervalMs ?? 5_000);
        this.bookmarkTimer.unref();
        resolve();
      });
    });
  }

  private async close(): Promise<void> {
    clearInterval(this.bookmarkTimer);
    this.dropWatches();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  private authenticate(req: http.IncomingMessage): SimUser | undefined {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (match) return this.users.find((u) => u.token === match[1].trim());
    const socket = req.socket as TLSSocket;
    if (!this.tls || !socket.authorized) return undefined;
    const commonName = socket.getPeerCertificate()?.subject?.CN;
    return typeof commonName === 'string' ? this.users.find((u) => u.name === commonName) : undefined;
  }

  private authorize(user: SimUser, verb: string, type: SimResourceType, namespace: string | undefined): void {
    const denied = user.forbidden?.some((f) => f.group === type.group && f.resource === type.resource);
    if (denied) {
      const where = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
      throw new ApiError(
        403,
        'Forbidden',
        `${type.resource}${type.group ? '.' + type.group : ''} is forbidden: User "${user.name}" cannot ${verb} resource "${type.resource}" in API group "${type.group}" ${where}`,
        { group: type.group, kind: type.resource },
      );
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';

    if (path === '/version') {
      return sendJson(res, 200, {
        major: '1',
        minor: '32',
        gitVersion: 'v1.32.0-meshery-sim',
        gitCommit: '0000000000000000000000000000000000000000',
        gitTreeState: 'clean',
        buildDate: '2026-01-01T00:00:00Z',
        goVersion: 'go1.23.0',
        compiler: 'gc',
        platform: 'linux/amd64',
      });
    }
    if (path === '/livez' || path === '/readyz' || path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    const user = this.authenticate(req);
    if (!user) {
      return sendJson(res, 401, statusBody(401, 'Unauthorized', 'Unauthorized'));
    }
    if (path.startsWith('/_sim/')) {
      return this.control(req, res, user, path.slice('/_sim/'.length), url.searchParams);
    }
    if (path === '/api') {
      return sendJson(res, 200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `${this.host}:${this.boundPort}` }],
      });
    }
    if (path === '/apis') {
      const listed = [...apiGroups(this.store), ...[...this.groupsWithoutVersions].map((name) => ({ name, versions: [] }))];
      return sendJson(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: listed });
    }
    const segments = path.split('/').filter(Boolean);
    let group: string;
    let version: string;
    let rest: string[];
    if (segments[0] === 'api' && segments[1]) {
      group = '';
      version = segments[1];
      rest = segments.slice(2);
    } else if (segments[0] === 'apis' && segments[1]) {
      group = segments[1];
      if (this.unavailableGroups.has(group)) throw new ApiError(503, 'ServiceUnavailable', `the server is currently unable to handle the request (${group} is unavailable)`);
      if (!segments[2]) {
        const found = apiGroups(this.store).find((g) => g.name === group);
        if (!found) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
        return sendJson(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...found });
      }
      version = segments[2];
      rest = segments.slice(3);
    } else {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    if (rest.length === 0) {
      return sendJson(res, 200, apiResourceList(this.store, group, version));
    }

    // Resolve: [namespaces, ns, resource, name?, sub...] or [resource, name?, sub...]
    let namespace: string | undefined;
    let resource: string;
    let name: string | undefined;
    let sub: string[];
    if (rest[0] === 'namespaces' && rest.length >= 3 && this.store.findType(group, version, rest[2])?.namespaced) {
      namespace = rest[1];
      resource = rest[2];
      name = rest[3];
      sub = rest.slice(4);
    } else {
      resource = rest[0];
      name = rest[1];
      sub = rest.slice(2);
    }
    const type = this.store.findType(group, version, resource);
    if (!type) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    if (group === '' && resource === 'services' && name && sub[0] === 'proxy' && namespace) {
      this.authorize(user, 'get', { ...type, resource: 'services/proxy' }, namespace);
      return proxyToService(req, res, this.store, this.proxies, namespace, name, sub.slice(1), url.search);
    }
    if (type.verbs.length === 1 && type.verbs[0] === 'create') {
      if (method !== 'POST') throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
      return review(req, res, user, type);
    }
    if (!type.namespaced) {
      namespace = undefined;
    }
    const key = typeKey(group, resource);
    if (!name && this.throttled(res, path, method)) return;
    const asked = negotiate(req.headers.accept);
    const form = asked.form;

    if (!name) {
      if (method === 'GET') {
        const watch = url.searchParams.get('watch');
        if (watch === 'true' || watch === '1') {
          this.authorize(user, 'watch', type, namespace);
          // kube-apiserver transforms each watch event into the kind asked for; one object cannot
          // become a PartialObjectMetadataList, so the transform fails, the error is logged and the
          // event goes out untransformed: the full object (staging/src/k8s.io/apiserver/pkg/endpoints/
          // handlers/watch.go, transformObject via the watch encoder). Clients must ask watches for
          // PartialObjectMetadata, as client-go's metadata informer does.
          return this.watch(req, res, type, key, namespace, url.searchParams, asked.metadataKind === 'PartialObjectMetadataList' ? 'object' : form);
        }
        this.authorize(user, 'list', type, namespace);
        return this.list(res, type, key, namespace, url.searchParams, form);
      }
      if (method === 'POST') {
        this.authorize(user, 'create', type, namespace);
        const body = (await readJson(req)) as KubeObject;
        if (type.namespaced) {
          const bodyNs = body.metadata?.namespace;
          if (bodyNs && namespace && bodyNs !== namespace) {
            throw new ApiError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
          }
          body.metadata = { ...(body.metadata ?? {}), namespace: namespace ?? bodyNs ?? 'default' };
        }
        this.assertKind(body, type);
        const created = this.store.create(type, body, new Date(), writersOf(req, url));
        return sendJson(res, 201, created.json);
      }
      throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }

    const ns = namespace ?? '';
    switch (method) {
      case 'GET': {
        this.authorize(user, 'get', type, namespace);
        const found = this.store.get(key, type.namespaced ? ns : '', name);
        if (!found) throw notFound(type, name);
        this.countSecretPayloads(type, form, 1);
        sendAnswer(res, objectBody(found, form, type), (gzipped) => gzipped && this.gzippedAnswers++);
        return;
      }
      case 'PUT': {
        this.authorize(user, 'update', type, namespace);
        const body = (await readJson(req)) as KubeObject;
        this.assertKind(body, type);
        if (body.metadata?.name !== name) throw new ApiError(400, 'BadRequest', 'the name of the object does not match the name on the URL');
        body.metadata = { ...body.metadata, namespace: type.namespaced ? ns : undefined };
        return sendJson(res, 200, this.store.update(type, body, writersOf(req, url)).json);
      }
      case 'PATCH': {
        this.authorize(user, 'patch', type, namespace);
        const found = this.store.get(key, type.namespaced ? ns : '', name);
        if (!found) throw notFound(type, name);
        const patched = applyPatch(JSON.parse(found.json), await readText(req), String(req.headers['content-type'] ?? ''));
        patched.metadata = { ...(patched.metadata ?? {}), name, namespace: type.namespaced ? ns : undefined, resourceVersion: undefined };
        return sendJson(res, 200, this.store.update(type, patched, writersOf(req, url)).json);
      }
      case 'DELETE': {
        this.authorize(user, 'delete', type, namespace);
        const deleted = this.store.delete(type, ns, name);
        return sendJson(res, 200, deleted.json);
      }
      default:
        throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
  }

  /** Test control, for the first (admin) user only: faults and churn on demand, from another process. */
  private async control(req: http.IncomingMessage, res: http.ServerResponse, user: SimUser, action: string, params: URLSearchParams): Promise<void> {
    if (user !== this.users[0]) throw new ApiError(403, 'Forbidden', 'only the admin user may control the simulated cluster');
    const number = (name: string, fallback: number) => Number(params.get(name) ?? fallback);
    switch (action) {
      case 'stats':
        return sendJson(res, 200, { objects: this.store.count(), resourceVersion: this.store.resourceVersion, watches: this.watchers.size, requests: this.requestCount });
      case 'drop-watches':
        return sendJson(res, 200, { dropped: this.dropWatches() });
      case 'compact':
        this.store.compact();
        return sendJson(res, 200, { compactedAt: this.store.resourceVersion });
      case 'restart':
        sendJson(res, 200, { restarting: true });
        req.socket.once('close', () => void this.restart(number('downMs', 200)));
        return;
      case 'churn': {
        const { churn } = await import('./churn');
        const result = await churn(this, { rate: number('rate', 100), seconds: number('seconds', 1), seed: number('seed', 1), steady: params.get('steady') === 'true' });
        return sendJson(res, 200, result);
      }
      default:
        throw new ApiError(404, 'NotFound', `unknown control action ${action}`);
    }
  }

  private assertKind(body: KubeObject, type: SimResourceType): void {
    if (body.kind && body.kind !== type.kind) {
      throw new ApiError(400, 'BadRequest', `the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersionOf(type)})`);
    }
  }

  private selection(params: URLSearchParams, namespace: string | undefined): (o: StoredObject) => boolean {
    let labels: ReturnType<typeof parseLabelSelector>;
    let fields: ReturnType<typeof parseFieldSelector>;
    try {
      labels = parseLabelSelector(params.get('labelSelector'));
      fields = parseFieldSelector(params.get('fieldSelector'));
    } catch (error) {
      if (error instanceof SelectorError) throw new ApiError(400, 'BadRequest', error.message);
      throw error;
    }
    return (o) =>
      (namespace === undefined || o.namespace === namespace) &&
      labels(o.labels) &&
      fields({ 'metadata.name': o.name, 'metadata.namespace': o.namespace });
  }

  private throttled(res: http.ServerResponse, path: string, method: string): boolean {
    if (method !== 'GET') return false;
    const refusedAt = this.throttledAt.get(path);
    if (refusedAt !== undefined && !this.retriedAfterMs.has(path)) this.retriedAfterMs.set(path, Date.now() - refusedAt);
    if (!this.throttling || this.throttling.remaining <= 0) return false;
    this.throttling.remaining--;
    this.throttledAt.set(path, Date.now());
    this.retriedAfterMs.delete(path);
    res.setHeader('Retry-After', String(this.throttling.retryAfterSeconds));
    sendJson(res, 429, statusBody(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: this.throttling.retryAfterSeconds }));
    return true;
  }

  private list(res: http.ServerResponse, type: SimResourceType, key: string, namespace: string | undefined, params: URLSearchParams, form: ResponseForm): void {
    const limit = Number(params.get('limit') ?? 0);
    const token = params.get('continue');
    let listRv = this.store.resourceVersion;
    let after: string | undefined;
    if (token) {
      try {
        const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { rv: number; after: string };
        listRv = decoded.rv;
        after = decoded.after;
      } catch {
        throw new ApiError(400, 'BadRequest', 'continue key is not valid');
      }
      if (listRv < this.store.oldestWatchableRevision) {
        throw new ApiError(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results.',
        );
      }
    }
    const matches = this.selection(params, namespace);
    // Like etcd's range read: start right after the continue key, stop once the page is full.
    const ordered = this.store.list(key, namespace);
    let start = 0;
    if (after !== undefined) {
      let hi = ordered.length;
      while (start < hi) {
        const mid = (start + hi) >> 1;
        if (ordered[mid].key <= after) start = mid + 1;
        else hi = mid;
      }
    }
    const page: StoredObject[] = [];
    let index = start;
    for (; index < ordered.length && (limit <= 0 || page.length < limit); index++) {
      if (matches(ordered[index])) page.push(ordered[index]);
    }
    const meta: Record<string, unknown> = { resourceVersion: String(listRv) };
    const filtered = params.has('labelSelector') || params.has('fieldSelector');
    let remaining = filtered ? 0 : ordered.length - index;
    if (filtered) for (let i = index; i < ordered.length; i++) if (matches(ordered[i])) remaining++;
    if (remaining > 0) {
      meta.continue = Buffer.from(JSON.stringify({ rv: listRv, after: page[page.length - 1].key })).toString('base64');
      meta.remainingItemCount = remaining;
      if (this.compactAfterEachPage) {
        this.store.advanceRevision();
        this.store.compact();
      }
    }
    this.countSecretPayloads(type, form, page.length);
    sendAnswer(res, listBody(type, page, form, meta), (gzipped) => gzipped && this.gzippedAnswers++);
  }

  private watch(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    type: SimResourceType,
    key: string,
    namespace: string | undefined,
    params: URLSearchParams,
    form: ResponseForm,
  ): void {
    const matches = this.selection(params, namespace);
    const rvParam = params.get('resourceVersion');
    const bookmarks = params.get('allowWatchBookmarks') === 'true';
    const timeoutSeconds = Number(params.get('timeoutSeconds') ?? 0);
    if (this.holdWatchHeaders) {
      this.watchRequests.set(key, (this.watchRequests.get(key) ?? 0) + 1);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache' });
    res.flushHeaders();

    const watcher: Watcher = { res, key, matches, form, type, bookmarks };
    let replay: StoreEvent[];
    if (!rvParam || rvParam === '0') {
      // "Start at the most recent": synthetic ADDED events for what exists now, then changes.
      replay = this.store
        .list(key, namespace)
        .filter(matches)
        .map((object) => ({ type: 'ADDED' as const, typeKey: key, rv: object.rv, object }));
    } else {
      const since = this.store.eventsSince(key, Number(rvParam));
      if (!since) {
        const status = statusBody(410, 'Expired', `too old resource version: ${rvParam} (${this.store.oldestWatchableRevision})`);
        res.end(JSON.stringify({ type: 'ERROR', object: status }) + '\n');
        return;
      }
      replay = since.filter((e) => matches(e.object));
    }
    for (const event of replay) {
      res.write(this.eventLine(event, form, type));
    }
    this.watchers.add(watcher);
    this.watchRequests.set(key, (this.watchRequests.get(key) ?? 0) + 1);
    let timer: NodeJS.Timeout | undefined;
    const lifetimeMs = Math.min(timeoutSeconds > 0 ? timeoutSeconds * 1000 : Infinity, this.maxWatchMs ?? Infinity);
    if (Number.isFinite(lifetimeMs)) {
      timer = setTimeout(() => {
        this.watchers.delete(watcher);
        res.end();
      }, lifetimeMs);
    }
    const done = () => {
      clearTimeout(timer);
      this.watchers.delete(watcher);
    };
    req.on('close', done);
    res.on('close', done);
  }

  private eventLine(event: StoreEvent, form: ResponseForm, type: SimResourceType): string {
    this.countSecretPayloads(type, form, 1);
    return `{"type":"${event.type}","object":${objectBody(event.object, form, type)}}\n`;
  }

  /** Secrets sent with their data (the full form), by list, get or watch: a metadata-only client must see 0. */
  secretPayloadsSent = 0;

  private countSecretPayloads(type: SimResourceType, form: ResponseForm, count: number): void {
    if (type.group === '' && type.resource === 'secrets' && form === 'object') this.secretPayloadsSent += count;
  }

  private broadcast(event: StoreEvent): void {
    for (const watcher of this.watchers) {
      if (watcher.key === event.typeKey && !watcher.res.writableEnded && watcher.matches(event.object)) {
        watcher.res.write(this.eventLine(event, watcher.form, watcher.type));
      }
    }
  }

  private sendBookmarks(): void {
    const rv = String(this.store.resourceVersion);
    for (const watcher of this.watchers) {
      if (!watcher.bookmarks || watcher.res.writableEnded) continue;
      const object =
        watcher.form === 'object'
          ? { kind: watcher.type.kind, apiVersion: apiVersionOf(watcher.type), metadata: { resourceVersion: rv, annotations: { 'k8s.io/initial-events-end': 'true' } } }
          : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: rv } };
      watcher.res.write(JSON.stringify({ type: 'BOOKMARK', object }) + '\n');
    }
  }

}

function notFound(type: SimResourceType, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${type.resource}${type.group ? '.' + type.group : ''} "${name}" not found`, {
    name,
    group: type.group,
    kind: type.resource,
  });
}

/**
 * The field manager of a write, as the API server names it: the fieldManager parameter, else the
 * client's program from its User-Agent ("kubectl/v1.31.0 (linux/amd64) ..." is kubectl).
 */
function writersOf(req: http.IncomingMessage, url: URL): FieldWriter[] {
  const agent = String(req.headers['user-agent'] ?? '').split('/')[0].trim();
  return [{ manager: url.searchParams.get('fieldManager') || agent || 'unknown' }];
}
