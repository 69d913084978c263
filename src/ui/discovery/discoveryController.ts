import * as vscode from 'vscode';
import { registerCommand } from '../commandRoute';
import { ConnectionService } from '../../core/connections/connectionService';
import { EventLog } from '../../core/events/eventLog';
import { DiscoveryService } from '../../core/kube/discoveryService';
import { KubeconfigWatch } from '../../core/kube/kubeconfigWatch';
import { existingKubeconfigFiles, kubeconfigCandidates } from '../../core/kube/kubeconfigFiles';
import { loadKubeconfig } from '../../core/kube/kubeconfig';
import { inClusterAvailable } from '../../core/kube/inCluster';
import { settings } from '../settings';
import { KubernetesToolsFollower } from './kubernetesToolsFollower';

/**
 * Runs discovery for the kubeconfig the settings point at: at activation, on "Discover Now", and
 * again whenever the kubeconfig or context settings change.
 */
export function registerDiscoveryController(service: DiscoveryService, events: EventLog, connections: ConnectionService, kubernetesTools: KubernetesToolsFollower): vscode.Disposable[] {
  const start = async (reason: string, keepUnchanged = false): Promise<boolean> => {
    if (!keepUnchanged) service.stop();
    const files = existingKubeconfigFiles({ settingPaths: settings.kubeconfigPaths(), env: process.env });
    if (!settings.discoveryEnabled() || (files.length === 0 && !inClusterAvailable({ env: process.env }))) {
      service.stop();
      return false;
    }
    const started = await service.start({ kubeconfigFiles: files, contexts: settings.discoveryContexts() }, keepUnchanged);
    // A context gone from a kubeconfig that was read in full: its cluster connection is not found.
    const loaded = loadKubeconfig(files);
    if (loaded.fileErrors.length === 0) connections.syncContexts(loaded.contexts.map((c) => (c.ok ? c.access.context : c.context)));
    events.record({
      category: 'discovery',
      action: 'start',
      severity: 'debug',
      description: `Discovery started (${reason}) for ${started.syncs.length} context(s) from ${files.join(', ') || 'the pod\'s service account'}.`,
    });
    return true;
  };
  void start('activation');
  // A token refreshed on disk (kubectl's OIDC refresh, an exec plugin's cache, a re-login) or a
  // context added is picked up without "Discover Now"; unchanged contexts keep their sync.
  const kubeconfigWatch = new KubeconfigWatch(() => kubeconfigCandidates({ settingPaths: settings.kubeconfigPaths(), env: process.env }), () => void start('kubeconfig changed', true));
  // The Kubernetes extension may start after us, or change its kubeconfig or context later.
  const following = kubernetesTools.onDidChange((what) => {
    kubeconfigWatch.rearm();
    void start(`the Kubernetes extension changed its ${what}`, true);
  });
  void kubernetesTools.start();
  return [
    kubeconfigWatch,
    following,
    registerCommand('meshery.discovery.refresh', () =>
      vscode.window.withProgress({ location: { viewId: 'meshery.discovered' }, title: 'Discovering…' }, async () => {
        if (!(await start('requested'))) {
          void vscode.window.showWarningMessage(
            settings.discoveryEnabled() ? 'No kubeconfig was found: choose one first.' : 'Discovery is turned off (meshery.discovery.enabled).',
          );
          return;
        }
        await service.whenSettled();
      }),
    ),
    registerCommand('meshery.discovery.chooseContexts', async (chosen?: string[]) => {
      let contexts = chosen;
      if (!contexts) {
        const files = existingKubeconfigFiles({ settingPaths: settings.kubeconfigPaths(), env: process.env });
        const available = loadKubeconfig(files).contexts.map((c) => (c.ok ? c.access.context : c.context));
        if (available.length === 0) {
          void vscode.window.showWarningMessage('The kubeconfig has no contexts.');
          return;
        }
        const current = new Set(settings.discoveryContexts());
        const picked = await vscode.window.showQuickPick(
          available.map((name) => ({ label: name, picked: current.size === 0 || current.has(name) })),
          { canPickMany: true, title: 'Contexts to discover (all picked: every context, also new ones)' },
        );
        if (!picked) return;
        contexts = picked.length === available.length ? [] : picked.map((p) => p.label);
      }
      await vscode.workspace.getConfiguration('meshery.discovery').update('contexts', contexts, vscode.ConfigurationTarget.Global);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('meshery.kubeconfig') || e.affectsConfiguration('meshery.discovery')) {
        kubeconfigWatch.rearm();
        void start('settings changed');
      }
    }),
  ];
}
