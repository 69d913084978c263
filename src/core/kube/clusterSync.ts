import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { Disposable } from '../common/disposable';
import { Emitter } from '../common/emitter';
import { nextTurn } from '../common/turns';
import { NewEvent } from '../events/types';
import { Inventory } from '../inventory/inventory';
import { ResourceType, collectionPath, discoverResourceTypes, resourceTypeKey } from './apiDiscovery';
import { ClusterAccess } from './kubeconfig';
import { KubeApiError, KubeClient, acceptObjectMetadata } from './kubeClient';
import { ObjectSummary, isSecretType } from './objectSummary';
import { ResourceSync, ResourceSyncHost, ResourceSyncOptions, TypeSyncState, defaultResourceSyncOptions, stopInTurns } from './resourceSync';

export type ClusterIdSource = 'kube-system-uid' | 'server-url';

export interface TypeStatus {
  readonly type: ResourceType;
  readonly state: TypeSyncState;
}

export interface ClusterStatus {
  readonly context: string;
  readonly server: string;
  readonly clusterId: string | undefined;
  readonly idSource: ClusterIdSource | undefined;
  readonly state: 'connecting' | 'syncing' | 'synced' | 'error';
  readonly reason: string | undefined;
  readonly types: readonly TypeStatus[];
  /** From start to every type having been listed once (synced, forbidden or failed). */
  readonly initialSyncMs: number | undefined;
}

export interface ClusterSyncOptions {
  readonly resourceSync: ResourceSyncOptions;
  readonly listConcurrency: number;
  readonly rediscoverDebounceMs: number;
  readonly rediscoverIntervalMs: number;
  readonly retryMaxMs: number;
}

export const defaultClusterSyncOptions: ClusterSyncOptions = {
  resourceSync: defaultResourceSyncOptions,
  listConcurrency: 16,
  rediscoverDebounceMs: 500,
  rediscoverIntervalMs: 5 * 60_000,
  retryMaxMs: 60_000,
};

const crdTypeKey = 'apiextensions.k8s.io/customresourcedefinitions';

/**
 * Discovery of one kubeconfig context: identifies the cluster (kube-system UID, as Meshery does),
 * discovers its resource types, runs a supervised list+watch per type into the inventory, and
 * follows CRDs being created or deleted. Problems become events, each reported once.
 */
export class ClusterSync implements Disposable {
  private readonly client: KubeClient;
  private readonly syncs = new Map<string, ResourceSync>();
  private readonly typeStates = new Map<string, TypeStatus>();
  private readonly settled = new Set<string>();
  private readonly reported = new Set<string>();
  private readonly controller = new AbortController();
  private readonly statusEmitter = new Emitter<ClusterStatus>();
  readonly onDidChangeStatus = this.statusEmitter.event;
  private clusterId: string | undefined;
  private idSource: ClusterIdSource | undefined;
  private state: ClusterStatus['state'] = 'connecting';
  private reason: string | undefined;
  private startedAt = Date.now();
  private initialSyncMs: number | undefined;
  private rediscoverTimer: NodeJS.Timeout | undefined;
  private intervalTimer: NodeJS.Timeout | undefined;
  private activeLists = 0;
  private readonly listQueue: (() => void)[] = [];
  private initialSync = deferred();
  /** Types whose last request was refused with 401: while any is, the cluster is in error. */
  private readonly unauthorizedTypes = new Set<string>();
  private discovered = false;
  /** Groups whose discovery document failed last time: their types are unknown, not gone. */
  private unreadableGroups = new Set<string>();
  /** Settles at the initial sync or at the first failure, whichever comes first. */
  private firstOutcome = deferred();

  constructor(
    readonly access: ClusterAccess,
    private readonly inventory: Inventory,
    private readonly report: (event: NewEvent) => void,
    private readonly options: ClusterSyncOptions = defaultClusterSyncOptions,
  ) {
    this.client = new KubeClient(access);
    // Discovery sends one request per API group at once, all on this signal.
    setMaxListeners(0, this.controller.signal);
  }

  /** Resolves once every type has been listed once (or the sync was stopped). */
  whenInitiallySynced(): Promise<void> {
    return this.initialSync.promise;
  }

  /** Resolves at the initial sync or at the first failure (for one-shot callers such as the CLI). */
  whenSettled(): Promise<void> {
    return this.firstOutcome.promise;
  }

  get id(): string | undefined {
    return this.clusterId;
  }

