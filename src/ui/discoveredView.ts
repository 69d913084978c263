import * as vscode from 'vscode';
import { registerCommand } from './commandRoute';
import { ConnectionService } from '../core/connections/connectionService';
import { DiscoveryService } from '../core/kube/discoveryService';
import { Registry } from '../core/registry/registry';
import { DiscoveredFilter } from './discovery/discoveredFilter';
import { editFilterText } from './discovery/filterTextInput';
import { DiscoveredNode, DiscoveredTreeProvider } from './discovery/discoveredTreeProvider';
import { ObjectDocumentProvider, objectScheme, objectUri } from './discovery/objectDocumentProvider';
import { modelIconFiles } from './modelIcons';

/**
 * The Discovered view (cluster -> model -> kind -> objects), its filter and its commands. Until
 * discovery has results it has no rows, and VS Code shows its welcome content instead.
 */
export function registerDiscoveredView(context: vscode.ExtensionContext, service: DiscoveryService, registry: Registry, connections: ConnectionService): vscode.Disposable[] {
  const filter = new DiscoveredFilter(context.workspaceState);
  // Each candidate row asks for its connection's status: read the connections once per change, not once per row.
  let statuses: Map<string, string> | undefined;
  const forget = connections.onDidChange(() => (statuses = undefined));
  const statusOf = (clusterId: string, uid: string) =>
    (statuses ??= new Map(connections.list().filter((c) => c.status !== 'deleted' && c.objectUid).map((c) => [`${c.clusterId}/${c.objectUid}`, c.status]))).get(`${clusterId}/${uid}`);
  const provider = new DiscoveredTreeProvider(service, registry, filter, modelIconFiles(context.globalStorageUri), { statusOf, onDidChange: connections.onDidChange });
  const view = vscode.window.createTreeView('meshery.discovered', { treeDataProvider: provider, showCollapseAll: true });
  view.description = filter.summary();
  return [
    forget,
    filter,
    provider,
    view,
    filter.onDidChange(() => (view.description = filter.summary())),
    view.onDidCollapseElement((e) => provider.collapsed(e.element)),
    vscode.workspace.registerTextDocumentContentProvider(objectScheme, new ObjectDocumentProvider(service)),
    registerCommand('meshery.discovered.showMore', (node: DiscoveredNode) => provider.showMore(node)),
    registerCommand('meshery.discovered.openObject', async (node: DiscoveredNode) => {
      if (node?.kind !== 'object') return;
      const object = service.inventory.bucket(node.clusterId, node.typeKey)?.objects.get(node.uid);
      if (!object) return;
      const doc = await vscode.workspace.openTextDocument(objectUri(node.clusterId, node.typeKey, node.uid, object.name));
      await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
      await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: true });
    }),
    registerCommand('meshery.discovered.filter', (text?: string) => (typeof text === 'string' ? filter.update({ text }) : editFilterText(filter, (ms) => provider.holdClusterChanges(ms)))),
    registerCommand('meshery.discovered.scopeNamespaces', async (chosen?: string[]) => {
      let picked = Array.isArray(chosen) ? chosen : undefined;
      if (!picked) {
        const namespaces = new Set<string>();
        for (const clusterId of service.inventory.clusterIds()) {
          for (const bucket of service.inventory.buckets(clusterId)) for (const ns of bucket.byNamespace.keys()) if (ns) namespaces.add(ns);
        }
        const current = new Set(filter.value.namespaces ?? []);
        const answer = await vscode.window.showQuickPick(
          [...namespaces].sort().map((ns) => ({ label: ns, picked: current.has(ns) })),
          { canPickMany: true, title: 'Show objects of these namespaces (none picked: all)', matchOnDescription: true },
        );
        if (!answer) return;
        picked = answer.map((a) => a.label);
      }
      filter.update({ namespaces: picked.length ? picked : undefined });
    }),
    registerCommand('meshery.discovered.clearFilter', () => filter.update({ text: undefined, namespaces: undefined })),
  ];
}
