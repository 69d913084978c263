import * as vscode from 'vscode';
import { registerCommand } from '../commandRoute';
import { ConnectionPrompts } from './connectionPrompts';
import { guarded } from './connectionRunner';
import { ConnectionServices } from './connectionServices';
import { ConnectionNode } from './connectionsTreeProvider';

/** Create, Rename and Delete Environment. */
export function registerEnvironmentCommands(services: ConnectionServices, prompts: ConnectionPrompts): vscode.Disposable[] {
  const { environments } = services;
  return [
    registerCommand('meshery.environments.create', guarded(async (name?: string, description?: string) => prompts.createEnvironment(name, description))),
    registerCommand(
      'meshery.environments.rename',
      guarded(async (arg?: ConnectionNode | string, name?: string) => {
        const environment = await prompts.environment(arg);
        if (!environment) return undefined;
        const value = name ?? (await vscode.window.showInputBox({ title: 'Rename environment', value: environment.name }));
        return value ? environments.rename(environment.id, value) : undefined;
      }),
    ),
    registerCommand(
      'meshery.environments.delete',
      guarded(async (arg?: ConnectionNode | string, options?: { confirm?: boolean }) => {
        const environment = await prompts.environment(arg);
        if (!environment) return undefined;
        if (options?.confirm !== false) {
          const ok = await vscode.window.showWarningMessage(
            `Delete environment "${environment.name}"?`,
            { modal: true, detail: `${environment.connectionIds.length} connection(s) will be unassigned from it. The connections themselves are kept.` },
            'Delete',
          );
          if (ok !== 'Delete') return undefined;
        }
        return environments.delete(environment.id);
      }),
    ),
  ];
}
