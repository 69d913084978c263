import { Emitter } from '../common/emitter';
import { Disposable } from '../common/disposable';
import { nextTurn } from '../common/turns';
import { ResourceType, resourceTypeKey } from '../kube/apiDiscovery';
import { ObjectSummary } from '../kube/objectSummary';

export interface TypeBucket {
  readonly type: ResourceType;
  readonly objects: Map<string, ObjectSummary>;
  /** namespace -> uids, for namespace scoping and counts. */
  readonly byNamespace: Map<string, Set<string>>;
}

/** One precise change, for sinks that must see every change (the store persister). */
export type InventoryMutation =
  | { readonly op: 'upsert'; readonly clusterId: string; readonly type: ResourceType; readonly object: ObjectSummary }
  | { readonly op: 'delete'; readonly clusterId: string; readonly type: ResourceType; readonly uid: string }
  | { readonly op: 'dropType'; readonly clusterId: string; readonly type: ResourceType };

/** A coalesced change: which types of which clusters changed, and how many objects, since the last one. */
export interface InventoryChange {
  readonly types: ReadonlyMap<string, ReadonlySet<string>>;
  readonly applied: number;
}

/**
 * Discovered objects of every cluster, indexed by cluster / type (group + resource) / namespace.
 * Views get a coalesced change feed (at most one change per `coalesceMs`); sinks get every mutation.
 */
export class Inventory implements Disposable {
  private readonly clusters = new Map<string, Map<string, TypeBucket>>();
  private readonly changeEmitter = new Emitter<InventoryChange>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly sinks = new Set<(mutation: InventoryMutation) => void>();
  private pending = new Map<string, Set<string>>();
  private pendingCount = 0;
  private timer: NodeJS.Timeout | undefined;

  /**
   * 25 ms: a change waits for the coalesced feed, then for the tree's own gap (220 ms, see
   * TreeChangeThrottle); at 100 ms the feed alone added 50 ms on average to every change shown.
   */
  constructor(private readonly coalesceMs = 25) {}

  addSink(sink: (mutation: InventoryMutation) => void): Disposable {
    this.sinks.add(sink);
    return { dispose: () => this.sinks.delete(sink) };
  }

  clusterIds(): string[] {
    return [...this.clusters.keys()];
  }

  buckets(clusterId: string): TypeBucket[] {
    return [...(this.clusters.get(clusterId)?.values() ?? [])];
  }

  bucket(clusterId: string, typeKey: string): TypeBucket | undefined {
    return this.clusters.get(clusterId)?.get(typeKey);
  }

  count(clusterId?: string): number {
    let n = 0;
    for (const [id, types] of this.clusters) {
      if (clusterId && id !== clusterId) continue;
      for (const b of types.values()) n += b.objects.size;
    }
    return n;
  }

  /** Makes the type's objects exactly `objects` (after a list): missing ones are removed. */
  replaceAll(clusterId: string, type: ResourceType, objects: readonly ObjectSummary[]): void {
    const before = this.bucket(clusterId, resourceTypeKey(type));
    const bucket = this.ensureBucket(clusterId, type);
    const seen = new Set<string>();
    const changed = this.putAll(clusterId, bucket, objects, seen) + this.dropUnseen(clusterId, bucket, seen);
    // A re-list that finds every object as it was ("Discover Now", a watch that expired) leaves
    // the views nothing to repaint: announcing it made the tree re-sort and re-read whole kinds.
    if (changed > 0 || bucket !== before) this.touch(clusterId, type, changed);
  }

  /**
   * replaceAll, `sliceSize` objects a turn: committing a kind of 22,000 pods (each put also tells
   * every sink) in one turn held the extension host for tens of ms. The kind is partly replaced in
   * between, as if its objects arrived one by one. Stops when `halted` says so, or when the kind
   * was removed meanwhile (it is not brought back).
   */
  async replaceAllInTurns(clusterId: string, type: ResourceType, objects: readonly ObjectSummary[], halted: () => boolean, sliceSize = 2000): Promise<void> {
    if (objects.length <= sliceSize) return this.replaceAll(clusterId, type, objects);
    const before = this.bucket(clusterId, resourceTypeKey(type));
    const bucket = this.ensureBucket(clusterId, type);
    if (bucket !== before) this.touch(clusterId, type, 0);
    const seen = new Set<string>();
    for (let start = 0; start < objects.length; start += sliceSize) {
      if (start > 0) {
        await nextTurn();
        if (halted() || this.bucket(clusterId, resourceTypeKey(type)) !== bucket) return;
      }
      const changed = this.putAll(clusterId, bucket, objects.slice(start, start + sliceSize), seen);
      if (changed > 0) this.touch(clusterId, type, changed);
    }
    const dropped = this.dropUnseen(clusterId, bucket, seen);
    if (dropped > 0) this.touch(clusterId, type, dropped);
  }

