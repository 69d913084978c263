import * as vscode from 'vscode';
import { DiscoveryService } from '../../core/kube/discoveryService';
import { ClusterStatus } from '../../core/kube/clusterSync';

/** "Meshery: syncing 12/60 types" while discovery runs, then clusters and objects; errors stand out. */
export function summarizeStatuses(statuses: readonly ClusterStatus[], objects: number): { text: string; tooltip: string; error: boolean } {
  if (statuses.length === 0) {
    return { text: '$(circle-slash) Meshery', tooltip: 'Meshery: discovery is not running', error: false };
  }
  const types = statuses.flatMap((s) => s.types);
  const syncing = types.filter((t) => t.state.state === 'syncing').length;
  const failed = statuses.filter((s) => s.state === 'error');
  const lines = statuses.map((s) => {
    const done = s.types.filter((t) => t.state.state !== 'syncing').length;
    const problems = s.types.filter((t) => t.state.state === 'forbidden' || t.state.state === 'error').length;
    return `${s.context}: ${s.state === 'error' ? `error - ${s.reason}` : s.state === 'synced' ? 'synced' : `syncing ${done} of ${s.types.length} types`}${problems ? `, ${problems} type(s) not readable` : ''}`;
  });
  const tooltip = lines.join('\n');
  if (failed.length > 0) {
    return { text: `$(error) Meshery: ${failed.length} of ${statuses.length} cluster(s) failing`, tooltip, error: true };
  }
  if (syncing > 0 || statuses.some((s) => s.state !== 'synced')) {
    return { text: `$(sync~spin) Meshery: syncing ${types.length - syncing}/${types.length} types`, tooltip, error: false };
  }
  // Two contexts reaching the same cluster (same kube-system UID) are one cluster.
  const clusters = new Set(statuses.map((s) => s.clusterId ?? s.context)).size;
  const contexts = statuses.length > clusters ? ` (${statuses.length} contexts)` : '';
  return { text: `$(check) Meshery: ${clusters} cluster${clusters === 1 ? '' : 's'}${contexts} · ${objects.toLocaleString('en-US')} objects`, tooltip, error: false };
}

export function registerDiscoveryStatusBar(service: DiscoveryService): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('meshery.discovery', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Meshery Discovery';
  item.command = 'meshery.discovered.focus';
  let timer: NodeJS.Timeout | undefined;
  const update = () => {
    timer = undefined;
    const summary = summarizeStatuses(service.statuses(), service.inventory.count());
    item.text = summary.text;
    item.tooltip = summary.tooltip;
    item.backgroundColor = summary.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  };
  // Status changes come in bursts (60 types finishing their lists): repaint at most 4 times a second.
  const schedule = () => (timer ??= setTimeout(update, 250));
  update();
  return [item, service.onDidChangeStatus(schedule), service.inventory.onDidChange(schedule), { dispose: () => clearTimeout(timer) }];
}
