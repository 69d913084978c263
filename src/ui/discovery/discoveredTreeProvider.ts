import * as vscode from 'vscode';
import { DiscoveryService } from '../../core/kube/discoveryService';
import { ClusterStatus } from '../../core/kube/clusterSync';
import { resourceTypeKey } from '../../core/kube/apiDiscovery';
import { ObjectSummary } from '../../core/kube/objectSummary';

export type DiscoveredNode =
  | { readonly kind: 'cluster'; readonly id: string; readonly clusterId: string }
  | { readonly kind: 'type'; readonly id: string; readonly clusterId: string; readonly typeKey: string }
  | { readonly kind: 'object'; readonly id: string; readonly clusterId: string; readonly typeKey: string; readonly uid: string }
  | { readonly kind: 'more'; readonly id: string; readonly clusterId: string; readonly typeKey: string };

const pageSize = 200;

/**
 * The Discovered view: cluster -> kind -> objects, with counts. Large kinds are paged, and live
 * changes repaint only the kinds (and clusters) that changed, so expanded nodes stay expanded.
 */
export class DiscoveredTreeProvider implements vscode.TreeDataProvider<DiscoveredNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<DiscoveredNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  /** Nodes are kept so the same object stands for the same row (VS Code keys refreshes by element). */
  private readonly nodes = new Map<string, DiscoveredNode>();
  private readonly limits = new Map<string, number>();
  private readonly disposables: vscode.Disposable[];
  private knownClusters = '';

  constructor(private readonly service: DiscoveryService) {
    this.disposables = [
      this.changeEmitter,
      service.inventory.onDidChange((change) => {
        const clusters = service.inventory.clusterIds().join(',');
        if (clusters !== this.knownClusters) {
          this.knownClusters = clusters;
          this.changeEmitter.fire(undefined);
          return;
        }
        for (const [clusterId, typeKeys] of change.types) {
          this.refreshNode(`cluster:${clusterId}`);
          for (const typeKey of typeKeys) this.refreshNode(`type:${clusterId}:${typeKey}`);
        }
      }),
      service.onDidChangeStatus((status) => status.clusterId && this.refreshNode(`cluster:${status.clusterId}`)),
    ];
  }

  getTreeItem(node: DiscoveredNode): vscode.TreeItem {
    switch (node.kind) {
      case 'cluster':
        return this.clusterItem(node.clusterId);
      case 'type': {
        const bucket = this.service.inventory.bucket(node.clusterId, node.typeKey);
        const item = new vscode.TreeItem(bucket?.type.kind ?? node.typeKey, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.description = `${(bucket?.objects.size ?? 0).toLocaleString('en-US')} · ${bucket?.type.group || 'core'}/${bucket?.type.version ?? ''}`;
        item.iconPath = new vscode.ThemeIcon('symbol-class');
        item.contextValue = 'meshery.kind';
        return item;
      }
      case 'object': {
        const object = this.service.inventory.bucket(node.clusterId, node.typeKey)?.objects.get(node.uid);
        const item = new vscode.TreeItem(object?.name ?? node.uid, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = object?.namespace || undefined;
        item.iconPath = new vscode.ThemeIcon(object?.greenfield ? 'symbol-constructor' : 'symbol-field');
        item.tooltip = object ? objectTooltip(object) : undefined;
        item.contextValue = 'meshery.object';
        return item;
      }
      case 'more': {
        const total = this.service.inventory.bucket(node.clusterId, node.typeKey)?.objects.size ?? 0;
        const shown = this.limits.get(`type:${node.clusterId}:${node.typeKey}`) ?? pageSize;
        const item = new vscode.TreeItem(`Show ${Math.min(pageSize, total - shown)} more of ${total - shown}…`);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon('more');
        item.command = { command: 'meshery.discovered.showMore', title: 'Show More', arguments: [node] };
        return item;
      }
    }
  }

  getChildren(node?: DiscoveredNode): DiscoveredNode[] {
    const inventory = this.service.inventory;
    if (!node) {
      this.knownClusters = inventory.clusterIds().join(',');
      return inventory.clusterIds().map((clusterId) => this.node({ kind: 'cluster', id: `cluster:${clusterId}`, clusterId }));
    }
    if (node.kind === 'cluster') {
      return inventory
        .buckets(node.clusterId)
        .filter((b) => b.objects.size > 0)
        .sort((a, b) => a.type.kind.localeCompare(b.type.kind))
        .map((b) => {
          const typeKey = resourceTypeKey(b.type);
          return this.node({ kind: 'type', id: `type:${node.clusterId}:${typeKey}`, clusterId: node.clusterId, typeKey });
        });
    }
    if (node.kind === 'type') {
      const bucket = inventory.bucket(node.clusterId, node.typeKey);
      if (!bucket) return [];
      const limit = this.limits.get(node.id) ?? pageSize;
      const objects = [...bucket.objects.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
      const rows: DiscoveredNode[] = objects
        .slice(0, limit)
        .map((o) => this.node({ kind: 'object', id: `object:${node.clusterId}:${o.uid}`, clusterId: node.clusterId, typeKey: node.typeKey, uid: o.uid }));
      if (objects.length > limit) {
        rows.push(this.node({ kind: 'more', id: `more:${node.clusterId}:${node.typeKey}`, clusterId: node.clusterId, typeKey: node.typeKey }));
      }
      return rows;
    }
    return [];
  }

  getParent(node: DiscoveredNode): DiscoveredNode | undefined {
    if (node.kind === 'cluster') return undefined;
    if (node.kind === 'type') return this.nodes.get(`cluster:${node.clusterId}`);
    return this.nodes.get(`type:${node.clusterId}:${node.typeKey}`);
  }

  showMore(node: DiscoveredNode): void {
    if (node.kind !== 'more') return;
    const key = `type:${node.clusterId}:${node.typeKey}`;
    this.limits.set(key, (this.limits.get(key) ?? pageSize) + pageSize);
    this.refreshNode(key);
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  private node<T extends DiscoveredNode>(fresh: T): T {
    const existing = this.nodes.get(fresh.id) as T | undefined;
    if (existing) return existing;
    this.nodes.set(fresh.id, fresh);
    return fresh;
  }

  private refreshNode(id: string): void {
    const node = this.nodes.get(id);
    if (node) this.changeEmitter.fire(node);
  }

  private clusterItem(clusterId: string): vscode.TreeItem {
    const statuses = this.service.statuses().filter((s) => s.clusterId === clusterId);
    const label = statuses.map((s) => s.context).join(', ') || clusterId;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `cluster:${clusterId}`;
    const objects = this.service.inventory.count(clusterId).toLocaleString('en-US');
    item.description = `${describeSync(statuses)} · ${objects} objects`;
    item.iconPath = new vscode.ThemeIcon(statuses.some((s) => s.state === 'error') ? 'error' : 'server-environment');
    item.tooltip = new vscode.MarkdownString(
      [`**${label}**`, `Cluster id: \`${clusterId}\``, ...statuses.map((s) => `${s.context} → ${s.server}: ${s.state}${s.reason ? ` (${s.reason})` : ''}`)].join('\n\n'),
    );
    item.contextValue = 'meshery.cluster';
    return item;
  }
}

function describeSync(statuses: readonly ClusterStatus[]): string {
  if (statuses.length === 0) return 'last session';
  const types = statuses.flatMap((s) => s.types);
  const pending = types.filter((t) => t.state.state === 'syncing').length;
  if (statuses.some((s) => s.state === 'error')) return 'error';
  if (pending > 0 || statuses.some((s) => s.state !== 'synced')) return `syncing ${types.length - pending} of ${types.length} types`;
  const unreadable = types.filter((t) => t.state.state !== 'synced').length;
  return unreadable ? `synced (${unreadable} types not readable)` : 'synced';
}

function objectTooltip(object: ObjectSummary): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${object.namespace ? `${object.namespace}/` : ''}${object.name}**\n\n`);
  md.appendMarkdown(`${object.greenfield ? 'Greenfield (created by Meshery)' : 'Brownfield (created outside Meshery)'}\n\n`);
  const labels = Object.entries(object.labels);
  if (labels.length) md.appendCodeblock(labels.map(([k, v]) => `${k}=${v}`).join('\n'), 'properties');
  return md;
}
