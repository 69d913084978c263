import * as vscode from 'vscode';
import { registerCommand } from '../commandRoute';
import { ConnectionService } from '../../core/connections/connectionService';
import { CredentialService } from '../../core/connections/credentialService';
import { EnvironmentService } from '../../core/connections/environmentService';
import { EventLog } from '../../core/events/eventLog';
import { EventNode, eventsOf } from './eventTreeProvider';

interface Targets {
  readonly events: EventLog;
  readonly connections: ConnectionService;
  readonly credentials: CredentialService;
  readonly environments: EnvironmentService;
}

/**
 * "Go to" from an event: what it acted upon, in its own view (a connection revealed in the
 * Connections view, a credential or environment in theirs, a cluster in the Discovered view).
 */
export function registerEventTargets(targets: Targets): vscode.Disposable[] {
  return [
    registerCommand('meshery.events.goTo', async (arg?: EventNode | string) => {
      // An operation's row goes to what its newest event acted upon.
      const event = typeof arg === 'string' ? targets.events.get(arg) : arg ? (eventsOf(arg).find((e) => e.actedUpon) ?? eventsOf(arg)[0]) : undefined;
      const id = event?.actedUpon;
      if (!event || !id) {
        void vscode.window.showInformationMessage('This event is not about one object.');
        return undefined;
      }
      if (targets.connections.get(id)) {
        await vscode.commands.executeCommand('meshery.connections.reveal', id);
        return 'connection';
      }
      if (targets.credentials.get(id)) {
        await vscode.commands.executeCommand('meshery.credentials.focus');
        return 'credential';
      }
      if (targets.environments.get(id)) {
        await vscode.commands.executeCommand('meshery.environments.focus');
        return 'environment';
      }
      if (event.category === 'discovery' || event.category === 'cluster') {
        await vscode.commands.executeCommand('meshery.discovered.focus');
        return 'cluster';
      }
      void vscode.window.showInformationMessage(`"${id}" is not in any Meshery view (it may have been deleted).`);
      return undefined;
    }),
  ];
}
