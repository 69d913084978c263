import { Disposable, DisposableStore } from '../common/disposable';
import { DiscoveryService } from '../kube/discoveryService';
import { findCandidates } from '../registry/connectionCandidates';
import { ConnectionService } from './connectionService';

/**
 * Keeps connections in step with discovery: candidates become discovered connections, vanished
 * ones not found, returning ones discovered again. Runs at most once a second.
 */
export function followCandidates(discovery: DiscoveryService, connections: ConnectionService, delayMs = 1000): Disposable {
  const disposables = new DisposableStore();
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    timer = undefined;
    for (const status of discovery.statuses()) {
      if (!status.clusterId || status.state === 'connecting' || status.state === 'error') continue;
      const candidates = findCandidates(discovery.inventory, status.clusterId, { server: status.server, name: status.context });
      connections.syncCandidates(status.clusterId, { context: status.context, server: status.server }, candidates, status.state === 'synced');
    }
  };
  const schedule = () => (timer ??= setTimeout(run, delayMs));
  disposables.add(discovery.inventory.onDidChange(schedule));
  disposables.add(discovery.onDidChangeStatus(schedule));
  disposables.add({ dispose: () => clearTimeout(timer) });
  return disposables;
}
