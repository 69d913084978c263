import * as vscode from 'vscode';
import { registerCommand } from '../commandRoute';
import { OpenRegistration, registerConnectionCommands } from './connectionCommands';
import { ConnectionPrompts } from './connectionPrompts';
import { ConnectionServices } from './connectionServices';
import { registerCredentialCommands } from './credentialCommands';
import { registerEnvironmentCommands } from './environmentCommands';
import { ConnectionsTreeProvider } from './connectionsTreeProvider';
import { CredentialsTreeProvider } from './credentialsTreeProvider';

const groupingKey = 'meshery.connections.grouping';

/** The Connections view (grouped by status or by environment), the Environments and Credentials views, and their commands. */
export function registerConnectionViews(context: vscode.ExtensionContext, services: ConnectionServices, openRegistration: OpenRegistration): vscode.Disposable[] {
  const prompts = new ConnectionPrompts(services);
  let grouping = context.workspaceState.get<'status' | 'environment'>(groupingKey, 'status');
  const connectionsProvider = new ConnectionsTreeProvider(services.connections, services.environments, services.credentials, () => grouping);
  const environmentsProvider = new ConnectionsTreeProvider(services.connections, services.environments, services.credentials, () => 'environment', true);
  const credentialsProvider = new CredentialsTreeProvider(services.credentials, services.connections);
  const connectionsView = vscode.window.createTreeView('meshery.connections', { treeDataProvider: connectionsProvider });
  const publish = () => {
    connectionsView.description = grouping === 'status' ? 'by status' : 'by environment';
    void vscode.commands.executeCommand('setContext', 'meshery.connections.byEnvironment', grouping === 'environment');
  };
  publish();
  const toggle = () => {
    grouping = grouping === 'status' ? 'environment' : 'status';
    void context.workspaceState.update(groupingKey, grouping);
    publish();
    connectionsProvider.refresh();
  };
  return [
    connectionsProvider,
    environmentsProvider,
    connectionsView,
    vscode.window.createTreeView('meshery.environments', { treeDataProvider: environmentsProvider }),
    credentialsProvider,
    vscode.window.createTreeView('meshery.credentials', { treeDataProvider: credentialsProvider }),
    registerCommand('meshery.connections.toggleGrouping', toggle),
    registerCommand('meshery.connections.reveal', async (connectionId: string) => {
      const row = connectionsProvider.find(connectionId);
      if (row) await connectionsView.reveal(row, { select: true, focus: true, expand: true });
    }),
    ...registerConnectionCommands(services, prompts, openRegistration),
    ...registerEnvironmentCommands(services, prompts),
    ...registerCredentialCommands(services, prompts),
  ];
}
