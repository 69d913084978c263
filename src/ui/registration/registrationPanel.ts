import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/common/logger';
import { ConnectionService } from '../../core/connections/connectionService';
import { CredentialService } from '../../core/connections/credentialService';
import { EnvironmentService } from '../../core/connections/environmentService';
import { EventLog } from '../../core/events/eventLog';
import { connectionInfo, detailsInfo } from '../../core/registration/connectionInfo';
import { HostMessage, NoticeMessage, PanelState, RequestMessage, RequestType, Requests, parseWebviewMessage } from '../../core/registration/protocol';
import { RegistrationService } from '../../core/registration/registrationService';
import { connectionStatuses } from '../../core/connections/statusMachine';

export interface PanelServices {
  readonly connections: ConnectionService;
  readonly credentials: CredentialService;
  readonly environments: EnvironmentService;
  readonly events: EventLog;
  readonly registration: RegistrationService;
}

/** What a panel is about: one connection (null: one typed by hand), or a credential being written. */
export type PanelTarget = { readonly panel: 'connection'; readonly connectionId: string | null } | { readonly panel: 'credential' };

export function panelKey(target: PanelTarget): string {
  return target.panel === 'credential' ? 'credential' : `connection:${target.connectionId ?? 'new'}`;
}

const seriesIntervalMs = 15_000;

/**
 * One registration panel: it sends the state, answers the webview's requests through the core, and
 * treats every message as untrusted (checked against the contract's schemas; a refused one is a
 * debug event, never an exception). Secrets travel one way, from the form to the secret store.
 */
