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
  const run = () => {
    timer = undefined;
    for (const status of discovery.statuses()) {
      if (!status.clusterId || status.state === 'connecting' || status.state === 'error') continue;
      const candidates = finder.find(status.clusterId, { server: status.server, name: status.context });
      // Only a complete view may declare a candidate gone: services and pods must have been read, not forbidden or failing.
      const read = (resource: string) => status.types.find((t) => t.type.group === '' && t.type.resource === resource)?.state.state === 'synced';
      const complete = status.state === 'synced' && read('services') && read('pods');
      connections.syncCandidates(status.clusterId, { context: status.context, server: status.server }, candidates, complete);
    }
  };
  const schedule = () => (timer ??= setTimeout(run, delayMs));
  // Most changes (ConfigMaps, Events, ...) cannot change a candidate: finding them reads every Service.
  disposables.add(discovery.inventory.onDidChange((change) => [...change.types.values()].some(decidesCandidates) && schedule()));
  disposables.add(discovery.onDidChangeStatus(schedule));
  disposables.add({ dispose: () => clearTimeout(timer) });
  return disposables;
}
