import { setMaxListeners } from 'node:events';
import { nextTurn } from '../common/turns';
import { ResourceType, collectionPath } from './apiDiscovery';
import { KubeApiError, KubeClient, ListPage, acceptJson, acceptMetadata, acceptMetadataList, acceptMetadataListOnly, acceptObjectMetadata } from './kubeClient';
import { ObjectSummary, isSecretType, needsSpec, summarize, summarizedMembers } from './objectSummary';

export type TypeSyncState =
  | { readonly state: 'syncing' }
  | { readonly state: 'synced' }
  | { readonly state: 'forbidden'; readonly reason: string }
  | { readonly state: 'error'; readonly reason: string };

/** What a list answer's envelope (the metadata-only or the full form) says of the list. */
type ListMeta = { readonly resourceVersion?: string; readonly continue?: string } | undefined;

/** What a ResourceSync reports to its cluster. */
export interface ResourceSyncHost {
  /** Makes the type's objects exactly these, in turns; stops early once `halted` says so. */
  replaceAll(type: ResourceType, objects: ObjectSummary[], halted: () => boolean): Promise<void>;
  /** The summary the inventory holds for this object, if any. */
  known(type: ResourceType, uid: string): ObjectSummary | undefined;
  upsert(type: ResourceType, object: ObjectSummary): void;
  remove(type: ResourceType, uid: string): void;
  setState(type: ResourceType, state: TypeSyncState, error?: KubeApiError): void;
  /** Limits how many initial lists run at once (a cluster with 200 types must not get 200 lists at once). */
  withListSlot<T>(work: () => Promise<T>): Promise<T>;
}

export interface ResourceSyncOptions {
  readonly pageSize: number;
  /** About how many bytes of a list page's items are parsed and summarized in one turn (see ListBody). */
  readonly sliceBytes: number;
  /** The server ends each watch after about this long (randomized), as client-go asks. */
  readonly watchTimeoutSeconds: number;
  /** A watch with no event and no bookmark for this long is presumed dead and restarted. */
  readonly idleTimeoutMs: number;
  /**
   * How long a watch request may wait for its response headers (default 30 s): a half-open
   * connection would otherwise leave the type unwatched while it shows "synced".
   */
  readonly headersTimeoutMs?: number;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  readonly random: () => number;
}

const transientFailuresBeforeError = 3;

export const defaultResourceSyncOptions: ResourceSyncOptions = {
  pageSize: 500,
  // About 70 pods with their specs, 110 objects as metadata: a few milliseconds a turn.
  sliceBytes: 64 * 1024,
  watchTimeoutSeconds: 300,
  idleTimeoutMs: 420_000,
  backoffInitialMs: 500,
  backoffMaxMs: 30_000,
  random: Math.random,
};

/**
 * Lists a type (in pages) and then watches it from the list's resourceVersion with bookmarks,
 * for as long as it runs. Supervised: a watch that ends is restarted from the last seen
 * resourceVersion; 410 Expired re-lists and reconciles (objects deleted in the gap go away);
 * other errors retry with exponential backoff and jitter. 403 stops it (reported once): retrying
 * a forbidden type is a hot loop that cannot succeed until RBAC changes.
 */
export class ResourceSync {
  private readonly controller = new AbortController();
  private halted = false;
  private resourceVersion: string | undefined;
  private running: Promise<void> | undefined;
  /** What lists and watches ask for: metadata only unless fingerprinting needs the spec. */
  private readonly accept: { readonly list: string; readonly watch: string };
  /** Secrets keep no annotations beyond an allowlist (see summarize). */
  private readonly secret: boolean;

