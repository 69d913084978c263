import { Disposable, DisposableStore } from '../common/disposable';
import { DiscoveryService } from '../kube/discoveryService';
import { CandidateFinder, decidesCandidates } from '../registry/connectionCandidates';
import { ConnectionService } from './connectionService';

/**
 * Keeps connections in step with discovery: candidates become discovered connections, vanished
 * ones not found, returning ones discovered again. Runs at most once a second.
 */
export function followCandidates(discovery: DiscoveryService, connections: ConnectionService, delayMs = 1000): Disposable {
  const disposables = new DisposableStore();
  const finder = disposables.add(new CandidateFinder(discovery.inventory));
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let disposed = false;
  const run = async () => {
    timer = undefined;
    running = true;
    try {
      for (const status of discovery.statuses()) {
        const clusterId = status.clusterId;
        if (!clusterId || status.state === 'connecting' || status.state === 'error') continue;
        // Only a complete view may declare a candidate gone: services and pods must have been read, not forbidden or failing.
        // Decided before the candidates are read, so that a sync completing meanwhile does not vouch for them.
        const read = (resource: string) => status.types.find((t) => t.type.group === '' && t.type.resource === resource)?.state.state === 'synced';
        const complete = status.state === 'synced' && read('services') && read('pods');
        const candidates = await finder.findInTurns(clusterId, { server: status.server, name: status.context });
        if (disposed) return;
        // A cluster removed meanwhile (its kubeconfig context gone) has nothing to hand over.
        if (!discovery.statuses().some((s) => s.clusterId === clusterId)) continue;
        connections.syncCandidates(clusterId, { context: status.context, server: status.server }, candidates, complete);
      }
    } finally {
      running = false;
    }
  };
  // One run at a time: a change during a run schedules the next.
  const schedule = () =>
    (timer ??= setTimeout(function fire() {
      if (disposed) return;
      if (running) timer = setTimeout(fire, delayMs);
      else void run();
    }, delayMs));
  // Most changes (ConfigMaps, Events, ...) cannot change a candidate: finding them reads every Service.
  disposables.add(discovery.inventory.onDidChange((change) => [...change.types.values()].some(decidesCandidates) && schedule()));
  disposables.add(discovery.onDidChangeStatus(schedule));
  disposables.add({
    dispose: () => {
      disposed = true;
      clearTimeout(timer);
    },
  });
  return disposables;
}
