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
type GroupNode = Extract<ConnectionNode, { type: 'group' }>;

/** What a row draws from, beyond its node: the connection, the others that reach the same thing, its credential's name. */
interface Row {
  readonly connection: Connection;
  readonly duplicates: readonly Connection[];
  readonly credentialName: string | undefined;
}

/**
 * What the view was given: its nodes (VS Code knows a row by the very object it was given, so a
 * row repainted alone must be that object), its shape (groups and their rows) and what each row
 * and group is drawn from.
 */
interface Layout {
  readonly roots: GroupNode[];
  readonly children: ReadonlyMap<string, ConnectionNode[]>;
  readonly rows: ReadonlyMap<string, Row>;
  readonly shape: string;
  readonly looks: ReadonlyMap<string, string>;
}

/** One provider for two views: Connections (by status, or by environment) and Environments (each with its connections). */
export class ConnectionsTreeProvider implements vscode.TreeDataProvider<ConnectionNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ConnectionNode | ConnectionNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly disposables: { dispose(): void }[];
  private layout: Layout | undefined;

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

  /**
   * Repaints what changed. While the groups and their rows stay the same, only the nodes that look
   * different are repainted: repainting the whole tree makes VS Code forget every row until the
   * view asks again, and an inline action clicked meanwhile reaches its command without its row.
   */
  refresh(): void {
    const before = this.layout;
    if (!before) {
      // Nothing painted yet: the view lays the tree out when it asks.
      this.changeEmitter.fire(undefined);
      return;
    }
    const after = this.layOut();
    if (before.shape !== after.shape) {
      this.layout = after;
      this.changeEmitter.fire(undefined);
      return;
    }
    this.layout = { ...after, roots: before.roots, children: before.children };
    const changed = [...before.roots, ...[...before.children.values()].flat()].filter((node) => before.looks.get(node.id) !== after.looks.get(node.id));
    if (changed.length) this.changeEmitter.fire(changed);
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
    const row = this.current().rows.get(node.connectionId);
    const item = new vscode.TreeItem(row?.connection.name ?? node.connectionId);
    item.id = node.id;
    if (!row) return item;
    const { connection, duplicates, credentialName } = row;
    item.description = [connection.status, connection.kind, duplicates.length ? `also reached by ${duplicates.length} other` : undefined].filter(Boolean).join(' · ');
    item.iconPath = connectionIcon(connection);
    item.tooltip = connectionTooltip(connection, duplicates, credentialName);
    item.contextValue = `meshery.connection.${connection.status.replace(' ', '-')}`;
    item.command = { command: 'meshery.connections.showDetails', title: 'Show Connection Details', arguments: [connection.id] };
    return item;
  }

  /** Needed by TreeView.reveal: a connection row's parent is the group its id starts with. */
  getParent(node: ConnectionNode): ConnectionNode | undefined {
    if (node.type !== 'connection') return undefined;
    const parentId = node.id.slice(0, node.id.lastIndexOf('/'));
    return this.current().roots.find((g) => g.id === parentId);
  }

  /** The first row that shows this connection. */
  find(connectionId: string): ConnectionNode | undefined {
    for (const rows of this.current().children.values()) {
      const row = rows.find((n) => n.type === 'connection' && n.connectionId === connectionId);
      if (row) return row;
    }
    return undefined;
  }

  getChildren(node?: ConnectionNode): ConnectionNode[] {
    const layout = this.current();
    return node ? (layout.children.get(node.id) ?? []) : layout.roots;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  private current(): Layout {
    this.layout ??= this.layOut();
    return this.layout;
  }

  /** Reads the connections, environments and credentials once and lays out every node. */
  private layOut(): Layout {
    const all = this.connections.list();
    const visible = all.filter((c) => c.status !== 'deleted');
    const environments = this.environments.list();
    const credentialNames = new Map(this.credentials.list().map((c) => [c.id, c.name]));
    const rows = new Map<string, Row>(
      visible.map((connection) => [
        connection.id,
        { connection, duplicates: this.connections.duplicatesOf(connection, all), credentialName: connection.credentialId ? credentialNames.get(connection.credentialId) : undefined },
      ]),
    );
    const roots = this.groups(visible, environments);
    const children = new Map(
      roots.map((group) => [
        group.id,
        group.connectionIds.map((connectionId): ConnectionNode => ({ type: 'connection', id: `${group.id}/${connectionId}`, connectionId })),
      ]),
    );
    const looks = new Map<string, string>();
    for (const group of roots) {
      if (group.environmentId) looks.set(group.id, environments.find((e) => e.id === group.environmentId)?.description ?? '');
      for (const node of children.get(group.id) ?? []) {
        const row = node.type === 'connection' ? rows.get(node.connectionId) : undefined;
        looks.set(node.id, JSON.stringify([row?.connection, row?.duplicates.map((d) => [d.name, d.status]), row?.credentialName]));
      }
    }
    const shape = JSON.stringify(roots.map((group) => [group.id, group.label, group.connectionIds]));
    return { roots, children, rows, shape, looks };
  }

  private groups(visible: readonly Connection[], environments: ReturnType<EnvironmentService['list']>): GroupNode[] {
    if (this.onlyEnvironments || this.grouping() === 'environment') {
      const groups: GroupNode[] = environments.map((e) => ({
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
}
