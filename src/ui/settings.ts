import * as vscode from 'vscode';
import { defaultEventRetention } from '../core/events/eventLog';

/** What the Kubernetes extension told us; KubernetesToolsFollower keeps it. */
export const followed: { kubeconfigPath: string | undefined } = { kubeconfigPath: undefined };

/** Typed access to the extension's settings (declared in package.json's contributes.configuration). */
export const settings = {
  /** Ours; else, when followed, the Kubernetes extension's (see KubernetesToolsFollower); else none ($KUBECONFIG, ~/.kube/config). */
  kubeconfigPaths: (): string[] => {
    const kubeconfig = vscode.workspace.getConfiguration('meshery.kubeconfig');
    const own = kubeconfig.get<string[]>('paths', []).filter((p) => p.trim());
    if (own.length > 0 || !kubeconfig.get<boolean>('followKubernetesExtension', true)) return own;
    return followed.kubeconfigPath ? [followed.kubeconfigPath] : [];
  },
  eventRetention: () => vscode.workspace.getConfiguration('meshery.events').get<number>('retention', defaultEventRetention),
  showDebugEvents: () => vscode.workspace.getConfiguration('meshery.events').get<boolean>('showDebug', false),
  notifyOnError: () => vscode.workspace.getConfiguration('meshery.events').get<boolean>('notifyOnError', true),
  discoveryEnabled: () => vscode.workspace.getConfiguration('meshery.discovery').get<boolean>('enabled', true),
  discoveryContexts: () => vscode.workspace.getConfiguration('meshery.discovery').get<string[]>('contexts', []),
  modelImportPaths: () => vscode.workspace.getConfiguration('meshery.registry').get<string[]>('importPaths', []),
  connectivityTimeoutMs: () => vscode.workspace.getConfiguration('meshery.connectivity').get<number>('timeoutMs', 10_000),
  connectivityCaFile: () => vscode.workspace.getConfiguration('meshery.connectivity').get<string>('caFile', ''),
  healthCheckIntervalMs: () => 1000 * vscode.workspace.getConfiguration('meshery.connectivity').get<number>('healthCheckIntervalSeconds', 300),
  /** VS Code's own proxy settings, over the environment's (as VS Code applies them). */
  proxy: () => {
    const http = vscode.workspace.getConfiguration('http');
    return { url: http.get<string>('proxy', '') || undefined, noProxy: http.get<string[]>('noProxy', []), env: process.env };
  },
  saveDelayMs: () => vscode.workspace.getConfiguration('meshery.store').get<number>('saveDelayMs', 750),
};