  /** Puts the objects, noting each in `seen`; how many changed. */
  private putAll(clusterId: string, bucket: TypeBucket, objects: readonly ObjectSummary[], seen: Set<string>): number {
    let changed = 0;
    for (const object of objects) {
      seen.add(object.uid);
      if (this.put(clusterId, bucket, object)) changed++;
    }
    return changed;
  }

  /** Drops the objects not in `seen`; how many. */
  private dropUnseen(clusterId: string, bucket: TypeBucket, seen: ReadonlySet<string>): number {
    let dropped = 0;
    for (const uid of [...bucket.objects.keys()]) {
      if (!seen.has(uid) && this.drop(clusterId, bucket, uid)) dropped++;
    }
    return dropped;
  }

  upsert(clusterId: string, type: ResourceType, object: ObjectSummary): void {
    const before = this.bucket(clusterId, resourceTypeKey(type));
    const bucket = this.ensureBucket(clusterId, type);
    if (this.put(clusterId, bucket, object) || bucket !== before) this.touch(clusterId, type, 1);
  }

  remove(clusterId: string, type: ResourceType, uid: string): void {
    const bucket = this.bucket(clusterId, resourceTypeKey(type));
    if (bucket && this.drop(clusterId, bucket, uid)) this.touch(clusterId, type, 1);
  }

  /** A type that is no longer served (its CRD was deleted): its objects go with it. */
  removeType(clusterId: string, type: ResourceType): void {
    const types = this.clusters.get(clusterId);
    if (types?.delete(resourceTypeKey(type))) {
      for (const sink of this.sinks) sink({ op: 'dropType', clusterId, type });
      this.touch(clusterId, type, 1);
    }
  }

  removeCluster(clusterId: string): void {
    for (const bucket of this.buckets(clusterId)) this.removeType(clusterId, bucket.type);
    this.clusters.delete(clusterId);
  }

  /** Fires the pending coalesced change now (tests, CLI summaries). */
  flushChanges(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const change: InventoryChange = { types: this.pending, applied: this.pendingCount };
    this.pending = new Map();
    this.pendingCount = 0;
    this.changeEmitter.fire(change);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changeEmitter.dispose();
    this.sinks.clear();
  }

  private ensureBucket(clusterId: string, type: ResourceType): TypeBucket {
    let types = this.clusters.get(clusterId);
    if (!types) {
      types = new Map();
      this.clusters.set(clusterId, types);
    }
    const key = resourceTypeKey(type);
    let bucket = types.get(key);
    if (!bucket || bucket.type.version !== type.version) {
      bucket = { type, objects: bucket?.objects ?? new Map(), byNamespace: bucket?.byNamespace ?? new Map() };
      types.set(key, bucket);
    }
    return bucket;
  }

  /** Whether it changed anything. */
  private put(clusterId: string, bucket: TypeBucket, object: ObjectSummary): boolean {
    const previous = bucket.objects.get(object.uid);
    if (previous && previous.resourceVersion === object.resourceVersion) return false;
    bucket.objects.set(object.uid, object);
    if (!previous || previous.namespace !== object.namespace) {
      if (previous) bucket.byNamespace.get(previous.namespace)?.delete(object.uid);
      let uids = bucket.byNamespace.get(object.namespace);
      if (!uids) {
        uids = new Set();
        bucket.byNamespace.set(object.namespace, uids);
      }
      uids.add(object.uid);
    }
    for (const sink of this.sinks) sink({ op: 'upsert', clusterId, type: bucket.type, object });
    return true;
  }

  /** Whether it changed anything. */
  private drop(clusterId: string, bucket: TypeBucket, uid: string): boolean {
    const previous = bucket.objects.get(uid);
    if (!previous) return false;
    bucket.objects.delete(uid);
    const uids = bucket.byNamespace.get(previous.namespace);
    uids?.delete(uid);
    if (uids?.size === 0) bucket.byNamespace.delete(previous.namespace);
    for (const sink of this.sinks) sink({ op: 'delete', clusterId, type: bucket.type, uid });
    return true;
  }

  private touch(clusterId: string, type: ResourceType, applied: number): void {
    let types = this.pending.get(clusterId);
    if (!types) {
      types = new Set();
      this.pending.set(clusterId, types);
    }
    types.add(resourceTypeKey(type));
    this.pendingCount += applied;
    this.timer ??= setTimeout(() => this.flushChanges(), this.coalesceMs);
  }
}
