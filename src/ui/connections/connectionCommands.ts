import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/common/logger';
import { ConnectionService } from '../../core/connections/connectionService';
import { CredentialService } from '../../core/connections/credentialService';
import { EnvironmentService } from '../../core/connections/environmentService';
import { allowedTransitions } from '../../core/connections/statusMachine';
import { Connection } from '../../core/connections/types';
import { testConnection } from '../../core/connectivity/connectionTester';
import { TestResult } from '../../core/connectivity/testers';
import { DiscoveryService } from '../../core/kube/discoveryService';
import { existingKubeconfigFiles } from '../../core/kube/kubeconfigFiles';
import { ConnectionStatus, connectionDefinition } from '../../core/registry/connectionDefinitions';
import { settings } from '../settings';
import { ConnectionNode } from './connectionsTreeProvider';

export interface ConnectionServices {
  readonly connections: ConnectionService;
  readonly environments: EnvironmentService;
  readonly credentials: CredentialService;
  readonly discovery: DiscoveryService;
}

/** Arguments commands accept from the tree (a node), from the Discovered view (a candidate object) or from code (an id). */
type ConnectionArg = ConnectionNode | { kind: 'object'; clusterId: string; uid: string } | string | undefined;

const createNew = '$(add) Create new…';

/**
 * The connection, environment and credential commands (palette, trees, panel). Each takes its
 * inputs from quick picks when called without arguments, and from arguments when called from code.
 */
