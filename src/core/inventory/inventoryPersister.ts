import { Disposable, DisposableStore } from '../common/disposable';
import { ResourceType, apiVersionOf, resourceTypeKey } from '../kube/apiDiscovery';
import { ObjectSummary } from '../kube/objectSummary';
import { SqlParams, Store } from '../store/store';
import { Inventory, InventoryMutation } from './inventory';

interface ObjectRow {
  cluster_id: string;
  uid: string;
  api_group: string;
  api_version: string;
  kind: string;
  namespace: string;
  name: string;
  resource_version: string | null;
  created_at: string | null;
  labels: string;
  annotations: string;
  spec: string | null;
  greenfield: number;
}

const upsertSql = `INSERT INTO objects (cluster_id, uid, api_group, api_version, kind, namespace, name, resource_version, created_at,
  labels, annotations, spec, greenfield, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (cluster_id, uid) DO UPDATE SET api_group = excluded.api_group, api_version = excluded.api_version, kind = excluded.kind,
  namespace = excluded.namespace, name = excluded.name, resource_version = excluded.resource_version, created_at = excluded.created_at,
  labels = excluded.labels, annotations = excluded.annotations, spec = excluded.spec, greenfield = excluded.greenfield, updated_at = excluded.updated_at`;

/**
 * Writes inventory changes to the store in batched transactions (every `flushMs`, the latest
 * state of each object once), and restores the last known inventory at startup. Objects are
 * derived data: they are written unjournaled, and rewritten in full if another window's save
 * is merged in.
 */
export class InventoryPersister implements Disposable {
  private readonly dirty = new Map<string, InventoryMutation>();
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables = new DisposableStore();
  private paused = false;

  constructor(
    private readonly inventory: Inventory,
    private readonly store: Store,
    private readonly flushMs = 500,
    private readonly now: () => number = Date.now,
  ) {
    this.disposables.add(inventory.addSink((m) => this.onMutation(m)));
    this.disposables.add(
      store.onDidChange(({ external }) => {
        if (external) this.rewriteAll();
      }),
    );
  }

