import * as path from 'node:path';
import * as vscode from 'vscode';
import { followCandidates } from './core/connections/candidateSync';
import { ConnectionService } from './core/connections/connectionService';
import { CredentialService } from './core/connections/credentialService';
import { EnvironmentService } from './core/connections/environmentService';
import { errorMessage } from './core/common/logger';
import { nextTurn } from './core/common/turns';
import { EventLog } from './core/events/eventLog';
import { DiscoveryService } from './core/kube/discoveryService';
import { RegistrationService } from './core/registration/registrationService';
import { openStore } from './core/store/openStore';
import { MesheryExtensionApi } from './ui/api';
import { CommandHost, registerCommand, routeCommandsThrough } from './ui/commandRoute';
import { testerContext } from './ui/connections/connectionRunner';
import { registerConnectionViews } from './ui/connections/connectionViews';
import { registerHealthChecks } from './ui/connections/healthChecks';
import { secretStorageStore } from './ui/connections/secretStorageStore';
import { registerDiscoveredView } from './ui/discoveredView';
import { registerDiscoveryController } from './ui/discovery/discoveryController';
import { KubernetesToolsFollower } from './ui/discovery/kubernetesToolsFollower';
import { registerDiscoveryStatusBar } from './ui/discovery/discoveryStatusBar';
import { registerKubeconfigCommands, updateKubeconfigContext } from './ui/kubeconfigCommands';
import { createLogOutput } from './ui/logOutput';
import { registerNotificationCenter } from './ui/notificationCenter/notificationCenter';
import { registerEventTargets } from './ui/notificationCenter/eventTargets';
import { settings } from './ui/settings';
import { RegistrationPanels } from './ui/registration/registrationPanels';
import { registerRegistryCommands } from './ui/registryCommands';
import { loadRegistry } from './ui/registryLoader';
import { registerStoreCommands } from './ui/storeCommands';
import { PerformanceMonitor, registerPerformanceCommands } from './ui/performanceMonitor';
import { reportRecoveredChanges, reportSaveErrors, reportStoreRecovery } from './ui/storeReporting';

/** What the activation shell (src/extension.ts) hands over. */
export interface Shell {
  readonly commands: CommandHost;
  /** performance.now() when activate() was called. */
  readonly activationStarted: number;
  /** How long activate() took (the shell alone). */
  readonly activationMs: number;
}

export interface StartedServices {
  readonly api: MesheryExtensionApi;
  /** What must happen, in order, when the window closes: stop discovery (its last writes), then save the database. */
  shutdown(): Promise<void>;
}

/**
 * Composition root, loaded after activate() has returned: builds the services and hands them to
 * ui/. No logic of its own.
 */
export async function startServices(context: vscode.ExtensionContext, shell: Shell): Promise<StartedServices> {
  routeCommandsThrough(shell.commands);
  context.subscriptions.push({ dispose: () => routeCommandsThrough(undefined) });
  const { channel, logger } = createLogOutput();
  context.subscriptions.push(channel);
  let readyMs = 0;
  const performanceMonitor = new PerformanceMonitor(() => ({ activationMs: shell.activationMs, readyMs }));
  context.subscriptions.push(...registerPerformanceCommands(performanceMonitor, logger));

  const databasePath = path.join(context.globalStorageUri.fsPath, 'meshery.db');
  const { store, recovery, recoveredChanges } = await openStore({ path: databasePath, logger, saveDelayMs: settings.saveDelayMs(), fallbackToMemory: true, compileEngineApart: true });
  const events = new EventLog(store, { retention: settings.eventRetention(), logger });
  context.subscriptions.push(events, reportSaveErrors(store, events));
  const discovery = new DiscoveryService(store, events);
  // The last session's objects load in the background; discovery starts once they are in.
  const restoring = discovery.restore();
  context.subscriptions.push(discovery);
  const listing = () => discovery.statuses().some((status) => status.state === 'connecting' || status.state === 'syncing');
  context.subscriptions.push(performanceMonitor.measureWhileBusy(discovery.onDidChangeStatus, listing));
  // The window is still starting: the rest comes in turns of its own, between VS Code's work.
  await nextTurn();
  const registry = loadRegistry(settings.modelImportPaths(), events);
  const connections = new ConnectionService(store, events);
  const environments = new EnvironmentService(store, events);
  const credentials = new CredentialService(store, secretStorageStore(context.secrets), events);
  const candidates = followCandidates(discovery, connections);
  const registration = new RegistrationService({ connections, credentials, environments, events, registry, testerContext: (signal) => testerContext(discovery, signal) });
  const panels = new RegistrationPanels(context.extensionUri, { connections, credentials, environments, events, registration });
  context.subscriptions.push(connections, environments, credentials, candidates, panels);
  await nextTurn();
  const shutdown = async () => {
    candidates.dispose();
    await discovery.close();
    await store.close();
  };

  context.subscriptions.push(
    ...registerNotificationCenter(context, events),
    ...registerStoreCommands(store, events),
    ...registerKubeconfigCommands(events),
    ...registerRegistryCommands(registry, events),
    ...registerDiscoveredView(context, discovery, registry, connections),
    ...registerDiscoveryStatusBar(discovery),
    ...registerConnectionViews(context, { connections, environments, credentials, discovery }, (connectionId) => panels.open({ panel: 'connection', connectionId })),
    registerCommand('meshery.credentials.register', () => panels.open({ panel: 'credential' })),
    ...registerHealthChecks({ connections, environments, credentials, discovery }),
    ...registerEventTargets({ events, connections, credentials, environments }),
    registerCommand('meshery.log.show', () => channel.show()),
    registerCommand('meshery.settings.open', () =>
      vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${context.extension.id}`),
    ),
  );
  await nextTurn();
  reportStoreRecovery(recovery, events);
  reportRecoveredChanges(recoveredChanges, store.path, events);
  const kubeconfigs = updateKubeconfigContext();
  const kubernetesTools = new KubernetesToolsFollower();
  context.subscriptions.push(kubernetesTools, ...registerDiscoveryController(discovery, events, connections, kubernetesTools));
  await vscode.commands.executeCommand('setContext', 'meshery.activated', true);

  readyMs = Math.round(performance.now() - shell.activationStarted);
  const activationMs = shell.activationMs;
  logger.info(`Meshery activated in ${activationMs} ms; its services were ready ${readyMs} ms after activation began.`);
  events.record({
    category: 'extension',
    action: 'activate',
    severity: 'debug',
    description: `Meshery activated in ${activationMs} ms, ready in ${readyMs} ms (database ${databasePath}, ${kubeconfigs.length} kubeconfig file(s) found).`,
    metadata: { activationMs, readyMs, kubeconfigs },
  });
  void restoring.then(
    (restored) => logger.info(`Restored ${restored} objects discovered in an earlier session (${Math.round(performance.now() - shell.activationStarted)} ms after activation began).`),
    (error) => logger.error(`The objects of an earlier session could not be restored: ${errorMessage(error)}`),
  );
  return { api: { events, store, discovery, registry, connections, environments, credentials, panels, activationMs, readyMs }, shutdown };
}
