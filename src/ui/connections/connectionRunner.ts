import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/common/logger';
import { Connection } from '../../core/connections/types';
import { TesterContext, testConnection } from '../../core/connectivity/connectionTester';
import { DiscoveryService } from '../../core/kube/discoveryService';
import { TestResult } from '../../core/connectivity/testers';
import { existingKubeconfigFiles } from '../../core/kube/kubeconfigFiles';
import { settings } from '../settings';
import { ConnectionServices } from './connectionServices';

/** What every connectivity test needs, from the settings as they are now. */
export function testerContext(discovery: DiscoveryService, signal?: AbortSignal): TesterContext {
  const caFile = settings.connectivityCaFile();
  return {
    kubeconfigFiles: existingKubeconfigFiles({ settingPaths: settings.kubeconfigPaths(), env: process.env }),
    timeoutMs: settings.connectivityTimeoutMs(),
    signal,
    clusterClient: (id: string) => discovery.clientFor(id),
    serviceCa: caFile ? fs.readFileSync(caFile) : undefined,
    proxy: settings.proxy(),
  };
}

/** Runs a connection's connectivity test with a credential's values (its own by default) and the settings. */
export async function runConnectionTest(services: ConnectionServices, connection: Connection, signal?: AbortSignal, credentialId = connection.credentialId): Promise<TestResult> {
  const values = credentialId ? await services.credentials.values(credentialId) : undefined;
  return testConnection(connection, values, testerContext(services.discovery, signal));
}

/** Long operations show progress and can be cancelled. */
export function withCancellableProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    return work(controller.signal);
  });
}

export function reportTest(connection: Connection, result: TestResult): void {
  if (result.reached) {
    void vscode.window.showInformationMessage(
      `${connection.name}: reached ${result.path === 'service-proxy' ? "through the API server's service proxy" : 'directly'} in ${result.latencyMs} ms${result.serverVersion ? ` (version ${result.serverVersion})` : ''}.`,
    );
  } else {
    void vscode.window.showWarningMessage(`${connection.name}: not reached (${result.failure?.class}). ${result.failure?.advice ?? ''}`);
  }
}

/** A command body whose errors (validation, refused transitions) become an error message instead of a rejected command. */
export function guarded<A extends unknown[]>(run: (...args: A) => Promise<unknown>): (...args: A) => Promise<unknown> {
  return async (...args: A) => {
    try {
      return await run(...args);
    } catch (error) {
      void vscode.window.showErrorMessage(errorMessage(error));
      return undefined;
    }
  };
}
