import * as vscode from 'vscode';
import { followed } from '../settings';

/** The Kubernetes extension (vscode-kubernetes-tools), whose configuration API we follow. */
export const kubernetesToolsId = 'ms-kubernetes-tools.vscode-kubernetes-tools';

type KubeconfigPath = { readonly pathType: 'host'; readonly hostPath: string } | { readonly pathType: 'wsl'; readonly wslPath: string };

/** Its configuration API, v1_1 (v1 names the context event differently). */
interface KubernetesToolsConfiguration {
  getKubeconfigPath(): KubeconfigPath;
  readonly onDidChangeKubeconfigPath?: vscode.Event<KubeconfigPath>;
  readonly onDidKubeconfigPathChange?: vscode.Event<KubeconfigPath>;
  readonly onDidChangeContext?: vscode.Event<string | null>;
  readonly onDidActiveContextChanged?: vscode.Event<string | null>;
}

interface ApiBroker {
  get?(component: string, version: string): { available: boolean; api?: unknown } | Promise<{ available: boolean; api?: unknown }>;
}

/**
 * When the Kubernetes extension is installed, Meshery reads the kubeconfig it uses (its
 * `vs-kubernetes.kubeconfig` setting, else its default) unless `meshery.kubeconfig.paths` is set,
 * and re-reads it when that path or its current context changes, so both show the same clusters.
 * The path it tells is kept in `followed`, where settings.kubeconfigPaths() reads it.
 */
export class KubernetesToolsFollower implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changeEmitter = new vscode.EventEmitter<string>();
  /** Fires with what changed ("kubeconfig path", "context"). */
  readonly onDidChange = this.changeEmitter.event;

  /** Connects to the Kubernetes extension if it is installed; never throws (it is optional). */
  async start(): Promise<boolean> {
    const extension = vscode.extensions.getExtension<ApiBroker>(kubernetesToolsId);
    if (!extension) return false;
    let configuration: KubernetesToolsConfiguration | undefined;
    try {
      const broker = await extension.activate();
      const answer = (await broker?.get?.('configuration', 'v1_1')) ?? (await broker?.get?.('configuration', 'v1'));
      configuration = answer?.available ? (answer.api as KubernetesToolsConfiguration) : undefined;
    } catch {
      return false;
    }
    if (!configuration) return false;
    followed.kubeconfigPath = hostPath(configuration.getKubeconfigPath());
    const pathChanged = configuration.onDidChangeKubeconfigPath ?? configuration.onDidKubeconfigPathChange;
    const contextChanged = configuration.onDidChangeContext ?? configuration.onDidActiveContextChanged;
    if (pathChanged) {
      this.disposables.push(
        pathChanged((changed) => {
          followed.kubeconfigPath = hostPath(changed);
          this.changeEmitter.fire('kubeconfig path');
        }),
      );
    }
    if (contextChanged) this.disposables.push(contextChanged(() => this.changeEmitter.fire('context')));
    this.changeEmitter.fire('kubeconfig path');
    return true;
  }

  dispose(): void {
    this.disposables.splice(0).forEach((d) => d.dispose());
    this.changeEmitter.dispose();
  }
}

/** A WSL path is not a file this extension host can read: then we keep our own lookup. */
function hostPath(path: KubeconfigPath | undefined): string | undefined {
  return path?.pathType === 'host' && path.hostPath ? path.hostPath : undefined;
}
