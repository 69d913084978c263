import * as vscode from 'vscode';
import { registerCommand } from './commandRoute';
import { EventLog } from '../core/events/eventLog';
import { existingKubeconfigFiles, inspectKubeconfig } from '../core/kube/kubeconfigFiles';
import { settings } from './settings';

/** Keeps the `meshery.kubeconfigFound` context key (it drives the welcome views) up to date. */
export function updateKubeconfigContext(): string[] {
  const files = existingKubeconfigFiles({ settingPaths: settings.kubeconfigPaths(), env: process.env });
  void vscode.commands.executeCommand('setContext', 'meshery.kubeconfigFound', files.length > 0);
  return files;
}

export function registerKubeconfigCommands(log: EventLog): vscode.Disposable[] {
  return [
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('meshery.kubeconfig')) {
        updateKubeconfigContext();
      }
    }),
    registerCommand('meshery.kubeconfig.choose', async (given?: vscode.Uri) => {
      let uri = given instanceof vscode.Uri ? given : undefined;
      if (!uri) {
        const picked = await vscode.window.showOpenDialog({
          title: 'Choose a kubeconfig file',
          openLabel: 'Use This Kubeconfig',
          canSelectMany: false,
          canSelectFolders: false,
        });
        uri = picked?.[0];
        if (!uri) {
          return false;
        }
      }
      const inspection = inspectKubeconfig(uri.fsPath);
      if (!inspection.ok) {
        // A broken file changes nothing: the previous setting stays as it was.
        log.record({
          category: 'kubeconfig',
          action: 'choose',
          severity: 'error',
          description: `That kubeconfig cannot be used: ${inspection.reason}. The previous kubeconfig setting is unchanged.`,
          actedUpon: uri.fsPath,
        });
        return false;
      }
      await vscode.workspace.getConfiguration('meshery.kubeconfig').update('paths', [uri.fsPath], vscode.ConfigurationTarget.Global);
      updateKubeconfigContext();
      log.record({
        category: 'kubeconfig',
        action: 'choose',
        severity: 'success',
        description: `Using kubeconfig ${uri.fsPath} (${inspection.contexts.length} context${inspection.contexts.length === 1 ? '' : 's'}${
          inspection.currentContext ? `, current: ${inspection.currentContext}` : ''
        }).`,
        actedUpon: uri.fsPath,
        metadata: { contexts: inspection.contexts },
      });
      return true;
    }),
  ];
}
