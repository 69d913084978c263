import { randomUUID } from 'node:crypto';
import { FieldWriter, ManagedFieldsEntry, managedFieldsAfter } from './managedFields';
import { SimResourceType, apiVersionOf, builtinResourceTypes, typeKey, typesFromCrd } from './resourceTypes';

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown> & {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
  };
  [key: string]: unknown;
};

/**
 * One stored version of an object. Only its JSON text is kept (parsed on demand) so 100k objects
 * stay cheap; its PartialObjectMetadata form is made from the text's metadata when asked for,
 * not kept beside it. Under a 5,000/s churn every version lives on in the watch history, and a
 * second copy of the metadata (most of an object's bytes, with managedFields) doubled the
 * server's heap (3.0 GB against 1.6 after two syncs and two minutes of churn) and its garbage
 * collection: its watch events reached the client up to 353 ms late (p99) against 131.
 */
export class StoredObject {
  constructor(
    readonly key: string,
    readonly namespace: string,
    readonly name: string,
    readonly labels: Record<string, string>,
    readonly rv: number,
    readonly json: string,
    /** Where the metadata's JSON object starts and ends in `json`. */
    private readonly metadataStart: number,
    private readonly metadataEnd: number,
  ) {}

  /** The PartialObjectMetadata form, for metadata-only and Table answers. */
  get metadataJson(): string {
    return `{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":${this.json.slice(this.metadataStart, this.metadataEnd)}}`;
  }
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  readonly type: WatchEventType;
  readonly typeKey: string;
  readonly rv: number;
  readonly object: StoredObject;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

const crdKey = typeKey('apiextensions.k8s.io', 'customresourcedefinitions');

/**
 * The simulated cluster's state: typed object collections, one global resourceVersion counter (as
 * etcd's revision), and a bounded history of changes that watches replay from. History older
 * than the window is "compacted": a watch or a continue token from before it gets 410 Expired.
 */
export class ObjectStore {
  private revision = 1000;
  private compactedRevision = 1000;
  /** The history is history[historyStart..]: dropping the oldest event must not shift the others (it ran at every change of a 5,000/s churn). */
  private history: StoreEvent[] = [];
  private historyStart = 0;
  private readonly collections = new Map<string, Map<string, StoredObject>>();
  private readonly sortedKeys = new Map<string, string[]>();
  /** The objects in key order, rebuilt only after a change to the type (lists are read far more than written). */
  private readonly sortedObjects = new Map<string, StoredObject[]>();
  private readonly types = new Map<string, SimResourceType[]>();
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly typeListeners = new Set<() => void>();

  /** Writers when a caller names none (objects loaded from a scenario, say). */
  static readonly defaultWriters: readonly FieldWriter[] = [{ manager: 'simcluster' }];

  /** With `managedFields`, every write records its writer in `metadata.managedFields`, as the API server does. */
  constructor(
    private readonly historyLimit = 200_000,
    private readonly managedFields = true,
  ) {
    for (const type of builtinResourceTypes) {
      this.addType(type);
    }
  }

  get resourceVersion(): number {
    return this.revision;
  }

  get oldestWatchableRevision(): number {
    return this.compactedRevision;
  }

  /** Served types, grouped: every served version of each group/resource. */
  servedTypes(): SimResourceType[] {
    return [...this.types.values()].flat();
  }

  findType(group: string, version: string, resource: string): SimResourceType | undefined {
    return this.types.get(typeKey(group, resource))?.find((t) => t.version === version);
  }

