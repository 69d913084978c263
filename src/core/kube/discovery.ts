import { Disposable } from '../common/disposable';
import { Emitter } from '../common/emitter';
import { NewEvent } from '../events/types';
import { Inventory } from '../inventory/inventory';
import { ClusterStatus, ClusterSync, ClusterSyncOptions, defaultClusterSyncOptions } from './clusterSync';
import { ClusterAccess, loadKubeconfig } from './kubeconfig';

/** Everything that decides how a context is reached and who it authenticates as (buffers included). */
function accessKey(access: ClusterAccess): string {
  return JSON.stringify(access);
}

export interface DiscoveryStart {
  readonly kubeconfigFiles: readonly string[];
  /** Contexts to discover; all contexts when empty. */
  readonly contexts?: readonly string[];
}

export interface DiscoveryStarted {
  readonly syncs: readonly ClusterSync[];
  /** Contexts that could not be used, each with why (reported as events too). */
  readonly failures: readonly { context: string; reason: string }[];
}

/**
 * MeshSync in the IDE: one ClusterSync per chosen kubeconfig context, all feeding one inventory.
 * A broken kubeconfig file or context is an error event for that context only.
 */
export class Discovery implements Disposable {
  private syncs: ClusterSync[] = [];
  private readonly statusEmitter = new Emitter<ClusterStatus>();
  readonly onDidChangeStatus = this.statusEmitter.event;
  private readonly subscriptions = new Map<ClusterSync, Disposable>();

  constructor(
    private readonly inventory: Inventory,
    private readonly report: (event: NewEvent) => void,
    private readonly options: ClusterSyncOptions = defaultClusterSyncOptions,
  ) {}

  clusters(): readonly ClusterSync[] {
    return this.syncs;
  }

  /**
   * Discovers the chosen contexts. With `keepUnchanged` (a kubeconfig file was rewritten: a token
   * refreshed, another current-context), a context whose access did not change keeps its running
   * sync; the others start afresh. Without it, everything starts afresh ("Discover Now").
   */
  start(request: DiscoveryStart, keepUnchanged = false): DiscoveryStarted {
    const loaded = loadKubeconfig(request.kubeconfigFiles);
    // A file caught half-written (kubectl writes in place) is not a reason to stop anything: the
    // next change of it comes soon.
    if (keepUnchanged && loaded.fileErrors.length > 0) return { syncs: this.syncs, failures: [] };
    const running = new Map(keepUnchanged ? this.syncs.map((s) => [accessKey(s.access), s]) : []);
    const previous = this.syncs;
    this.syncs = [];
    const failures: { context: string; reason: string }[] = [];
    for (const { file, reason } of loaded.fileErrors) {
      failures.push({ context: file, reason: `the kubeconfig cannot be used: ${reason}` });
      this.report({ category: 'discovery', action: 'kubeconfig', severity: 'error', actedUpon: file, description: `The kubeconfig ${file} cannot be used: ${reason}.` });
    }
    const wanted = request.contexts?.length ? new Set(request.contexts) : undefined;
    for (const name of wanted ?? []) {
      if (!loaded.contexts.some((c) => (c.ok ? c.access.context : c.context) === name)) {
        failures.push({ context: name, reason: 'no such context in the kubeconfig' });
        this.report({ category: 'discovery', action: 'kubeconfig', severity: 'error', actedUpon: name, description: `Context ${name} is not in the kubeconfig.` });
      }
    }
    for (const resolution of loaded.contexts) {
      const name = resolution.ok ? resolution.access.context : resolution.context;
      if (wanted && !wanted.has(name)) continue;
      if (!resolution.ok) {
        failures.push({ context: name, reason: resolution.reason });
        this.report({ category: 'discovery', action: 'kubeconfig', severity: 'error', actedUpon: name, description: `Context ${name} cannot be used: ${resolution.reason}.` });
        continue;
      }
      const key = accessKey(resolution.access);
      const kept = running.get(key);
      running.delete(key);
      this.syncs.push(kept ?? this.startCluster(resolution.access));
    }
    for (const sync of previous) if (!this.syncs.includes(sync)) this.stopCluster(sync);
    // Only when every context of a readable kubeconfig is discovered can "not reached by any" mean gone.
    if (!wanted && failures.length === 0 && this.syncs.length > 0) void this.removeUndiscoveredClusters(this.syncs);
    return { syncs: this.syncs, failures };
  }

  /**
   * Once every cluster of the kubeconfig has synced (so each is identified), clusters restored
   * from the last session that none of them is are no longer discovered (their context was
   * removed): their objects go, and that is said. While a cluster cannot be reached, nothing goes:
   * it may be one of them.
   */
  private async removeUndiscoveredClusters(syncs: readonly ClusterSync[]): Promise<void> {
    await Promise.all(syncs.map((s) => s.whenInitiallySynced()));
    if (this.syncs !== syncs || syncs.some((s) => s.id === undefined || s.status().state === 'connecting')) return;
    const discovered = new Set(syncs.map((s) => s.id));
    for (const clusterId of this.inventory.clusterIds()) {
      if (discovered.has(clusterId)) continue;
      const objects = this.inventory.count(clusterId);
      this.inventory.removeCluster(clusterId);
      this.report({
        category: 'discovery',
        action: 'types',
        severity: 'informational',
        actedUpon: clusterId,
        description: `${objects} object(s) of cluster ${clusterId} from the last session were removed: no context being discovered reaches that cluster any more.`,
      });
    }
  }

  private startCluster(access: ClusterAccess): ClusterSync {
    const sync = new ClusterSync(access, this.inventory, this.report, this.options);
    this.subscriptions.set(sync, sync.onDidChangeStatus((status) => this.statusEmitter.fire(status)));
    sync.start();
    return sync;
  }

  private stopCluster(sync: ClusterSync): void {
    this.subscriptions.get(sync)?.dispose();
    this.subscriptions.delete(sync);
    sync.dispose();
  }

  /** Resolves once every cluster has listed every type once. */
  async whenInitiallySynced(): Promise<void> {
    await Promise.all(this.syncs.map((s) => s.whenInitiallySynced()));
  }

  /** Resolves once every cluster has either synced once or failed once. */
  async whenSettled(): Promise<void> {
    await Promise.all(this.syncs.map((s) => s.whenSettled()));
  }

  stop(): void {
    this.syncs.forEach((sync) => this.stopCluster(sync));
    this.syncs = [];
  }

  dispose(): void {
    this.stop();
    this.statusEmitter.dispose();
  }
}