  /**
   * Loads what was discovered in earlier sessions into the inventory, before discovery refreshes
   * it. It reads in pages and yields between them, so 100,000 stored objects do not hold up the
   * extension host (activation returns at once; the tree fills as pages arrive). Discovery must
   * start after it resolves, or a stale object could be restored after a fresh list.
   */
  async restore(pageSize = 5000): Promise<number> {
    let lastRowid = -1;
    let restored = 0;
    for (;;) {
      const rows = this.store.all<ObjectRow & { rid: number; resource: string | null; namespaced: number | null }>(
        `SELECT o.rowid AS rid, o.*, t.resource AS resource, t.namespaced AS namespaced FROM objects o
         LEFT JOIN resource_types t ON t.cluster_id = o.cluster_id AND t.api_group = o.api_group AND t.kind = o.kind
         WHERE o.rowid > ? ORDER BY o.rowid LIMIT ?`,
        [lastRowid, pageSize],
      );
      if (rows.length === 0) return restored;
      // Restoring must not write everything back: pause the sink while replaying.
      this.paused = true;
      try {
        for (const row of rows) {
          const version = row.api_version.includes('/') ? row.api_version.split('/')[1] : row.api_version;
          const type: ResourceType = { group: row.api_group, version, kind: row.kind, resource: row.resource ?? `${row.kind.toLowerCase()}s`, namespaced: row.namespaced !== 0 };
          this.inventory.upsert(row.cluster_id, type, summaryFromRow(row));
        }
      } finally {
        this.paused = false;
      }
      restored += rows.length;
      lastRowid = Number(rows[rows.length - 1].rid);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Records the types of a cluster and their sync states (for the tree at the next startup). */
  saveTypeStates(clusterId: string, states: readonly { type: ResourceType; state: string; reason?: string; count: number }[]): void {
    const now = this.now();
    this.store.write(
      (tx) =>
        tx.runMany(
          `INSERT INTO resource_types (cluster_id, api_group, version, resource, kind, namespaced, sync_state, sync_reason, object_count, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cluster_id, api_group, resource) DO UPDATE SET version = excluded.version,
           kind = excluded.kind, namespaced = excluded.namespaced, sync_state = excluded.sync_state, sync_reason = excluded.sync_reason,
           object_count = excluded.object_count, updated_at = excluded.updated_at`,
          states.map((s) => [clusterId, s.type.group, s.type.version, s.type.resource, s.type.kind, s.type.namespaced ? 1 : 0, s.state, s.reason ?? null, s.count, now]),
        ),
      { journal: false },
    );
  }

  /** Writes what is pending now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.dirty.size === 0) return;
    const upserts: SqlParams[] = [];
    const deletes: SqlParams[] = [];
    const droppedTypes: SqlParams[] = [];
    const now = this.now();
    for (const m of this.dirty.values()) {
      if (m.op === 'upsert') upserts.push(objectRow(m.clusterId, m.type, m.object, now));
      else if (m.op === 'delete') deletes.push([m.clusterId, m.uid]);
      else droppedTypes.push([m.clusterId, m.type.group, m.type.kind]);
    }
    this.dirty.clear();
    this.store.write(
      (tx) => {
        tx.runMany('DELETE FROM objects WHERE cluster_id = ? AND api_group = ? AND kind = ?', droppedTypes);
        tx.runMany('DELETE FROM objects WHERE cluster_id = ? AND uid = ?', deletes);
        tx.runMany(upsertSql, upserts);
      },
      { journal: false },
    );
  }

  dispose(): void {
    this.flush();
    this.disposables.dispose();
  }

  private onMutation(mutation: InventoryMutation): void {
    if (this.paused) return;
    if (mutation.op === 'dropType') {
      // Pending writes of objects of a type that is gone must not resurrect them.
      const typeKey = resourceTypeKey(mutation.type);
      for (const [key, pending] of this.dirty) {
        if (pending.clusterId === mutation.clusterId && resourceTypeKey(pending.type) === typeKey) this.dirty.delete(key);
      }
    }
    const key = mutation.op === 'dropType' ? `type ${mutation.clusterId} ${resourceTypeKey(mutation.type)}` : `${mutation.clusterId} ${mutation.op === 'upsert' ? mutation.object.uid : mutation.uid}`;
    this.dirty.delete(key); // keep insertion order = order of the latest change
    this.dirty.set(key, mutation);
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  /** Another window's save replaced the database content: write our whole inventory again. */
  private rewriteAll(): void {
    for (const clusterId of this.inventory.clusterIds()) {
      for (const bucket of this.inventory.buckets(clusterId)) {
        for (const object of bucket.objects.values()) this.onMutation({ op: 'upsert', clusterId, type: bucket.type, object });
      }
    }
  }
}

function summaryFromRow(row: ObjectRow): ObjectSummary {
  const spec = row.spec ? (JSON.parse(row.spec) as Pick<ObjectSummary, 'images' | 'ports' | 'selector' | 'httpsPorts' | 'externalAddress'>) : {};
  return {
    uid: row.uid,
    name: row.name,
    namespace: row.namespace,
    resourceVersion: row.resource_version ?? '',
    createdAt: row.created_at ?? undefined,
    labels: JSON.parse(row.labels),
    annotations: JSON.parse(row.annotations),
    greenfield: row.greenfield === 1,
    ...(spec.images ? { images: spec.images } : {}),
    ...(spec.ports ? { ports: spec.ports } : {}),
    ...(spec.selector ? { selector: spec.selector } : {}),
    ...(spec.httpsPorts ? { httpsPorts: spec.httpsPorts } : {}),
    ...(spec.externalAddress ? { externalAddress: spec.externalAddress } : {}),
  };
}

function objectRow(clusterId: string, type: ResourceType, o: ObjectSummary, now: number): SqlParams {
  // The spec column keeps only the fingerprinting facts read from the spec, never the spec itself.
  const facts =
    o.images || o.ports || o.selector
      ? JSON.stringify({ images: o.images, ports: o.ports, selector: o.selector, httpsPorts: o.httpsPorts, externalAddress: o.externalAddress })
      : null;
  return [
    clusterId,
    o.uid,
    type.group,
    apiVersionOf(type),
    type.kind,
    o.namespace,
    o.name,
    o.resourceVersion,
    o.createdAt ?? null,
    JSON.stringify(o.labels),
    JSON.stringify(o.annotations),
    facts,
    o.greenfield ? 1 : 0,
    now,
  ];
}