  constructor(
    private readonly client: KubeClient,
    readonly type: ResourceType,
    private readonly host: ResourceSyncHost,
    private readonly options: ResourceSyncOptions = defaultResourceSyncOptions,
  ) {
    this.secret = isSecretType(type);
    // A Secret in full form carries its values: for Secrets there is no fallback to it.
    this.accept = needsSpec(type)
      ? { list: acceptJson, watch: acceptJson }
      : this.secret
        ? { list: acceptMetadataListOnly, watch: acceptObjectMetadata }
        : { list: acceptMetadataList, watch: acceptMetadata };
    // Every request of this sync listens on the one signal; that is by design, not a leak.
    setMaxListeners(0, this.controller.signal);
  }

  start(): Promise<void> {
    this.running ??= this.run();
    return this.running;
  }

  /**
   * Nothing more of this sync reaches its host from now on. Its requests stay open until stop():
   * closing a TLS connection takes about a millisecond, and a cluster's 60 of them closed in one
   * turn stalled the extension host at every "Discover Now" (see stopInTurns).
   */
  halt(): void {
    this.halted = true;
  }

  stop(): void {
    this.halted = true;
    this.controller.abort();
  }

  private get stopped(): boolean {
    return this.halted || this.controller.signal.aborted;
  }

  private async run(): Promise<void> {
    let needList = true;
    let attempt = 0;
    let quickEnds = 0;
    /** Transient failures in a row: only a few in a row make the type "error" (a throttled or restarting server is not a failed type). */
    let transient = 0;
    while (!this.stopped) {
      try {
        if (needList) {
          this.host.setState(this.type, { state: 'syncing' });
          await this.host.withListSlot(() => this.listAll());
          needList = false;
          this.host.setState(this.type, { state: 'synced' });
          transient = 0;
        }
        const started = Date.now();
        const events = await this.watch(() => {
          attempt = 0;
          transient = 0;
          this.host.setState(this.type, { state: 'synced' });
        });
        // A watch that ends cleanly at once with nothing in it (a proxy cutting streams, a
        // server shutting down) must not be re-opened in a hot loop: back off, as on errors.
        if (events === 0 && Date.now() - started < 1000) await this.sleep(this.backoff(quickEnds++));
        else quickEnds = 0;
      } catch (error) {
        if (this.stopped) break;
        const apiError = error instanceof KubeApiError ? error : new KubeApiError(0, 'Error', String((error as Error)?.message ?? error));
        if (apiError.isExpired) {
          // Our resourceVersion fell out of the server's history: list again and reconcile.
          needList = true;
          if (attempt++ > 0) await this.sleep(this.backoff(attempt));
          continue;
        }
        if (apiError.isForbidden) {
          this.host.setState(this.type, { state: 'forbidden', reason: apiError.message }, apiError);
          return;
        }
        if (!apiError.isTransient || ++transient >= transientFailuresBeforeError) {
          this.host.setState(this.type, { state: 'error', reason: apiError.message }, apiError);
        }
        // The server's Retry-After is a floor: retrying earlier only adds to its load.
        await this.sleep(Math.max(this.backoff(attempt++), apiError.retryAfterMs ?? 0));
      }
    }
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.options.backoffMaxMs, this.options.backoffInitialMs * 2 ** Math.min(attempt, 16));
    // Full jitter: many watches failing together must not retry together.
    return ceiling / 2 + this.options.random() * (ceiling / 2);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.controller.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      this.controller.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * The summary the inventory holds of this very version of an object. A re-list (after a 410,
   * an error, "Discover Now", at startup over the restored inventory) finds most objects so:
   * their summaries stay as they are and their bytes are not parsed (see ListBodyOptions.unchanged),
   * so a page is not a second copy of the inventory for the garbage collector to move and mark.
   */
  private readonly knownVersion = (uid: string, resourceVersion: string): ObjectSummary | undefined => {
    const known = this.host.known(this.type, uid);
    return known && resourceVersion !== '' && known.resourceVersion === resourceVersion ? known : undefined;
  };

