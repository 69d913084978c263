import * as vscode from 'vscode';
import { ConnectionService } from '../../core/connections/connectionService';
import { CredentialService } from '../../core/connections/credentialService';
import { EnvironmentService } from '../../core/connections/environmentService';
import { connectionStatuses } from '../../core/connections/statusMachine';
import { Connection } from '../../core/connections/types';
import { connectionIcon, connectionTooltip } from './connectionPresentation';

export type ConnectionNode =
  | { readonly type: 'group'; readonly id: string; readonly label: string; readonly connectionIds: readonly string[]; readonly environmentId?: string }
  | { readonly type: 'connection'; readonly id: string; readonly connectionId: string };

/** One provider for two views: Connections (by status, or by environment) and Environments (each with its connections). */
export class ConnectionsTreeProvider implements vscode.TreeDataProvider<ConnectionNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ConnectionNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly disposables: { dispose(): void }[];
  private snapshot: Connection[] | undefined;

  constructor(
    private readonly connections: ConnectionService,
    private readonly environments: EnvironmentService,
    private readonly credentials: CredentialService,
    private readonly grouping: () => 'status' | 'environment',
    private readonly onlyEnvironments = false,
  ) {
    const refresh = () => this.refresh();
    this.disposables = [this.changeEmitter, connections.onDidChange(refresh), environments.onDidChange(refresh), credentials.onDidChange(refresh)];
  }

  refresh(): void {
    this.snapshot = undefined;
    this.changeEmitter.fire(undefined);
  }

  /** The connections read once per repaint (each row used to query them twice). */
  private current(): Connection[] {
    this.snapshot ??= this.connections.list();
    return this.snapshot;
  }

  getTreeItem(node: ConnectionNode): vscode.TreeItem {
    if (node.type === 'group') {
      const item = new vscode.TreeItem(node.label, node.connectionIds.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = String(node.connectionIds.length);
      item.contextValue = node.environmentId ? 'meshery.environment' : 'meshery.connectionGroup';
      item.iconPath = new vscode.ThemeIcon(node.environmentId ? 'layers' : 'symbol-enum');
      if (node.environmentId) item.tooltip = this.environments.get(node.environmentId)?.description || undefined;
      return item;
    }
    const connection = this.current().find((c) => c.id === node.connectionId);
    const item = new vscode.TreeItem(connection?.name ?? node.connectionId);
    item.id = node.id;
    if (!connection) return item;
    const duplicates = this.connections.duplicatesOf(connection, this.current());
    item.description = [connection.status, connection.kind, duplicates.length ? `also reached by ${duplicates.length} other` : undefined].filter(Boolean).join(' · ');
    item.iconPath = connectionIcon(connection);
    item.tooltip = connectionTooltip(connection, duplicates, connection.credentialId ? this.credentials.get(connection.credentialId)?.name : undefined);
    item.contextValue = `meshery.connection.${connection.status.replace(' ', '-')}`;
    item.command = { command: 'meshery.connections.showDetails', title: 'Show Connection Details', arguments: [connection.id] };
    return item;
  }

  /** Needed by TreeView.reveal: a connection row's parent is the group its id starts with. */
  getParent(node: ConnectionNode): ConnectionNode | undefined {
    if (node.type !== 'connection') return undefined;
    const parentId = node.id.slice(0, node.id.lastIndexOf('/'));
    return this.getChildren().find((g) => g.id === parentId);
  }

  /** The first row that shows this connection. */
  find(connectionId: string): ConnectionNode | undefined {
    for (const group of this.getChildren()) {
      const row = this.getChildren(group).find((n) => n.type === 'connection' && n.connectionId === connectionId);
      if (row) return row;
    }
    return undefined;
  }

  getChildren(node?: ConnectionNode): ConnectionNode[] {
    const visible = this.current().filter((c) => c.status !== 'deleted');
    const leaf = (parent: string, c: Connection): ConnectionNode => ({ type: 'connection', id: `${parent}/${c.id}`, connectionId: c.id });
    if (node?.type === 'group') {
      return node.connectionIds.map((id) => visible.find((c) => c.id === id)).filter((c): c is Connection => !!c).map((c) => leaf(node.id, c));
    }
    if (node) return [];
    if (this.onlyEnvironments || this.grouping() === 'environment') {
      const groups: ConnectionNode[] = this.environments.list().map((e) => ({
        type: 'group',
        id: `env:${e.id}`,
        label: e.name,
        environmentId: e.id,
        connectionIds: e.connectionIds.filter((id) => visible.some((c) => c.id === id)),
      }));
      const unassigned = visible.filter((c) => c.environments.length === 0).map((c) => c.id);
      if (!this.onlyEnvironments && unassigned.length) groups.push({ type: 'group', id: 'env:none', label: 'No environment', connectionIds: unassigned });
      return groups;
    }
    return connectionStatuses
      .filter((status) => status !== 'deleted')
      .map((status) => ({ type: 'group' as const, id: `status:${status}`, label: status[0].toUpperCase() + status.slice(1), connectionIds: visible.filter((c) => c.status === status).map((c) => c.id) }))
      .filter((g) => g.connectionIds.length > 0);
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