  status(): ClusterStatus {
    return {
      context: this.access.context,
      server: this.access.server,
      clusterId: this.clusterId,
      idSource: this.idSource,
      state: this.state,
      reason: this.reason,
      types: [...this.typeStates.values()],
      initialSyncMs: this.initialSyncMs,
    };
  }

  /** The client this cluster is discovered with (for service-proxy requests). */
  get kubeClient(): KubeClient {
    return this.client;
  }

  /**
   * Reads one object live from the cluster (for the read-only YAML view). A Secret is asked for
   * in metadata form, so its values never cross the wire to this process.
   */
  getObject(type: ResourceType, namespace: string, name: string): Promise<Record<string, unknown>> {
    const base = collectionPath(type).replace(/\/[^/]+$/, '');
    const path = type.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${type.resource}/${encodeURIComponent(name)}` : `${collectionPath(type)}/${encodeURIComponent(name)}`;
    return this.client.getJson(path, { timeoutMs: 15_000, maxBytes: 16 * 1024 * 1024, ...(isSecretType(type) ? { accept: acceptObjectMetadata } : {}) });
  }

  start(): void {
    this.startedAt = Date.now();
    void this.run();
  }

  dispose(): void {
    this.controller.abort();
    clearTimeout(this.rediscoverTimer);
    clearInterval(this.intervalTimer);
    const syncs = [...this.syncs.values()];
    this.syncs.clear();
    // Halted now, their connections closed over the next turns, then the client's idle ones.
    void stopInTurns(syncs).then(() => this.client.dispose());
    this.initialSync.resolve();
    this.firstOutcome.resolve();
    this.statusEmitter.dispose();
  }

  private get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  private async run(): Promise<void> {
    // Reading the kubeconfig (Discovery.start) and contacting the cluster (loading the client
    // library, applying credentials) are turns of their own as the window starts.
    await nextTurn();
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.identify();
        const { types, failedGroups } = await discoverResourceTypes(this.client, this.controller.signal);
        for (const failed of failedGroups) {
          this.reportOnce(`group:${failed.groupVersion}`, {
            severity: 'warning',
            action: 'discover',
            description: `Context ${this.access.context}: the API group ${failed.groupVersion} could not be read (${failed.reason}); its types are skipped.`,
          });
        }
        this.discovered = true;
        this.setState('syncing');
        this.applyTypes(types, failedGroups);
        if (types.length === 0) this.checkInitialSync();
        this.intervalTimer = setInterval(() => this.scheduleRediscovery(0), this.options.rediscoverIntervalMs);
        this.intervalTimer.unref?.();
        return;
      } catch (error) {
        if (this.stopped) return;
        const apiError = error instanceof KubeApiError ? error : new KubeApiError(0, 'Error', String((error as Error)?.message ?? error));
        this.fail(apiError);
        const wait = Math.max(Math.min(this.options.retryMaxMs, 1000 * 2 ** attempt), apiError.retryAfterMs ?? 0);
        await new Promise((resolve) => setTimeout(resolve, wait).unref?.());
      }
    }
  }

  private async identify(): Promise<void> {
    if (this.clusterId) return;
    try {
      const ns = await this.client.getJson<{ metadata?: { uid?: string } }>('/api/v1/namespaces/kube-system', {
        signal: this.controller.signal,
        timeoutMs: 15_000,
      });
      if (!ns.metadata?.uid) throw new KubeApiError(0, 'BadResponse', 'the kube-system namespace has no uid');
      this.clusterId = ns.metadata.uid;
      this.idSource = 'kube-system-uid';
    } catch (error) {
      if (!(error instanceof KubeApiError) || (error.status !== 403 && error.status !== 404)) throw error;
      // Many users may not read kube-system: identify the cluster by its URL instead, and say so.
      this.clusterId = `server-${createHash('sha256').update(this.access.server).digest('hex').slice(0, 16)}`;
      this.idSource = 'server-url';
      this.reportOnce('identity', {
        severity: 'warning',
        action: 'identify',
        description:
          `Context ${this.access.context}: reading namespace kube-system was refused (${error.message}), so this cluster is identified by its ` +
          `server URL ${this.access.server}. Another context reaching the same cluster through another URL will look like a different cluster.`,
      });
    }
    this.reported.delete('unauthorized');
    this.reported.delete('unreachable');
  }

  private fail(error: KubeApiError): void {
    this.reason = error.message;
    this.setState('error');
    this.firstOutcome.resolve();
    if (error.isUnauthorized) {
      this.reportOnce('unauthorized', {
        severity: 'error',
        action: 'authenticate',
        description: `Context ${this.access.context}: the cluster at ${this.access.server} refused the credentials (401 Unauthorized). Check the user "${this.access.userName}" in ${this.access.kubeconfigFile}: the token may be expired or wrong.`,
      });
    } else {
      this.reportOnce('unreachable', {
        severity: 'error',
        action: 'connect',
        description: `Context ${this.access.context}: ${error.message}. Discovery retries in the background.`,
      });
    }
  }

  private reportOnce(key: string, event: Omit<NewEvent, 'category'>): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.report({ category: 'discovery', actedUpon: this.access.context, ...event });
  }

  private setState(state: ClusterStatus['state']): void {
    if (state !== 'error') this.reason = undefined;
    this.state = state;
    this.statusEmitter.fire(this.status());
  }

  /**
   * Starts syncs for new types and stops those of types no longer served. A type of a group whose
   * document could not be read is kept as it is (unknown is not gone: an API server restarting,
   * an aggregated API down), and discovery is tried again soon so that group is read.
   */
  private applyTypes(types: readonly ResourceType[], failedGroups: readonly { group: string }[] = []): void {
    const wanted = new Map(types.map((t) => [resourceTypeKey(t), t]));
    const unreadable = new Set(failedGroups.map((g) => g.group));
    this.unreadableGroups = unreadable;
    if (unreadable.size > 0) this.scheduleRediscovery(Math.min(this.options.retryMaxMs, 10_000));
    for (const [key, sync] of this.syncs) {
      const next = wanted.get(key);
      if (!next && unreadable.has(sync.type.group)) continue;
      if (!next || next.version !== sync.type.version) {
        sync.stop();
        this.syncs.delete(key);
        this.typeStates.delete(key);
        this.settled.delete(key);
        this.unauthorizedTypes.delete(key);
        if (!next) {
          this.inventory.removeType(this.clusterId!, sync.type);
          this.report({
            category: 'discovery',
            action: 'types',
            severity: 'informational',
            actedUpon: this.access.context,
            description: `Context ${this.access.context}: ${sync.type.kind} (${key}) is no longer served; its objects were removed.`,
          });
        }
      }
    }
    const added: ResourceType[] = [];
    for (const [key, type] of wanted) {
      if (this.syncs.has(key)) continue;
      const sync = new ResourceSync(this.client, type, this.host(), this.options.resourceSync);
      this.syncs.set(key, sync);
      this.typeStates.set(key, { type, state: { state: 'syncing' } });
      added.push(type);
      void sync.start();
    }
    if (added.length > 0 && this.initialSyncMs !== undefined) {
      this.report({
        category: 'discovery',
        action: 'types',
        severity: 'informational',
        actedUpon: this.access.context,
        description: `Context ${this.access.context}: now also watching ${added.map((t) => `${t.kind} (${resourceTypeKey(t)})`).join(', ')}.`,
      });
    }
  }

  private scheduleRediscovery(delay = this.options.rediscoverDebounceMs): void {
    clearTimeout(this.rediscoverTimer);
    this.rediscoverTimer = setTimeout(() => {
      discoverResourceTypes(this.client, this.controller.signal)
        .then(({ types, failedGroups }) => !this.stopped && this.applyTypes(types, failedGroups))
        // Not reachable at all now: try again, as for a failed group.
        .catch(() => !this.stopped && this.scheduleRediscovery(Math.min(this.options.retryMaxMs, 10_000)));
    }, delay);
    this.rediscoverTimer.unref?.();
  }

  private checkInitialSync(): void {
    if (this.initialSyncMs !== undefined || this.settled.size < this.syncs.size) return;
    this.initialSyncMs = Date.now() - this.startedAt;
    const objects = this.inventory.count(this.clusterId);
    const failed = [...this.typeStates.values()].filter((t) => t.state.state !== 'synced');
    // Refused credentials keep the cluster in error until they are accepted again.
    this.setState(this.unauthorizedTypes.size > 0 ? 'error' : 'synced');
    this.report({
      category: 'discovery',
      action: 'sync',
      severity: 'success',
      actedUpon: this.access.context,
      description: `Context ${this.access.context}: discovered ${objects} objects of ${this.syncs.size - failed.length} types in ${this.initialSyncMs} ms${
        failed.length ? ` (${failed.length} type(s) not readable)` : ''
      }.`,
      metadata: { clusterId: this.clusterId, objects, types: this.syncs.size, durationMs: this.initialSyncMs },
    });
    this.removeStaleTypes();
    this.initialSync.resolve();
    this.firstOutcome.resolve();
  }

  /**
   * Objects restored from the last session, of types this cluster no longer serves (a CRD
   * deleted while VS Code was closed, an API version gone in an upgrade), would stay for ever:
   * once every type has been listed, they go, and that is said.
   */
  private removeStaleTypes(): void {
    const stale = this.inventory
      .buckets(this.clusterId!)
      .filter((bucket) => !this.syncs.has(resourceTypeKey(bucket.type)) && !this.unreadableGroups.has(bucket.type.group));
    if (stale.length === 0) return;
    const objects = stale.reduce((sum, bucket) => sum + bucket.objects.size, 0);
    for (const bucket of stale) this.inventory.removeType(this.clusterId!, bucket.type);
    this.report({
      category: 'discovery',
      action: 'types',
      severity: 'informational',
      actedUpon: this.access.context,
      description: `Context ${this.access.context}: ${objects} object(s) from the last session were removed, of types the cluster no longer serves: ${stale
        .map((b) => `${b.type.kind} (${resourceTypeKey(b.type)})`)
        .join(', ')}.`,
    });
  }

  private host(): ResourceSyncHost {
    const clusterId = () => this.clusterId!;
    const onCrdChange = (type: ResourceType) => {
      if (resourceTypeKey(type) === crdTypeKey && this.initialSyncMs !== undefined) this.scheduleRediscovery();
    };
    return {
      replaceAll: async (type: ResourceType, objects: ObjectSummary[], halted: () => boolean) => {
        await this.inventory.replaceAllInTurns(clusterId(), type, objects, halted);
        if (!halted()) onCrdChange(type);
      },
      known: (type, uid) => this.inventory.bucket(clusterId(), resourceTypeKey(type))?.objects.get(uid),
      upsert: (type, object) => {
        this.inventory.upsert(clusterId(), type, object);
        onCrdChange(type);
      },
      remove: (type, uid) => {
        this.inventory.remove(clusterId(), type, uid);
        onCrdChange(type);
      },
      setState: (type, state, error) => {
        const key = resourceTypeKey(type);
        if (!this.syncs.has(key)) return;
        this.trackAuthentication(key, state, error);
        const previous = this.typeStates.get(key)?.state.state;
        this.typeStates.set(key, { type, state });
        if (state.state === 'forbidden') {
          this.reportOnce(`forbidden:${key}`, {
            severity: 'warning',
            action: 'list',
            description: `Context ${this.access.context}: listing ${type.kind} (${key}) is forbidden (${state.reason}). It is skipped until discovery is restarted.`,
          });
        }
        if (state.state !== 'syncing') {
          this.settled.add(key);
          this.checkInitialSync();
        }
        if (previous !== state.state) this.statusEmitter.fire(this.status());
      },
      withListSlot: (work) => this.withListSlot(work),
    };
  }

  /**
   * The cluster's state follows its types: a 401 on any puts it in error (reported once per
   * episode); once none is refused any more, it is back to syncing or synced, which is said too,
   * and the next refusal is a new episode, reported again.
   */
  private trackAuthentication(key: string, state: TypeSyncState, error: KubeApiError | undefined): void {
    if (error?.isUnauthorized) {
      this.unauthorizedTypes.add(key);
      if (this.state !== 'error') this.fail(error);
      return;
    }
    if (state.state === 'syncing' || !this.unauthorizedTypes.delete(key) || this.unauthorizedTypes.size > 0) return;
    if (this.state !== 'error' || !this.discovered) return;
    this.reported.delete('unauthorized');
    this.reported.delete('unreachable');
    this.setState(this.initialSyncMs === undefined ? 'syncing' : 'synced');
    this.report({
      category: 'discovery',
      action: 'authenticate',
      severity: 'success',
      actedUpon: this.access.context,
      description: `Context ${this.access.context}: the cluster at ${this.access.server} accepts the credentials again; discovery goes on.`,
    });
  }

  private async withListSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.activeLists >= this.options.listConcurrency) {
      await new Promise<void>((resolve) => this.listQueue.push(resolve));
    }
    this.activeLists++;
    try {
      return await work();
    } finally {
      this.activeLists--;
      this.listQueue.shift()?.();
    }
  }
}

function deferred(): { resolve: () => void; promise: Promise<void> } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { resolve, promise };
}