export function registerConnectionCommands(services: ConnectionServices, toggleGrouping: () => void): vscode.Disposable[] {
  const { connections, environments, credentials, discovery } = services;

  const resolve = async (arg: ConnectionArg, placeHolder: string, filter: (c: Connection) => boolean = () => true): Promise<Connection | undefined> => {
    if (typeof arg === 'string') return connections.get(arg);
    if (arg && 'type' in arg && arg.type === 'connection') return connections.get(arg.connectionId);
    if (arg && 'kind' in arg && arg.kind === 'object') return connections.list().find((c) => c.clusterId === arg.clusterId && c.objectUid === arg.uid);
    const candidates = connections.list().filter((c) => c.status !== 'deleted' && filter(c));
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('There is no connection for this yet. Connections appear as discovery finds clusters, Prometheus and Grafana.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      candidates.map((c) => ({ label: c.name, description: `${c.kind} · ${c.status}`, detail: c.url, connection: c })),
      { placeHolder, matchOnDescription: true, matchOnDetail: true },
    );
    return picked?.connection;
  };

  const testerContext = (signal?: AbortSignal) => {
    const caFile = settings.connectivityCaFile();
    return {
      kubeconfigFiles: existingKubeconfigFiles({ settingPaths: settings.kubeconfigPaths(), env: process.env }),
      timeoutMs: settings.connectivityTimeoutMs(),
      signal,
      clusterClient: (id: string) => discovery.clientFor(id),
      ca: caFile ? fs.readFileSync(caFile) : undefined,
    };
  };
  const runTest = async (connection: Connection, signal?: AbortSignal, credentialId = connection.credentialId): Promise<TestResult> => {
    const values = credentialId ? await credentials.values(credentialId) : undefined;
    return testConnection(connection, values, testerContext(signal));
  };
  /** Long operations show progress and can be cancelled. */
  const withProgress = <T>(title: string, work: (signal: AbortSignal) => Promise<T>): Thenable<T> =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return work(controller.signal);
    });
  const report = (connection: Connection, result: TestResult) => {
    if (result.reached) {
      void vscode.window.showInformationMessage(`${connection.name}: reached ${result.path === 'service-proxy' ? "through the API server's service proxy" : 'directly'} in ${result.latencyMs} ms${result.serverVersion ? ` (version ${result.serverVersion})` : ''}.`);
    } else {
      void vscode.window.showWarningMessage(`${connection.name}: not reached (${result.failure?.class}). ${result.failure?.advice ?? ''}`);
    }
  };
  const guard = <A extends unknown[]>(run: (...args: A) => Promise<unknown>) => async (...args: A) => {
    try {
      return await run(...args);
    } catch (error) {
      void vscode.window.showErrorMessage(errorMessage(error));
      return undefined;
    }
  };

  const pickEnvironments = async (current: readonly string[]): Promise<string[] | undefined> => {
    const items: (vscode.QuickPickItem & { id?: string })[] = [
      ...environments.list().map((e) => ({ label: e.name, description: e.description, picked: current.includes(e.id), id: e.id })),
      { label: createNew, alwaysShow: true },
    ];
    const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: 'Environments of this connection' });
    if (!picked) return undefined;
    const ids = picked.filter((p) => p.id).map((p) => p.id!);
    if (picked.some((p) => p.label === createNew)) {
      const created = await createEnvironment();
      if (created) ids.push(created);
    }
    return ids;
  };

  const createEnvironment = async (name?: string, description?: string): Promise<string | undefined> => {
    const value =
      name ??
      (await vscode.window.showInputBox({
        title: 'New environment',
        prompt: 'Name (at most 100 characters)',
        validateInput: (v) => (!v.trim() ? 'A name is needed.' : v.trim().length > 100 ? 'At most 100 characters.' : environments.list().some((e) => e.name.toLowerCase() === v.trim().toLowerCase()) ? 'That name is taken.' : undefined),
      }));
    if (!value) return undefined;
    return environments.create(value, description ?? '').id;
  };

  const pickCredential = async (kind: string): Promise<string | null | undefined> => {
    const own = credentials.list().filter((c) => c.kind === kind);
    const picked = await vscode.window.showQuickPick(
      [
        ...own.map((c) => ({ label: c.name, description: `${c.type} · fields: ${c.fields.join(', ')}`, id: c.id as string | null })),
        { label: '$(circle-slash) No credential', id: null },
        { label: createNew, id: 'new' },
      ],
      { title: `Credential for this ${connectionDefinition(kind)?.displayName ?? kind} connection` },
    );
    if (!picked) return undefined;
    if (picked.id === 'new') return (await createCredential(kind)) ?? undefined;
    return picked.id;
  };

  const createCredential = async (kind?: string): Promise<string | undefined> => {
    const chosenKind =
      kind ??
      (await vscode.window.showQuickPick(['kubernetes', 'prometheus', 'grafana'].map((k) => ({ label: connectionDefinition(k)!.displayName, connectionKind: k })), { title: 'Credential for which kind of connection?' }))?.connectionKind;
    if (!chosenKind) return undefined;
    const definition = connectionDefinition(chosenKind)!;
    const schema = await vscode.window.showQuickPick(definition.credentialSchema.map((s) => ({ label: s.displayName, schema: s })), { title: `${definition.displayName} credential type` });
    if (!schema) return undefined;
    const values: Record<string, string> = {};
    for (const field of schema.schema.fields) {
      const value = await vscode.window.showInputBox({
        title: `${schema.label}: ${field.name}`,
        password: field.secret,
        prompt: field.secret ? 'Stored in VS Code SecretStorage only' : undefined,
        validateInput: (v) => (field.required && !v ? `${field.name} is required.` : undefined),
      });
      if (value === undefined) return undefined;
      if (value) values[field.name] = value;
    }
    const name = await vscode.window.showInputBox({ title: 'Credential name', value: `${definition.displayName} ${schema.label}`, validateInput: (v) => (v.trim() ? undefined : 'A name is needed.') });
    if (!name) return undefined;
    return (await credentials.create({ name, kind: chosenKind, type: schema.schema.type, values })).id;
  };


  /** A credential by id, or picked. */
  const chooseCredential = async (id?: string) => {
    const credentialId = id ?? (await vscode.window.showQuickPick(credentials.list().map((c) => ({ label: c.name, description: `${c.kind} · ${c.type} · used by ${c.connectionIds.length}`, id: c.id }))))?.id;
    return credentialId ? credentials.get(credentialId) : undefined;
  };
  /** Connections of the credential's kind, by id or picked (those using it pre-selected). */
  const chooseConnectionsFor = async (credential: { name: string; kind: string; connectionIds: readonly string[] }, title: string, ids?: string[]) =>
    ids?.map((c) => connections.get(c)).filter((c): c is Connection => !!c) ??
    (
      await vscode.window.showQuickPick(
        connections.list().filter((c) => c.kind === credential.kind && c.status !== 'deleted').map((c) => ({ label: c.name, description: c.status, picked: credential.connectionIds.includes(c.id), connection: c })),
        { canPickMany: true, title: `${title} "${credential.name}"…` },
      )
    )?.map((p) => p.connection);
  /** An environment by id, from its tree node, or picked. */
  const chooseEnvironment = async (arg?: ConnectionNode | string) => {
    const id = typeof arg === 'string' ? arg : arg?.type === 'group' ? arg.environmentId : (await vscode.window.showQuickPick(environments.list().map((e) => ({ label: e.name, id: e.id }))))?.id;
    return id ? environments.get(id) : undefined;
  };

  return [
    vscode.commands.registerCommand('meshery.connections.toggleGrouping', toggleGrouping),
    vscode.commands.registerCommand(
      'meshery.connections.register',
      guard(async (arg?: ConnectionArg, options?: { credentialId?: string | null; environmentIds?: string[]; skipVerification?: boolean; skipTlsVerify?: boolean }) => {
        const connection = await resolve(arg, 'Register which connection?', (c) => ['discovered', 'ignored'].includes(c.status));
        if (!connection) return undefined;
        const credentialId = options ? options.credentialId : await pickCredential(connection.kind);
        if (credentialId === undefined && !options) return undefined;
        const environmentIds = options ? options.environmentIds : await pickEnvironments(connection.environments);
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
        const result = await withProgress(`Registering ${connection.name}…`, (signal) =>
          connections.register(connection.id, {
            credentialId: credentialId ?? undefined,
            skipTlsVerify,
            skipVerification,
            test: (c) => runTest(c, signal, credentialId ?? undefined),
          }),
        );
        if (environmentIds?.length) for (const id of environmentIds) environments.assign(id, [connection.id]);
        if (result.test) report(result.connection, result.test);
        else void vscode.window.showInformationMessage(`${connection.name} is registered (not verified).`);
        return result.connection;
      }),
    ),
    vscode.commands.registerCommand(
      'meshery.connections.test',
      guard(async (arg?: ConnectionArg) => {
        const connection = await resolve(arg, 'Test which connection?');
        if (!connection) return undefined;
        const result = await withProgress(`Testing ${connection.name}…`, (signal) => connections.test(connection.id, (c) => runTest(c, signal)));
        report(connection, result);
        return result;
      }),
    ),
    vscode.commands.registerCommand(
      'meshery.connections.changeStatus',
      guard(async (arg?: ConnectionArg, to?: ConnectionStatus, options?: { confirm?: boolean }) => {
        const connection = await resolve(arg, 'Change the status of which connection?');
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
      guard(async (arg?: ConnectionArg, environmentIds?: string[]) => {
        const connection = await resolve(arg, 'Assign which connection?');
        if (!connection) return undefined;
        const wanted = environmentIds ?? (await pickEnvironments(connection.environments));
        if (!wanted) return undefined;
        for (const id of wanted.filter((e) => !connection.environments.includes(e))) environments.assign(id, [connection.id]);
        for (const id of connection.environments.filter((e) => !wanted.includes(e))) environments.unassign(id, [connection.id]);
        return connections.get(connection.id);
      }),
    ),
    vscode.commands.registerCommand('meshery.environments.create', guard(async (name?: string, description?: string) => createEnvironment(name, description))),
    vscode.commands.registerCommand(
      'meshery.environments.rename',
      guard(async (arg?: ConnectionNode | string, name?: string) => {
        const environment = await chooseEnvironment(arg);
        if (!environment) return undefined;
        const value = name ?? (await vscode.window.showInputBox({ title: 'Rename environment', value: environment.name }));
        return value ? environments.rename(environment.id, value) : undefined;
      }),
    ),
    vscode.commands.registerCommand(
      'meshery.environments.delete',
      guard(async (arg?: ConnectionNode | string, options?: { confirm?: boolean }) => {
        const environment = await chooseEnvironment(arg);
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
    vscode.commands.registerCommand('meshery.credentials.create', guard(async () => createCredential())),
    vscode.commands.registerCommand(
      'meshery.credentials.delete',
      guard(async (id?: string, options?: { confirm?: boolean }) => {
        const credential = await chooseCredential(id);
        if (!credential) return undefined;
        if (credential.connectionIds.length && options?.confirm !== false) {
          const names = credential.connectionIds.map((c) => connections.get(c)?.name ?? c).join(', ');
          const ok = await vscode.window.showWarningMessage(`"${credential.name}" is used by ${credential.connectionIds.length} connection(s).`, { modal: true, detail: `${names} will have no credential. Delete it anyway?` }, 'Delete');
          if (ok !== 'Delete') return undefined;
        }
        return credentials.delete(credential.id);
      }),
    ),
    vscode.commands.registerCommand(
      'meshery.credentials.test',
      guard(async (id?: string, connectionIds?: string[]) => {
        const credential = await chooseCredential(id);
        if (!credential) return undefined;
        const targets = await chooseConnectionsFor(credential, 'Test', connectionIds);
        if (!targets?.length) return undefined;
        const results = await withProgress(`Testing "${credential.name}"…`, (signal) => Promise.all(targets.map((t) => connections.test(t.id, (c) => runTest(c, signal, credential.id)))));
        const reached = results.filter((r) => r.reached).length;
        void vscode.window.showInformationMessage(`"${credential.name}" reached ${reached} of ${results.length} connection(s).`);
        return results;
      }),
    ),
    vscode.commands.registerCommand(
      'meshery.credentials.attach',
      guard(async (id?: string, connectionIds?: string[]) => {
        const credential = await chooseCredential(id);
        if (!credential) return undefined;
        const targets = await chooseConnectionsFor(credential, 'Attach', connectionIds);
        if (targets?.length) credentials.attach(credential.id, targets.map((t) => t.id));
        return targets?.map((t) => t.id);
      }),
    ),
  ];
}
