import * as vscode from 'vscode';
import { registerCommand } from '../commandRoute';
import { ConnectionPrompts } from './connectionPrompts';
import { guarded, runConnectionTest, withCancellableProgress } from './connectionRunner';
import { ConnectionServices } from './connectionServices';

/** Create, Delete, Test and Attach Credential. */
export function registerCredentialCommands(services: ConnectionServices, prompts: ConnectionPrompts): vscode.Disposable[] {
  const { connections, credentials } = services;
  return [
    registerCommand('meshery.credentials.create', guarded(async () => prompts.createCredential())),
    registerCommand(
      'meshery.credentials.delete',
      guarded(async (id?: string | { id: string }, options?: { confirm?: boolean }) => {
        const credential = await prompts.credential(id);
        if (!credential) return undefined;
        if (credential.connectionIds.length && options?.confirm !== false) {
          const names = credential.connectionIds.map((c) => connections.get(c)?.name ?? c).join(', ');
          const ok = await vscode.window.showWarningMessage(`"${credential.name}" is used by ${credential.connectionIds.length} connection(s).`, { modal: true, detail: `${names} will have no credential. Delete it anyway?` }, 'Delete');
          if (ok !== 'Delete') return undefined;
        }
        return credentials.delete(credential.id);
      }),
    ),
    registerCommand(
      'meshery.credentials.test',
      guarded(async (id?: string | { id: string }, connectionIds?: string[]) => {
        const credential = await prompts.credential(id);
        if (!credential) return undefined;
        const targets = await prompts.connectionsFor(credential, 'Test', connectionIds);
        if (!targets?.length) return undefined;
        // Ad hoc: nothing is recorded on the connections (status, last test); the credential's own event says what happened.
        const results = await withCancellableProgress(`Testing "${credential.name}"…`, (signal) => Promise.all(targets.map((t) => runConnectionTest(services, t, signal, credential.id))));
        const reached = results.filter((r) => r.reached).length;
        credentials.recordTest(credential.id, targets.map((t, i) => ({ name: t.name, reached: results[i].reached, failure: results[i].failure?.class })));
        void vscode.window.showInformationMessage(`"${credential.name}" reached ${reached} of ${results.length} connection(s).`);
        return results;
      }),
    ),
    registerCommand(
      'meshery.credentials.attach',
      guarded(async (id?: string | { id: string }, connectionIds?: string[]) => {
        const credential = await prompts.credential(id);
        if (!credential) return undefined;
        const targets = await prompts.connectionsFor(credential, 'Attach', connectionIds);
        if (targets?.length) credentials.attach(credential.id, targets.map((t) => t.id));
        return targets?.map((t) => t.id);
      }),
    ),
  ];
}
