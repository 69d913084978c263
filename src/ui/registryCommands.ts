import * as vscode from 'vscode';
import { registerCommand } from './commandRoute';
import { EventLog } from '../core/events/eventLog';
import { Registry } from '../core/registry/registry';
import { importInto } from './registryLoader';
import { settings } from './settings';

/** "Import Meshery Models…" and re-importing whenever the import setting changes. */
export function registerRegistryCommands(registry: Registry, events: EventLog): vscode.Disposable[] {
  return [
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('meshery.registry.importPaths')) importInto(registry, settings.modelImportPaths(), events);
    }),
    registerCommand('meshery.registry.importModels', async (folders?: vscode.Uri[]) => {
      const chosen =
        folders ??
        (await vscode.window.showOpenDialog({ title: 'Folders of Meshery model definitions', canSelectFolders: true, canSelectFiles: false, canSelectMany: true, openLabel: 'Import Models' }));
      if (!chosen?.length) return;
      const paths = [...new Set([...settings.modelImportPaths(), ...chosen.map((u) => u.fsPath)])];
      await vscode.workspace.getConfiguration('meshery.registry').update('importPaths', paths, vscode.ConfigurationTarget.Global);
    }),
  ];
}
