import * as vscode from 'vscode';
import { HostMessage } from '../../core/registration/protocol';
import { panelHtml } from './panelHtml';
import { PanelServices, PanelTarget, RegistrationPanel, panelKey } from './registrationPanel';

export const registrationViewType = 'meshery.registration';

/** What the webview keeps with setState (never a secret): enough for the host to know which panel it was. */
interface SavedState {
  readonly target?: PanelTarget;
}

function isTarget(value: unknown): value is PanelTarget {
  const t = value as { panel?: unknown; connectionId?: unknown } | undefined;
  return !!t && (t.panel === 'credential' || (t.panel === 'connection' && (t.connectionId === null || (typeof t.connectionId === 'string' && t.connectionId.length <= 64))));
}

/**
 * The registration panels: one per connection (opening it again reveals it), one for a credential,
 * restored after a window reload with their drafts (the webview keeps the draft, without secrets).
 */
export class RegistrationPanels implements vscode.Disposable {
  private readonly panels = new Map<string, RegistrationPanel>();
  private readonly postedEmitter = new vscode.EventEmitter<HostMessage>();
  /** Every message sent to a webview (tests search them for secrets). */
  readonly onDidPost = this.postedEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.postedEmitter];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly services: PanelServices,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(registrationViewType, {
        deserializeWebviewPanel: async (webviewPanel, state: unknown) => {
          const target = (state as SavedState | undefined)?.target;
          const known = isTarget(target) && (target.panel === 'credential' || target.connectionId === null || !!services.connections.get(target.connectionId));
          if (!known) {
            webviewPanel.dispose();
            return;
          }
          this.adopt(webviewPanel, target);
        },
      }),
    );
  }

  open(target: PanelTarget): RegistrationPanel {
    const existing = this.panels.get(panelKey(target));
    if (existing) {
      existing.reveal();
      return existing;
    }
    const webviewPanel = vscode.window.createWebviewPanel(registrationViewType, 'Meshery', vscode.ViewColumn.Active, this.options());
    return this.adopt(webviewPanel, target);
  }

  get(target: PanelTarget): RegistrationPanel | undefined {
    return this.panels.get(panelKey(target));
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private adopt(webviewPanel: vscode.WebviewPanel, target: PanelTarget): RegistrationPanel {
    webviewPanel.webview.options = this.options();
    webviewPanel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'meshery-activity.svg');
    const panel: RegistrationPanel = new RegistrationPanel(
      webviewPanel,
      target,
      this.services,
      (message) => this.postedEmitter.fire(message),
      () => {
        if (this.panels.get(panel.key) === panel) this.panels.delete(panel.key);
      },
    );
    panel.onRetarget = (p) => {
      for (const [key, value] of this.panels) if (value === p) this.panels.delete(key);
      this.panels.set(p.key, p);
    };
    this.panels.set(panel.key, panel);
    webviewPanel.webview.html = panelHtml(webviewPanel.webview, this.extensionUri, webviewPanel.title);
    return panel;
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