  private async listAll(): Promise<void> {
    // Halted while waiting for a list slot.
    if (this.stopped) return;
    let objects: ObjectSummary[] = [];
    let listRv = '';
    let pageSize = this.options.pageSize;
    const fetchPage = (continueToken: string | undefined): Promise<ListPage> => {
      const query = new URLSearchParams(pageSize > 0 ? { limit: String(pageSize) } : {});
      if (continueToken) query.set('continue', continueToken);
      const page = this.client.getList(
        `${collectionPath(this.type)}?${query}`,
        this.options.sliceBytes,
        { accept: this.accept.list, signal: this.controller.signal, timeoutMs: 120_000 },
        { keep: summarizedMembers(this.type.kind), unchanged: this.knownVersion },
      );
      // Awaited below unless the sync stops first: its failure must not go unhandled then.
      page.catch(() => undefined);
      return page;
    };
    let continueToken: string | undefined;
    let next = fetchPage(undefined);
    while (!this.stopped) {
      let page: ListPage;
      try {
        page = await next;
      } catch (error) {
        // The continue token expired (compaction on a busy cluster): paging again could expire
        // again and again, so list once in full, as client-go's pager does (FullListIfExpired).
        if (!continueToken || !(error instanceof KubeApiError) || !error.isExpired) throw error;
        objects = [];
        pageSize = 0;
        continueToken = undefined;
        next = fetchPage(undefined);
        continue;
      }
      const metadata = page.envelope.metadata as ListMeta;
      listRv = metadata?.resourceVersion ?? listRv;
      continueToken = metadata?.continue || undefined;
      // The next page is asked for before this one is summarized: the server prepares it meanwhile.
      if (continueToken) next = fetchPage(continueToken);
      for (const summary of page.unchanged as ObjectSummary[]) objects.push(summary);
      for (let slice = 0; slice < page.sliceCount && !this.stopped; slice++) {
        if (slice > 0) await nextTurn();
        for (const item of page.slice(slice) as (Record<string, unknown> | null)[]) {
          if (!item || typeof item !== 'object') continue;
          const summary = summarize(item, this.secret, this.type.kind);
          if (summary) objects.push(summary);
        }
      }
      page.release();
      if (!continueToken) break;
    }
    if (this.stopped) return;
    await this.host.replaceAll(this.type, objects, () => this.stopped);
    if (this.stopped) return;
    this.resourceVersion = listRv;
  }

  /** Watches until the server ends the stream; returns how many events (bookmarks included) it carried. */
  private async watch(onOpen: () => void): Promise<number> {
    if (this.stopped) return 0;
    let events = 0;
    const timeout = Math.round(this.options.watchTimeoutSeconds * (1 + this.options.random()));
    const query = new URLSearchParams({
      watch: 'true',
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(timeout),
      resourceVersion: this.resourceVersion ?? '',
    });
    await this.client.watch(
      `${collectionPath(this.type)}?${query}`,
      (event) => {
        if (this.stopped) return;
        events++;
        const rv = (event.object.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
        if (event.type === 'BOOKMARK') {
          if (rv) this.resourceVersion = rv;
          return;
        }
        const summary = summarize(event.object, this.secret, this.type.kind);
        if (!summary) return;
        if (event.type === 'DELETED') this.host.remove(this.type, summary.uid);
        else this.host.upsert(this.type, summary);
        this.resourceVersion = rv ?? this.resourceVersion;
      },
      {
        accept: this.accept.watch,
        signal: this.controller.signal,
        idleTimeoutMs: this.options.idleTimeoutMs,
        headersTimeoutMs: this.options.headersTimeoutMs ?? 30_000,
        onOpen,
        keep: summarizedMembers(this.type.kind),
      },
    );
    return events;
  }
}

/**
 * Stops syncs a few at a time, a turn between: each closes its connections (see halt), so
 * stopping a cluster's 60 types at once was one long stall. The syncs are halted at once.
 */
export async function stopInTurns(syncs: readonly ResourceSync[], perTurn = 8): Promise<void> {
  for (const sync of syncs) sync.halt();
  for (let i = 0; i < syncs.length; i++) {
    if (i > 0 && i % perTurn === 0) await nextTurn();
    syncs[i].stop();
  }
}
