import * as vscode from 'vscode';
import { DiscoveryService } from '../core/kube/discoveryService';
import { DiscoveredNode, DiscoveredTreeProvider } from './discovery/discoveredTreeProvider';

/**
 * The Discovered view. Until discovery has results it has no rows, and VS Code shows its welcome
 * content instead (no kubeconfig found / nothing discovered yet, from package.json).
 */
export function registerDiscoveredView(service: DiscoveryService): vscode.Disposable[] {
  const provider = new DiscoveredTreeProvider(service);
  const view = vscode.window.createTreeView('meshery.discovered', { treeDataProvider: provider, showCollapseAll: true });
  return [provider, view, vscode.commands.registerCommand('meshery.discovered.showMore', (node: DiscoveredNode) => provider.showMore(node))];
}
