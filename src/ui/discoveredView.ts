import * as vscode from 'vscode';

/**
 * The Discovered view. Until discovery has results it has no rows, and VS Code shows its welcome
 * content instead (no kubeconfig found / nothing discovered yet, from package.json).
 */
export function registerDiscoveredView(): vscode.Disposable {
  const provider: vscode.TreeDataProvider<never> = {
    getTreeItem: (element) => element,
    getChildren: () => [],
  };
  return vscode.window.createTreeView('meshery.discovered', { treeDataProvider: provider });
}
