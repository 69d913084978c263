import * as vscode from 'vscode';
import { registerCommand } from '../commandRoute';
import { allowedTransitions } from '../../core/connections/statusMachine';
import { ConnectionStatus, connectionDefinition } from '../../core/registry/connectionDefinitions';
import { ConnectionArg, ConnectionPrompts } from './connectionPrompts';
import { guarded, reportTest, runConnectionTest, withCancellableProgress } from './connectionRunner';
import { ConnectionServices } from './connectionServices';

/** Opens the registration panel of a connection (null: a new one typed by hand). */
export type OpenRegistration = (connectionId: string | null) => unknown;

const newConnection = '$(add) New connection…';

/**
 * Register (the registration panel; with options from code, directly), Test, Change Status and
 * Assign to Environment: quick picks when called bare, arguments when called from code.
 */
export function registerConnectionCommands(services: ConnectionServices, prompts: ConnectionPrompts, openRegistration: OpenRegistration): vscode.Disposable[] {
  const { connections, environments } = services;
  return [
    registerCommand(
      'meshery.connections.showDetails',
      guarded(async (arg?: ConnectionArg) => {
        const connection = await prompts.connection(arg, 'Show which connection?');
        return connection ? openRegistration(connection.id) : undefined;
      }),
    ),
    registerCommand(
      'meshery.connections.register',
      guarded(async (arg?: ConnectionArg, options?: { credentialId?: string | null; environmentIds?: string[]; skipVerification?: boolean; skipTlsVerify?: boolean }) => {
        if (!options) {
          if (arg !== undefined) {
            const connection = await prompts.connection(arg, 'Register which connection?');
            if (!connection) throw new Error('There is no connection for this object yet; discovery proposes it once it has read the cluster.');
            return openRegistration(connection.id);
          }
          const registrable = connections.list().filter((c) => ['discovered', 'ignored'].includes(c.status));
          const picked = await vscode.window.showQuickPick(
            [
              { label: newConnection, detail: 'An address typed by hand, e.g. a Prometheus outside the cluster', id: null as string | null },
              ...registrable.map((c) => ({ label: c.name, description: `${c.kind} · ${c.status}`, detail: c.url, id: c.id as string | null })),
            ],
            { placeHolder: 'Register which connection?', matchOnDescription: true, matchOnDetail: true },
          );
          return picked ? openRegistration(picked.id) : undefined;
        }
        const connection = await prompts.connection(arg, 'Register which connection?', (c) => ['discovered', 'ignored'].includes(c.status));
        if (!connection) return undefined;
        // From code (scripts, tests): everything comes in the options, nothing is asked.
        const { credentialId, environmentIds, skipTlsVerify, skipVerification } = options;
        const result = await withCancellableProgress(`Registering ${connection.name}…`, (signal) =>
          connections.register(connection.id, {
            credentialId,
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
    registerCommand(
      'meshery.connections.test',
      guarded(async (arg?: ConnectionArg) => {
        const connection = await prompts.connection(arg, 'Test which connection?');
        if (!connection) return undefined;
        const result = await withCancellableProgress(`Testing ${connection.name}…`, (signal) => connections.test(connection.id, (c) => runConnectionTest(services, c, signal)));
        reportTest(connection, result);
        return result;
      }),
    ),
    registerCommand(
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
        const status = target;
        // CONNECTED and leaving maintenance run the connectivity test: with progress, cancellable.
        const tested = status === 'connected' || connection.status === 'maintenance';
        const change = (signal?: AbortSignal) => connections.setStatus(connection.id, status, (c) => runConnectionTest(services, c, signal));
        return tested ? withCancellableProgress(`Testing ${connection.name}…`, change) : change();
      }),
    ),
    registerCommand(
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
