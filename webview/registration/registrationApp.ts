import { LitElement, html } from 'lit';
import { draftFromConnection, newCredentialProblems, newConnectionDraft, storableCredentialDraft, storableDraft } from '../../src/core/registration/formModel';
import {
  BoardRef,
  ConnectionDraft,
  ConnectionInfo,
  CredentialDraft,
  CredentialTestOutcome,
  HostMessage,
  KindInfo,
  MetricValueView,
  PanelState,
  RegisterOutcome,
  RequestType,
  Requests,
  SeriesView,
  TestView,
} from '../../src/core/registration/protocol';
import { HostConnection } from '../shared/hostConnection';
import { connectionForm } from './connectionForm';
import { credentialPanel } from './credentialPanel';

interface Saved {
  readonly target: { panel: 'connection'; connectionId: string | null } | { panel: 'credential' };
  readonly draft?: ConnectionDraft;
  readonly credentialDraft?: CredentialDraft;
}

/** What a section may read and do; the app owns the state. */
export interface FormHost {
  readonly state: PanelState;
  readonly kind: KindInfo | undefined;
  readonly ui: UiState;
  update(change: Partial<ConnectionDraft>): void;
  updateCredential(change: Partial<CredentialDraft>): void;
  setUi(change: Partial<UiState>): void;
  call<T extends RequestType>(type: T, params: Requests[T]['params'], busy: keyof UiState['busy']): Promise<Requests[T]['result'] | undefined>;
  reveal(what: 'connection' | 'events'): void;
  openBoard(url: string): void;
  pickFile(field: string, secret: boolean): void;
}

export interface UiState {
  readonly draft: ConnectionDraft | undefined;
  readonly credentialDraft: CredentialDraft | undefined;
  readonly files: Readonly<Record<string, string>>;
  readonly metricNames: readonly string[] | undefined;
  readonly metricValues: readonly MetricValueView[];
  readonly boards: readonly BoardRef[] | undefined;
  readonly test: TestView | undefined;
  readonly outcome: RegisterOutcome | undefined;
  readonly credentialTest: CredentialTestOutcome | undefined;
  readonly credentialOutcome: { credentialId: string; attached: number } | undefined;
  readonly errors: Readonly<Partial<Record<RequestType | 'form', string>>>;
  readonly busy: Readonly<Partial<Record<RequestType, boolean>>>;
  readonly series: readonly SeriesView[];
  readonly newEnvironment: string;
}

const emptyUi: UiState = {
  draft: undefined,
  credentialDraft: undefined,
  files: {},
  metricNames: undefined,
  metricValues: [],
  boards: undefined,
  test: undefined,
  outcome: undefined,
  credentialTest: undefined,
  credentialOutcome: undefined,
  errors: {},
  busy: {},
  series: [],
  newEnvironment: '',
};

/** A credential choice the kind allows: "no authentication" only where its definition has it (or the kubeconfig context). */
export function allowsNone(kind: KindInfo | undefined): boolean {
  return !kind || kind.kind === 'kubernetes' || kind.credentialTypes.some((t) => t.type === 'none');
}

/**
 * The registration panel's page. It keeps the draft (without secret values) across reloads,
 * asks the host for everything else, and never decides a status.
 */
