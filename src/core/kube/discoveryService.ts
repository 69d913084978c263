import { Disposable, DisposableStore } from '../common/disposable';
import { Emitter } from '../common/emitter';
import { EventLog } from '../events/eventLog';
import { Inventory } from '../inventory/inventory';
import { InventoryPersister } from '../inventory/inventoryPersister';
import { InventorySnapshots, inventoryFolderOf } from '../inventory/inventorySnapshots';
import { Store } from '../store/store';
import { ResourceType } from './apiDiscovery';
import { ClusterStatus, ClusterSyncOptions, defaultClusterSyncOptions } from './clusterSync';
import { Discovery, DiscoveryStart, DiscoveryStarted } from './discovery';
import { KubeClient } from './kubeClient';

/**
 * Discovery as the extension runs it: the inventory (restored from the last session in the
 * background), its files beside the database, and the discovery of every chosen context.
 */
export class DiscoveryService implements Disposable {
  readonly inventory: Inventory;
  private readonly persister: InventoryPersister;
  private readonly discovery: Discovery;
  private readonly disposables = new DisposableStore();
  private readonly statusEmitter = new Emitter<ClusterStatus>();
  readonly onDidChangeStatus = this.statusEmitter.event;
  private disposed = false;
  private restoring: Promise<number> | undefined;

  constructor(
    store: Store,
    events: EventLog,
    options: ClusterSyncOptions = defaultClusterSyncOptions,
  ) {
    this.inventory = new Inventory();
    // The folder is fixed when discovery starts: a store that later goes in-memory leaves the files alone.
    this.persister = new InventoryPersister(this.inventory, store.path ? new InventorySnapshots(inventoryFolderOf(store.path)) : undefined, events.logger);
    this.discovery = new Discovery(this.inventory, (e) => events.record(e), options);
    this.disposables.add(this.discovery.onDidChangeStatus((status) => this.statusEmitter.fire(status)));
  }

  /**
   * The objects discovered in an earlier session, shown until discovery refreshes them; read in
   * the background. start() waits for it, so a fresh list always wins over the stored state.
   */
  restore(): Promise<number> {
    this.restoring ??= this.persister.restore();
    return this.restoring;
  }

  /** See Discovery.start: `keepUnchanged` keeps the running syncs of contexts whose access did not change. */
  async start(request: DiscoveryStart, keepUnchanged = false): Promise<DiscoveryStarted> {
    await this.restoring?.catch(() => 0);
    return this.discovery.start(request, keepUnchanged);
  }

  stop(): void {
    this.discovery.stop();
  }

  statuses(): ClusterStatus[] {
    return this.discovery.clusters().map((c) => c.status());
  }

  /** The live object from a cluster that is being discovered, or undefined if none reaches it. */
  async fetchObject(clusterId: string, type: ResourceType, namespace: string, name: string): Promise<Record<string, unknown> | undefined> {
    const sync = this.discovery.clusters().find((c) => c.id === clusterId);
    return sync ? sync.getObject(type, namespace, name) : undefined;
  }

  /** The API client of a cluster being discovered (reaching in-cluster services through its service proxy). */
  clientFor(clusterId: string): KubeClient | undefined {
    return this.discovery.clusters().find((c) => c.id === clusterId)?.kubeClient;
  }

  whenSettled(): Promise<void> {
    return this.discovery.whenSettled();
  }

  whenInitiallySynced(): Promise<void> {
    return this.discovery.whenInitiallySynced();
  }

  /** Writes the inventory's files now (the CLI does once its lists are in, so a killed --watch keeps them). */
  saveInventory(): Promise<void> {
    return this.persister.flush();
  }

  /** Stops discovery and writes the inventory's files one last time. The extension awaits it before closing the store. */
  async close(): Promise<void> {
    if (this.disposed) return;
    this.discovery.dispose();
    await this.persister.close().catch(() => undefined);
    this.dispose();
  }

  /** Idempotent: VS Code disposes it again after close(). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.discovery.dispose();
    this.persister.dispose();
    this.inventory.dispose();
    this.disposables.dispose();
    this.statusEmitter.dispose();
  }
}