export class RegistrationPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** PEM files picked for this form, by field: kept here, never sent to the webview. */
  private readonly files = new Map<string, string>();
  private seriesTimer: NodeJS.Timeout | undefined;
  private watchingSeries = false;
  private readonly aborts = new Set<AbortController>();
  private disposed = false;

  constructor(
    readonly webviewPanel: vscode.WebviewPanel,
    private target: PanelTarget,
    private readonly services: PanelServices,
    private readonly posted: (message: HostMessage) => void,
    private readonly onDispose: () => void,
  ) {
    this.disposables.push(
      webviewPanel.webview.onDidReceiveMessage((raw) => void this.handle(raw)),
      webviewPanel.onDidChangeViewState(() => this.scheduleSeries()),
      webviewPanel.onDidDispose(() => this.dispose()),
      services.connections.onDidChange(() => this.pushStateSoon()),
      services.credentials.onDidChange(() => this.pushStateSoon()),
      services.environments.onDidChange(() => this.pushStateSoon()),
    );
    this.updateTitle();
  }

  get key(): string {
    return panelKey(this.target);
  }

  get connectionId(): string | null {
    return this.target.panel === 'connection' ? this.target.connectionId : null;
  }

  reveal(): void {
    this.webviewPanel.reveal();
  }

  /** Every message from the webview goes through here; the extension-host tests call it directly. */
  async handle(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.services.events.record({
        category: 'registration',
        action: 'message-refused',
        severity: 'debug',
        description: `The registration panel sent a message that was ignored: ${parsed.reason.slice(0, 300)}`,
      });
      return;
    }
    const message = parsed.message;
    if (!('id' in message)) return this.notice(message);
    const controller = new AbortController();
    this.aborts.add(controller);
    try {
      const result = await this.request(message, controller.signal);
      this.post({ type: 'response', id: message.id, ok: true, result });
    } catch (error) {
      this.post({ type: 'response', id: message.id, ok: false, error: errorMessage(error) });
    } finally {
      this.aborts.delete(controller);
    }
  }

  private async notice(message: NoticeMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.pushState();
      case 'reveal': {
        const id = this.connectionId;
        if (!id) return;
        if (message.params.what === 'connection') await vscode.commands.executeCommand('meshery.connections.reveal', id);
        else {
          await vscode.commands.executeCommand('meshery.events.clearFilter');
          await vscode.commands.executeCommand('meshery.events.filterActedUpon', id);
          await vscode.commands.executeCommand('meshery.notificationCenter.focus');
        }
        return;
      }
      case 'openBoard': {
        const connection = this.connectionId ? this.services.connections.get(this.connectionId) : undefined;
        if (!connection || connection.kind !== 'grafana') return;
        // Only boards of this Grafana: the path is resolved against the connection's own URL.
        const target = new URL(message.params.url, connection.url.endsWith('/') ? connection.url : `${connection.url}/`);
        if (target.origin !== new URL(connection.url).origin) return;
        await vscode.env.openExternal(vscode.Uri.parse(target.toString()));
        return;
      }
      case 'watchSeries':
        this.watchingSeries = message.params.visible;
        return this.scheduleSeries();
    }
  }

  private async request(message: RequestMessage, signal: AbortSignal): Promise<Requests[RequestType]['result']> {
    const { registration, environments } = this.services;
    switch (message.type) {
      case 'test':
        return registration.test(message.params.draft, this.files, signal);
      case 'register': {
        const outcome = await registration.register(message.params.draft, this.files, signal);
        this.files.clear();
        if (this.target.panel === 'connection' && this.target.connectionId !== outcome.connectionId) {
          this.target = { panel: 'connection', connectionId: outcome.connectionId };
          this.onRetarget?.(this);
        }
        this.updateTitle();
        this.pushState();
        return outcome;
      }
      case 'loadMetricNames':
        return registration.metricNames(message.params.draft, this.files, signal);
      case 'loadMetricValues':
        return { values: await registration.metricValues(message.params.draft, message.params.names, this.files, signal) };
      case 'loadBoards':
        return registration.boards(message.params.draft, this.files, signal);
      case 'createEnvironment': {
        const created = environments.create(message.params.name);
        return { id: created.id, name: created.name };
      }
      case 'changeStatus': {
        if (!this.connectionId) throw new Error('Register the connection first.');
        const known = connectionStatuses.find((status) => status === message.params.to);
        if (!known) throw new Error(`"${message.params.to}" is not a connection status.`);
        return { status: await registration.setStatus(this.connectionId, known, signal) };
      }
      case 'pickPemFile':
        return this.pickPemFile(message.params.field, message.params.secret);
      case 'testCredential':
        return registration.testCredential(message.params.credential, this.files, signal);
      case 'registerCredential': {
        const result = await registration.registerCredential(message.params.credential, this.files);
        this.files.clear();
        return result;
      }
    }
  }

  /** Set by the panel manager: a new connection's panel becomes that connection's panel once registered. */
  onRetarget: ((panel: RegistrationPanel) => void) | undefined;

  private async pickPemFile(field: string, secret: boolean): Promise<{ fileName: string; content?: string } | null> {
    const [uri] =
      (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Use this file', filters: { 'PEM files': ['pem', 'crt', 'cer', 'key'], 'All files': ['*'] } })) ?? [];
    if (!uri) return null;
    const content = fs.readFileSync(uri.fsPath, 'utf8');
    if (!/-----BEGIN [A-Z0-9 ]+-----/.test(content)) throw new Error(`${uri.fsPath} is not a PEM file (no -----BEGIN …----- line).`);
    this.files.set(field, content);
    const fileName = uri.path.split('/').pop() ?? uri.fsPath;
    // A certificate or CA is public and may be shown; a key stays in the host.
    return secret ? { fileName } : { fileName, content };
  }

  state(): PanelState {
    const { connections, credentials, environments, events, registration } = this.services;
    const connection = this.connectionId ? connections.get(this.connectionId) : undefined;
    const registered = connection && !['discovered', 'ignored', 'not found', 'deleted'].includes(connection.status);
    return {
      panel: this.target.panel,
      kinds: registration.kinds(),
      connection: connection ? connectionInfo(connection) : null,
      details: connection && registered ? detailsInfo(connection, events.query({ actedUpon: connection.id }, { limit: 30 })) : null,
      credentials: credentials.list().map((c) => ({ id: c.id, name: c.name, kind: c.kind, type: c.type, fields: c.fields })),
      environments: environments.list().map((e) => ({ id: e.id, name: e.name })),
      connections: connections
        .list()
        .filter((c) => c.status !== 'deleted')
        .map((c) => ({ id: c.id, name: c.name, kind: c.kind, status: c.status })),
    };
  }

  private pushState(): void {
    this.updateTitle();
    this.post({ type: 'state', params: this.state() });
    this.scheduleSeries();
  }

  private pending: NodeJS.Timeout | undefined;
  /** Changes come in bursts (a registration writes several rows): one state message per burst. */
  private pushStateSoon(): void {
    if (this.disposed || this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      if (!this.disposed) this.pushState();
    }, 50);
  }

  /** Sparklines refresh every 15 s, only while the panel is visible and shows them. */
  private scheduleSeries(): void {
    const wanted = !this.disposed && this.watchingSeries && this.webviewPanel.visible && !!this.connectionId;
    if (!wanted) {
      clearInterval(this.seriesTimer);
      this.seriesTimer = undefined;
      return;
    }
    if (this.seriesTimer) return;
    const load = async () => {
      const series = await this.services.registration.series(this.connectionId!).catch(() => []);
      if (!this.disposed) this.post({ type: 'series', params: { series } });
    };
    void load();
    this.seriesTimer = setInterval(() => void load(), seriesIntervalMs);
  }

  private updateTitle(): void {
    const connection = this.connectionId ? this.services.connections.get(this.connectionId) : undefined;
    this.webviewPanel.title =
      this.target.panel === 'credential' ? 'Register Credential' : connection ? (connection.status === 'discovered' ? `Register ${connection.name}` : connection.name) : 'New Connection';
  }

  private post(message: HostMessage): void {
    if (this.disposed) return;
    this.posted(message);
    void this.webviewPanel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.seriesTimer);
    clearTimeout(this.pending);
    for (const controller of this.aborts) controller.abort();
    this.disposables.forEach((d) => d.dispose());
    this.webviewPanel.dispose();
    this.onDispose();
  }
}
