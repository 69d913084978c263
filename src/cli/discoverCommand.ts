import { errorMessage, Logger } from '../core/common/logger';
import { Store } from '../core/store/store';
import { EventLog } from '../core/events/eventLog';
import { NewEvent } from '../core/events/types';
import { resourceTypeKey } from '../core/kube/apiDiscovery';
import { DiscoveryService } from '../core/kube/discoveryService';
import { findCandidates } from '../core/registry/connectionCandidates';
import { Registry } from '../core/registry/registry';
import { existingKubeconfigFiles, kubeconfigCandidates } from '../core/kube/kubeconfigFiles';
import { openStore } from '../core/store/openStore';
import { Args, UsageError } from './args';

export interface DiscoverReport {
  clusters: {
    context: string;
    clusterId: string | null;
    clusterIdSource: string | null;
    server: string;
    state: string;
    reason: string | null;
    durationMs: number | null;
    objects: number;
    kinds: {
      group: string;
      version: string;
      kind: string;
      resource: string;
      namespaced: boolean;
      count: number;
      state: string;
      reason?: string;
      model: string | null;
      component: string | null;
      versionSkew: boolean;
    }[];
    candidates: unknown[];
  }[];
  failures: { context: string; reason: string }[];
  events: { severity: string; description: string }[];
}

/** `discover`: lists (and optionally watches) every context's cluster, then reports. */
export async function discoverCommand(args: Args, logger: Logger): Promise<{ report: DiscoverReport; exitCode: number }> {
  args.expectOnly(['kubeconfig', 'context', 'db', 'watch', 'json'], 0);
  const kubeconfigs = args.all('kubeconfig');
  const files = kubeconfigs.length ? kubeconfigs : existingKubeconfigFiles({ settingPaths: [], env: process.env });
  if (files.length === 0) {
    throw new UsageError(`no kubeconfig found (looked at ${kubeconfigCandidates({ settingPaths: [], env: process.env }).join(', ')}); pass --kubeconfig FILE`);
  }
  const watchSeconds = args.number('watch') ?? 0;
  const { store } = await openStore({ path: args.one('db'), logger, saveDelayMs: 1000 });
  const events = new EventLog(store, { retention: 10_000, logger });
  const recorded: NewEvent[] = [];
  const subscription = events.onDidChange((change) => {
    if (change.kind === 'added') recorded.push(...change.events);
  });
  const discovery = new DiscoveryService(store, events);
  const inventory = discovery.inventory;
  try {
    const started = await discovery.start({ kubeconfigFiles: files, contexts: args.all('context') });
    await discovery.whenSettled();
    await discovery.saveInventory();
    if (watchSeconds > 0) {
      await new Promise((resolve) => setTimeout(resolve, watchSeconds * 1000));
    }
    inventory.flushChanges();
    const registry = new Registry();
    const clusters = started.syncs.map((sync) => {
      const status = sync.status();
      const kinds = status.types.map(({ type, state }) => {
        const fingerprint = registry.fingerprint(type.group, type.version, type.kind);
        return {
        group: type.group,
        version: type.version,
        kind: type.kind,
        resource: type.resource,
        namespaced: type.namespaced,
        count: status.clusterId ? (inventory.bucket(status.clusterId, resourceTypeKey(type))?.objects.size ?? 0) : 0,
        state: state.state,
        ...('reason' in state ? { reason: state.reason } : {}),
        model: fingerprint.model.name,
        component: fingerprint.component.displayName ?? fingerprint.component.kind,
        versionSkew: fingerprint.versionSkew,
        };
      });
      return {
        context: status.context,
        clusterId: status.clusterId ?? null,
        clusterIdSource: status.idSource ?? null,
        server: status.server,
        state: status.state,
        reason: status.reason ?? null,
        durationMs: status.initialSyncMs ?? null,
        objects: status.clusterId ? inventory.count(status.clusterId) : 0,
        kinds,
        candidates: status.clusterId
          ? findCandidates(inventory, status.clusterId, { server: status.server, name: status.context }).map((c) => ({ ...c, namespace: c.namespace ?? null, objectUid: c.objectUid ?? null }))
          : [],
      };
    });
    const out: DiscoverReport = {
      clusters,
      failures: [...started.failures],
      events: recorded.map((e) => ({ severity: e.severity, description: e.description })),
    };
    const failed = clusters.length === 0 || clusters.some((c) => c.state === 'error') || started.failures.length > 0;
    return { report: out, exitCode: failed ? 1 : 0 };
  } finally {
    subscription.dispose();
    await discovery.close();
    await closeStore(store, args.one('db'));
  }
}

/** The inventory asked to be written to --db is written, or the command fails: a script must not read a stale file as fresh. */
async function closeStore(store: Store, file: string | undefined): Promise<void> {
  try {
    await store.close();
  } catch (error) {
    throw new Error(`could not save ${file}: ${errorMessage(error)}`);
  }
}