export class RegistrationApp extends LitElement {
  static override properties = { state: { state: true }, ui: { state: true } };
  state: PanelState | undefined;
  ui: UiState = emptyUi;
  private readonly host = new HostConnection((message) => this.onPush(message));

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.host.notify('ready', {});
  }

  private onPush(message: Exclude<HostMessage, { type: 'response' }>): void {
    if (message.type === 'series') {
      this.ui = { ...this.ui, series: message.params.series };
      return;
    }
    const first = !this.state;
    const previous = this.state?.connection;
    this.state = message.params;
    if (first) this.initDrafts();
    else if (previous && this.state.connection && this.ui.draft) this.followUntouched(previous, this.state.connection);
    else if (this.state.connection && this.ui.draft && this.ui.draft.connectionId === null) {
      // A new connection was registered: the form now edits it.
      this.ui = { ...this.ui, draft: { ...this.ui.draft, connectionId: this.state.connection.id } };
    }
    this.host.notify('watchSeries', { visible: !!this.state.details && this.state.connection?.kind === 'prometheus' });
    this.save();
  }

  private initDrafts(): void {
    const state = this.state!;
    const saved = this.host.saved<Saved>();
    const savedFor = (id: string | null) => saved?.target.panel === 'connection' && saved.target.connectionId === id;
    if (state.panel === 'credential') {
      const kind = state.kinds[1] ?? state.kinds[0];
      const fallback: CredentialDraft = { name: '', kind: kind.kind, type: kind.credentialTypes.find((t) => t.type !== 'none')?.type ?? '', values: {}, connectionIds: [] };
      this.ui = { ...this.ui, credentialDraft: saved?.target.panel === 'credential' && saved.credentialDraft ? saved.credentialDraft : fallback };
      return;
    }
    let draft: ConnectionDraft;
    if (state.connection && savedFor(state.connection.id) && saved?.draft) draft = saved.draft;
    else if (!state.connection && savedFor(null) && saved?.draft) draft = saved.draft;
    else if (state.connection) draft = draftFromConnection(state.connection);
    else draft = newConnectionDraft(state.kinds.find((k) => k.kind === 'prometheus') ?? state.kinds[0]);
    // Drafts saved by an older version lack the newer fields.
    this.ui = { ...this.ui, draft: this.normalized({ ...draft, acceptInsecureCredential: draft.acceptInsecureCredential ?? false }) };
  }

  /** What discovery learned since the form opened (a later signal, an outside address) replaces what the person has not touched. */
  private followUntouched(previous: ConnectionInfo, next: ConnectionInfo): void {
    const draft = this.ui.draft!;
    const change: { -readonly [K in keyof ConnectionDraft]?: ConnectionDraft[K] } = {};
    if (draft.url === previous.url && next.url !== previous.url) change.url = next.url;
    if (draft.name === previous.name && next.name !== previous.name) change.name = next.name;
    const same = (a: ConnectionDraft['component'], b: ConnectionDraft['component']) => a.model === b.model && a.component === b.component;
    if (same(draft.component, previous.component) && !same(next.component, previous.component)) change.component = next.component;
    if (Object.keys(change).length) this.ui = { ...this.ui, draft: { ...draft, ...change } };
  }

  /** A kind without "no authentication" starts on a new credential of its first type. */
  private normalized(draft: ConnectionDraft): ConnectionDraft {
    const kind = this.state?.kinds.find((k) => k.kind === draft.kind);
    if (draft.credential.mode === 'none' && !allowsNone(kind) && kind) {
      return { ...draft, credential: { mode: 'new', name: '', type: kind.credentialTypes[0].type, values: {} } };
    }
    return draft;
  }

  private save(): void {
    const state = this.state;
    if (!state) return;
    const target: Saved['target'] = state.panel === 'credential' ? { panel: 'credential' } : { panel: 'connection', connectionId: state.connection?.id ?? null };
    this.host.save({
      target,
      ...(this.ui.draft ? { draft: storableDraft(this.ui.draft, state.kinds) } : {}),
      ...(this.ui.credentialDraft ? { credentialDraft: storableCredentialDraft(this.ui.credentialDraft, state.kinds) } : {}),
    } satisfies Saved);
  }

  private formHost(): FormHost {
    const state = this.state!;
    const app = this;
    return {
      state,
      kind: state.kinds.find((k) => k.kind === (this.ui.draft?.kind ?? this.ui.credentialDraft?.kind)),
      ui: this.ui,
      update(change) {
        if (!app.ui.draft) return;
        const kindChanged = change.kind !== undefined && change.kind !== app.ui.draft.kind;
        let draft = { ...app.ui.draft, ...change };
        if (kindChanged) {
          const kind = state.kinds.find((k) => k.kind === draft.kind)!;
          draft = app.normalized({ ...newConnectionDraft(kind), name: draft.name, url: draft.url, environmentIds: draft.environmentIds });
        }
        app.ui = { ...app.ui, draft, ...(kindChanged ? { metricNames: undefined, boards: undefined, files: {} } : {}), test: undefined };
        app.save();
      },
      updateCredential(change) {
        if (!app.ui.credentialDraft) return;
        app.ui = { ...app.ui, credentialDraft: { ...app.ui.credentialDraft, ...change }, credentialTest: undefined };
        app.save();
      },
      setUi(change) {
        app.ui = { ...app.ui, ...change };
      },
      async call(type, params, busy) {
        app.ui = { ...app.ui, busy: { ...app.ui.busy, [busy]: true }, errors: { ...app.ui.errors, [type]: undefined } };
        try {
          return await app.host.request(type, params);
        } catch (error) {
          app.ui = { ...app.ui, errors: { ...app.ui.errors, [type]: (error as Error).message } };
          return undefined;
        } finally {
          app.ui = { ...app.ui, busy: { ...app.ui.busy, [busy]: false } };
        }
      },
      reveal: (what) => this.host.notify('reveal', { what }),
      openBoard: (url) => this.host.notify('openBoard', { url }),
      pickFile: async (field, secret) => {
        const picked = await this.formHost().call('pickPemFile', { field, secret }, 'pickPemFile');
        if (!picked) return;
        this.ui = { ...this.ui, files: { ...this.ui.files, [field]: picked.fileName } };
      },
    };
  }

  protected override render(): unknown {
    if (!this.state) return html`<vscode-progress-ring aria-label="Loading"></vscode-progress-ring>`;
    const host = this.formHost();
    return this.state.panel === 'credential' ? credentialPanel(host) : connectionForm(host);
  }
}

/** Secret values typed into a credential draft stay in memory only; this is what a test or register sends. */
export function credentialProblemsOf(host: FormHost, draft: CredentialDraft): string[] {
  const kind = host.state.kinds.find((k) => k.kind === draft.kind);
  return newCredentialProblems(kind, draft, Object.keys(host.ui.files));
}

customElements.define('registration-app', RegistrationApp);