  onChange(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onTypesChange(listener: () => void): () => void {
    this.typeListeners.add(listener);
    return () => this.typeListeners.delete(listener);
  }

  /** Changes after `fromRv` for one type, or undefined when the history no longer reaches back that far. */
  eventsSince(key: string, fromRv: number): StoreEvent[] | undefined {
    if (fromRv < this.compactedRevision) {
      return undefined;
    }
    // History is in revision order: binary search for the first event after fromRv.
    let lo = this.historyStart;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid].rv <= fromRv) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo).filter((e) => e.typeKey === key);
  }

  /** A write elsewhere (etcd's revision is global): the revision moves on with no change here. */
  advanceRevision(): void {
    this.revision++;
  }

  /** Forgets all history: every watch or continue token from before now gets 410 Expired. */
  compact(): void {
    this.history = [];
    this.historyStart = 0;
    this.compactedRevision = this.revision;
  }

  list(key: string, namespace?: string): StoredObject[] {
    const collection = this.collections.get(key);
    if (!collection) {
      return [];
    }
    let keys = this.sortedKeys.get(key);
    if (!keys) {
      keys = [...collection.keys()].sort();
      this.sortedKeys.set(key, keys);
    }
    let ordered = this.sortedObjects.get(key);
    if (!ordered) {
      ordered = keys.map((k) => collection.get(k)!);
      this.sortedObjects.set(key, ordered);
    }
    return namespace === undefined ? ordered : ordered.filter((o) => o.namespace === namespace);
  }

  count(key?: string): number {
    if (key) {
      return this.collections.get(key)?.size ?? 0;
    }
    let n = 0;
    for (const c of this.collections.values()) n += c.size;
    return n;
  }

  get(key: string, namespace: string, name: string): StoredObject | undefined {
    return this.collections.get(key)?.get(objectKey(namespace, name));
  }

  create(type: SimResourceType, object: KubeObject, now = new Date(), writers = ObjectStore.defaultWriters): StoredObject {
    const key = typeKey(type.group, type.resource);
    const metadata = { ...(object.metadata ?? {}) };
    const name = metadata.name;
    if (!name && typeof metadata.generateName === 'string') {
      metadata.name = `${metadata.generateName}${randomUUID().slice(0, 5)}`;
    }
    if (!metadata.name) {
      throw new ApiError(422, 'Invalid', `${type.kind} "" is invalid: metadata.name: Required value: name or generateName is required`);
    }
    const namespace = type.namespaced ? String(metadata.namespace ?? 'default') : '';
    if (this.get(key, namespace, metadata.name)) {
      throw new ApiError(409, 'AlreadyExists', `${type.resource}${type.group ? '.' + type.group : ''} "${metadata.name}" already exists`, {
        name: metadata.name,
        group: type.group,
        kind: type.resource,
      });
    }
    if (type.namespaced && namespace && !this.get(typeKey('', 'namespaces'), '', namespace) && key !== typeKey('', 'namespaces')) {
      throw new ApiError(404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
    }
    if (type.namespaced) metadata.namespace = namespace;
    else delete metadata.namespace;
    metadata.uid = typeof metadata.uid === 'string' ? metadata.uid : randomUUID();
    metadata.creationTimestamp = typeof metadata.creationTimestamp === 'string' ? metadata.creationTimestamp : timestamp(now);
    metadata.generation = 1;
    const created = { ...object, apiVersion: apiVersionOf(type), kind: type.kind, metadata };
    this.recordWriters(created, undefined, writers, now);
    return this.commit('ADDED', type, created);
  }

  update(type: SimResourceType, object: KubeObject, writers = ObjectStore.defaultWriters): StoredObject {
    const key = typeKey(type.group, type.resource);
    const name = object.metadata?.name ?? '';
    const namespace = type.namespaced ? String(object.metadata?.namespace ?? 'default') : '';
    const existing = this.get(key, namespace, name);
    if (!existing) {
      throw new ApiError(404, 'NotFound', `${type.resource}${type.group ? '.' + type.group : ''} "${name}" not found`, { name, group: type.group, kind: type.resource });
    }
    const requested = object.metadata?.resourceVersion;
    if (requested && Number(requested) !== existing.rv) {
      throw new ApiError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${type.resource}${type.group ? '.' + type.group : ''} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name, group: type.group, kind: type.resource },
      );
    }
    const previous = JSON.parse(existing.json) as KubeObject;
    const previousMeta = previous.metadata ?? {};
    const metadata = {
      ...(object.metadata ?? {}),
      uid: previousMeta.uid,
      creationTimestamp: previousMeta.creationTimestamp,
      generation: Number(previousMeta.generation ?? 1) + (JSON.stringify(object.spec) !== JSON.stringify(previous.spec) ? 1 : 0),
    } as KubeObject['metadata'];
    if (type.namespaced) metadata!.namespace = namespace;
    const updated = { ...object, apiVersion: apiVersionOf(type), kind: type.kind, metadata };
    this.recordWriters(updated, previousMeta.managedFields as ManagedFieldsEntry[] | undefined, writers, new Date());
    return this.commit('MODIFIED', type, updated);
  }

  /** What a client sends in managedFields is not taken: the server keeps them from the stored object. */
  private recordWriters(object: KubeObject, previous: ManagedFieldsEntry[] | undefined, writers: readonly FieldWriter[], now: Date): void {
    const metadata = object.metadata!;
    delete metadata.managedFields;
    if (!this.managedFields) return;
    metadata.managedFields = managedFieldsAfter(previous, writers, object.apiVersion!, object, timestamp(now));
  }

  delete(type: SimResourceType, namespace: string, name: string): StoredObject {
    const key = typeKey(type.group, type.resource);
    const existing = this.get(key, type.namespaced ? namespace : '', name);
    if (!existing) {
      throw new ApiError(404, 'NotFound', `${type.resource}${type.group ? '.' + type.group : ''} "${name}" not found`, { name, group: type.group, kind: type.resource });
    }
    if (key === typeKey('', 'namespaces')) {
      // Deleting a namespace deletes what is in it (immediately; a real cluster finalizes over time).
      for (const [otherKey, collection] of [...this.collections]) {
        for (const obj of [...collection.values()]) {
          if (obj.namespace === name) {
            const otherType = this.types.get(otherKey)![0];
            this.delete(otherType, obj.namespace, obj.name);
          }
        }
      }
    }
    const previous = JSON.parse(existing.json) as KubeObject;
    return this.commit('DELETED', type, previous);
  }

  private commit(eventType: WatchEventType, type: SimResourceType, object: KubeObject): StoredObject {
    const key = typeKey(type.group, type.resource);
    this.revision++;
    const metadata = object.metadata!;
    metadata.resourceVersion = String(this.revision);
    delete (metadata as Record<string, unknown>).deletionTimestamp;
    const namespace = String(metadata.namespace ?? '');
    const stored = new StoredObject(objectKey(namespace, metadata.name!), namespace, metadata.name!, (metadata.labels as Record<string, string>) ?? {}, this.revision, ...encoded(object));
    let collection = this.collections.get(key);
    if (!collection) {
      collection = new Map();
      this.collections.set(key, collection);
    }
    const isNewKey = !collection.has(stored.key);
    if (eventType === 'DELETED') {
      collection.delete(stored.key);
      this.sortedKeys.delete(key);
    } else {
      collection.set(stored.key, stored);
      if (isNewKey) this.sortedKeys.delete(key);
    }
    this.sortedObjects.delete(key);
    const event: StoreEvent = { type: eventType, typeKey: key, rv: this.revision, object: stored };
    this.history.push(event);
    if (this.history.length - this.historyStart > this.historyLimit) {
      this.historyStart = this.history.length - this.historyLimit;
      this.compactedRevision = this.history[this.historyStart - 1].rv;
      // The dropped events go once they are half the array: each event is copied at most once.
      if (this.historyStart * 2 > this.history.length) {
        this.history = this.history.slice(this.historyStart);
        this.historyStart = 0;
      }
    }
    if (key === crdKey) {
      this.applyCrd(eventType, object);
    }
    for (const listener of this.listeners) listener(event);
    return stored;
  }

  private addType(type: SimResourceType): void {
    const key = typeKey(type.group, type.resource);
    const versions = (this.types.get(key) ?? []).filter((t) => t.version !== type.version);
    this.types.set(key, [...versions, type]);
  }

  /** A CRD's types appear and disappear with it, and its objects go when it goes. */
  private applyCrd(eventType: WatchEventType, crd: KubeObject): void {
    const declared = typesFromCrd(crd);
    if (declared.length === 0) {
      return;
    }
    const key = typeKey(declared[0].group, declared[0].resource);
    if (eventType === 'DELETED') {
      for (const obj of this.list(key)) {
        this.delete(declared[0], obj.namespace, obj.name);
      }
      this.types.delete(key);
      this.collections.delete(key);
      this.sortedKeys.delete(key);
      this.sortedObjects.delete(key);
    } else {
      this.types.set(key, declared);
    }
    for (const listener of this.typeListeners) listener();
  }
}

/** A time as the API server writes it (RFC 3339, whole seconds). */
function timestamp(at: Date): string {
  return at.toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * A version's JSON, serialized once as a real API server encodes from its decoded object:
 * apiVersion and kind first, so that a list can leave them out of its items (see listBody), then
 * the metadata, whose place in the text is returned with it.
 */
function encoded(object: KubeObject): [json: string, metadataStart: number, metadataEnd: number] {
  const { apiVersion, kind, metadata, ...rest } = object;
  const head = `{"apiVersion":${JSON.stringify(apiVersion)},"kind":${JSON.stringify(kind)},"metadata":`;
  const metadataJson = JSON.stringify(metadata);
  const restJson = JSON.stringify(rest);
  const json = `${head}${metadataJson}${restJson === '{}' ? '}' : ',' + restJson.slice(1)}`;
  return [json, head.length, head.length + metadataJson.length];
}

export function objectKey(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}
