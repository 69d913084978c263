import * as vscode from 'vscode';
import { allowedTransitions } from '../../core/connections/statusMachine';
import { ConnectionStatus, connectionDefinition } from '../../core/registry/connectionDefinitions';
import { ConnectionArg, ConnectionPrompts } from './connectionPrompts';
import { guarded, reportTest, runConnectionTest, withCancellableProgress } from './connectionRunner';
import { ConnectionServices } from './connectionServices';

/** Register, Test, Change Status and Assign to Environment: quick picks when called bare, arguments when called from code. */
export function registerConnectionCommands(services: ConnectionServices, prompts: ConnectionPrompts): vscode.Disposable[] {
  const { connections, environments } = services;
  return [
    vscode.commands.registerCommand(
      'meshery.connections.register',
      guarded(async (arg?: ConnectionArg, options?: { credentialId?: string | null; environmentIds?: string[]; skipVerification?: boolean; skipTlsVerify?: boolean }) => {
        const connection = await prompts.connection(arg, 'Register which connection?', (c) => ['discovered', 'ignored'].includes(c.status));
        if (!connection) return undefined;
        const credentialId = options ? options.credentialId : await prompts.credentialFor(connection.kind);
        if (credentialId === undefined && !options) return undefined;
        const environmentIds = options ? options.environmentIds : await prompts.environments(connection.environments);
        if (environmentIds === undefined && !options) return undefined;
        let skipTlsVerify = options?.skipTlsVerify;
        if (skipTlsVerify === undefined && !options && connection.url.startsWith('https:') && connection.kind !== 'kubernetes') {
          const tls = await vscode.window.showQuickPick(
            [
              { label: '$(lock) Verify the TLS certificate', detail: 'Recommended. Add a custom CA in meshery.connectivity.caFile if it is private.', skip: false },
              { label: '$(unlock) Skip TLS verification for this connection', detail: 'Recorded on the connection and shown in its tooltip.', skip: true },
            ],
            { title: `TLS for ${connection.url}` },
          );
          if (!tls) return undefined;
          skipTlsVerify = tls.skip;
        }
        let skipVerification = options?.skipVerification;
        if (skipVerification === undefined) {
          const how = await vscode.window.showQuickPick(
            [
              { label: '$(beaker) Test and register', detail: 'CONNECTED if the test reaches it; otherwise REGISTERED, with the failure recorded', skip: false },
              { label: '$(check) Register without testing', detail: 'REGISTERED: known to Meshery, not verified', skip: true },
            ],
            { title: `Register ${connection.name}` },
          );
          if (!how) return undefined;
          skipVerification = how.skip;
        }
        const result = await withCancellableProgress(`Registering ${connection.name}…`, (signal) =>
          connections.register(connection.id, {
            credentialId: credentialId ?? undefined,
            skipTlsVerify,
            skipVerification,
            test: (c) => runConnectionTest(services, c, signal, credentialId ?? undefined),
          }),
        );
        if (environmentIds?.length) for (const id of environmentIds) environments.assign(id, [connection.id]);
        if (result.test) reportTest(result.connection, result.test);
        else void vscode.window.showInformationMessage(`${connection.name} is registered (not verified).`);
        return result.connection;
      }),
    ),
    vscode.commands.registerCommand(
      'meshery.connections.test',
      guarded(async (arg?: ConnectionArg) => {
        const connection = await prompts.connection(arg, 'Test which connection?');
        if (!connection) return undefined;
        const result = await withCancellableProgress(`Testing ${connection.name}…`, (signal) => connections.test(connection.id, (c) => runConnectionTest(services, c, signal)));
        reportTest(connection, result);
        return result;
      }),
    ),
    vscode.commands.registerCommand(
      'meshery.connections.changeStatus',
      guarded(async (arg?: ConnectionArg, to?: ConnectionStatus, options?: { confirm?: boolean }) => {
        const connection = await prompts.connection(arg, 'Change the status of which connection?');
        if (!connection) return undefined;
        const definition = connectionDefinition(connection.kind)!;
        let target = to;
        if (!target) {
          const allowed = allowedTransitions(definition, connection.status);
          if (allowed.length === 0) {
            void vscode.window.showInformationMessage(`${connection.name} is ${connection.status}: no status can follow it.`);
            return undefined;
          }
          target = (await vscode.window.showQuickPick(allowed.map((t) => ({ label: t.to, detail: t.sentence, to: t.to })), { title: `${connection.name} is ${connection.status}; change to…` }))?.to;
          if (!target) return undefined;
        }
        if (options?.confirm !== false) {
          const sentence = definition.transitions.find((t) => t.from === connection.status && t.to === target)?.sentence ?? '';
          const ok = await vscode.window.showWarningMessage(`${connection.name}: ${connection.status} → ${target}`, { modal: true, detail: sentence }, 'Change');
          if (ok !== 'Change') return undefined;
        }
        return connections.changeStatus(connection.id, target);
      }),
    ),
    vscode.commands.registerCommand(
      'meshery.connections.assignEnvironment',
      guarded(async (arg?: ConnectionArg, environmentIds?: string[]) => {
        const connection = await prompts.connection(arg, 'Assign which connection?');
        if (!connection) return undefined;
        const wanted = environmentIds ?? (await prompts.environments(connection.environments));
        if (!wanted) return undefined;
        for (const id of wanted.filter((e) => !connection.environments.includes(e))) environments.assign(id, [connection.id]);
        for (const id of connection.environments.filter((e) => !wanted.includes(e))) environments.unassign(id, [connection.id]);
        return connections.get(connection.id);
      }),
    ),
  ];
}
