import { Disposable, DisposableStore } from '../common/disposable';
import { Logger, errorMessage, silentLogger } from '../common/logger';
import { Inventory, InventoryMutation } from './inventory';
import { InventorySnapshots } from './inventorySnapshots';

export interface PersisterTiming {
  /** The first write after discovery starts changing things (so a crash soon after keeps most of it). */
  readonly firstWriteMs: number;
  /** Then at most one write of a cluster per this long: a churning cluster costs a bounded share of the time. */
  readonly intervalMs: number;
}

export const defaultPersisterTiming: PersisterTiming = { firstWriteMs: 5_000, intervalMs: 30_000 };

/**
 * Keeps the inventory's files (InventorySnapshots) up to date: a cluster that changed is written
 * whole, at most every `intervalMs`, and once more when discovery closes; restores them at
 * startup. Without a folder (an in-memory database) it keeps nothing.
 */
export class InventoryPersister implements Disposable {
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private lastWriteAt = 0;
  private readonly disposables = new DisposableStore();
  private paused = false;

  constructor(
    private readonly inventory: Inventory,
    private readonly snapshots: InventorySnapshots | undefined,
    private readonly logger: Logger = silentLogger,
    private readonly timing: PersisterTiming = defaultPersisterTiming,
  ) {
    if (snapshots) this.disposables.add(inventory.addSink((m) => this.onMutation(m)));
  }

  /**
   * Loads what was discovered in earlier sessions into the inventory, before discovery refreshes
   * it, reading as a stream so that 100,000 stored objects do not hold up the extension host.
   * Discovery must start after it resolves, or a stale object could be restored after a fresh list.
   */
  async restore(): Promise<number> {
    if (!this.snapshots) return 0;
    this.snapshots.removeAbandoned();
    return this.snapshots.readAll((clusterId, type, object) => {
      // Restoring must not mark everything to be written back.
      this.paused = true;
      try {
        this.inventory.upsert(clusterId, type, object);
      } finally {
        this.paused = false;
      }
    });
  }

  /** Writes every cluster that changed, now (and waits for a write in progress first). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing) await this.writing;
    if (this.dirty.size === 0 || !this.snapshots) return;
    this.writing = this.writeDirty(this.snapshots).finally(() => {
      this.writing = undefined;
    });
    await this.writing;
  }

  /** The last write, then nothing more. */
  async close(): Promise<void> {
    this.disposables.dispose();
    await this.flush();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.disposables.dispose();
  }

  private onMutation(mutation: InventoryMutation): void {
    if (this.paused) return;
    this.dirty.add(mutation.clusterId);
    if (this.timer || this.writing) return;
    this.arm(this.lastWriteAt ? Math.max(0, this.lastWriteAt + this.timing.intervalMs - Date.now()) : this.timing.firstWriteMs);
  }

  private arm(delay: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(() => undefined);
    }, delay);
    this.timer.unref?.();
  }

  private async writeDirty(snapshots: InventorySnapshots): Promise<void> {
    const clusters = [...this.dirty];
    this.dirty.clear();
    for (const clusterId of clusters) {
      try {
        if (this.inventory.count(clusterId) === 0) await snapshots.remove(clusterId);
        else await snapshots.write(clusterId, this.inventory.buckets(clusterId));
      } catch (error) {
        // Derived data: the next change tries again; the users' data is in the database, not here.
        this.dirty.add(clusterId);
        this.logger.warn(`The discovered objects of cluster ${clusterId} could not be written to ${snapshots.folder}: ${errorMessage(error)}`);
      }
    }
    this.lastWriteAt = Date.now();
    // Changes that arrived while writing are written at the next interval.
    if (this.dirty.size > 0 && !this.timer) this.arm(this.timing.intervalMs);
  }
}
