import { html, nothing } from 'lit';
import { sectionStates, sendsCredentialInsecurely } from '../../src/core/registration/formModel';
import { ConnectionDraft } from '../../src/core/registration/protocol';
import { credentialFieldsView } from './credentialFieldsView';
import { detailsSection } from './detailsSection';
import { FormHost, allowsNone } from './registrationApp';
import { section } from './sectionFrame';
import { specificSection } from './specificSection';
import { testResultView } from './testResultView';

const value = (e: Event) => (e.target as HTMLInputElement).value;

/** The registration form (and, for a registered connection, its details page above it). */
export function connectionForm(host: FormHost): unknown {
  const draft = host.ui.draft!;
  const states = sectionStates(draft, host.state.kinds, Object.keys(host.ui.files));
  const connection = host.state.connection;
  const ready = Object.values(states).every((s) => s.complete);
  return html`
    <header class="panel-header">
      <h1>${connection ? (host.state.details ? connection.name : `Register ${connection.name}`) : 'New connection'}</h1>
      ${connection ? html`<span class=${`status-badge status-${connection.status.replace(' ', '-')}`}>${connection.status.toUpperCase()}</span>` : nothing}
    </header>
    ${host.state.details ? detailsSection(host) : nothing}
    <form class="registration-form" @submit=${(e: Event) => e.preventDefault()}>
      ${section('metadata', 1, 'Metadata to confirm', states.metadata, metadataBody(host, draft))}
      ${section('credential', 2, 'Credential', states.credential, credentialBody(host, draft))}
      ${section('specific', 3, draft.kind === 'prometheus' ? 'Metrics to listen to' : draft.kind === 'grafana' ? 'Boards to follow' : 'Namespaces to discover', states.specific, specificSection(host, draft))}
      ${section('environments', 4, 'Environments', states.environments, environmentsBody(host, draft))}
      ${section('actions', 5, 'Test and register', undefined, actionsBody(host, draft, ready))}
    </form>
  `;
}

function metadataBody(host: FormHost, draft: ConnectionDraft): unknown {
  const kind = host.kind;
  const connection = host.state.connection;
  const component = kind?.components.find((c) => c.model === draft.component.model && c.component === draft.component.component);
  return html`
    <div class="field">
      ${connection
        ? html`<p><span class="label">Kind</span> ${kind?.displayName ?? draft.kind}</p>`
        : html`<vscode-label>Kind</vscode-label>
            <vscode-radio-group aria-label="Kind">
              ${host.state.kinds.map(
                (k) => html`<vscode-radio name="kind" label=${k.displayName} value=${k.kind} ?checked=${k.kind === draft.kind} @change=${() => host.update({ kind: k.kind })}></vscode-radio>`,
              )}
            </vscode-radio-group>`}
    </div>
    <div class="field">
      <vscode-label for="connection-name">Name</vscode-label>
      <vscode-textfield id="connection-name" label="Name" .value=${draft.name} maxlength="200" @input=${(e: Event) => host.update({ name: value(e) })}></vscode-textfield>
    </div>
    <div class="field">
      <vscode-label for="connection-url">URL</vscode-label>
      <vscode-textfield
        id="connection-url"
        label="URL"
        .value=${draft.url}
        ?readonly=${draft.kind === 'kubernetes' && !!connection}
        placeholder="http://prometheus.example.com:9090"
        @input=${(e: Event) => host.update({ url: value(e) })}
      ></vscode-textfield>
      ${draft.url.startsWith('https:') && draft.kind !== 'kubernetes'
        ? html`<vscode-checkbox label="Skip TLS verification for this connection (not recommended)" ?checked=${draft.skipTlsVerify} @change=${(e: Event) => host.update({ skipTlsVerify: (e.target as HTMLInputElement).checked })}
            ></vscode-checkbox
          >`
        : nothing}
    </div>
    ${connection && connection.found.length
      ? html`<dl class="found">
          ${connection.found.map((row) => html`<dt>${row.label}</dt><dd>${row.value}</dd>`)}
        </dl>`
      : nothing}
    <div class="field model-component">
      <span class="label">Model and component</span>
      <p class="component-current">
        ${component?.icon ? html`<img class="model-icon" src=${component.icon} alt="" width="20" height="20" />` : nothing}
        <span class="model-name">${component?.modelDisplayName ?? draft.component.model}</span>
        <span class="codicon codicon-chevron-right" aria-hidden="true"></span>
        <span class="component-name">${component?.componentDisplayName ?? draft.component.component}</span>
      </p>
      ${kind && (kind.components.length > 1 || !component)
        ? html`<vscode-radio-group aria-label="Component" class="component-choice">
            ${kind.components.map(
              (c) =>
                html`<vscode-radio
                  name="component"
                  label=${`${c.modelDisplayName}: ${c.componentDisplayName}`}
                  ?checked=${c.model === draft.component.model && c.component === draft.component.component}
                  @change=${() => host.update({ component: { model: c.model, component: c.component } })}
                  ></vscode-radio
                >`,
            )}
          </vscode-radio-group>`
        : nothing}
    </div>
  `;
}

function credentialBody(host: FormHost, draft: ConnectionDraft): unknown {
  const kind = host.kind;
  const own = host.state.credentials.filter((c) => c.kind === draft.kind);
  const choice = draft.credential;
  const types = kind?.credentialTypes.filter((t) => t.type !== 'none') ?? [];
  const newType = choice.mode === 'new' ? kind?.credentialTypes.find((t) => t.type === choice.type) : undefined;
  return html`
    <vscode-radio-group aria-label="Credential" class="credential-mode">
      ${allowsNone(kind)
        ? html`<vscode-radio name="credential-mode" label=${draft.kind === 'kubernetes' ? 'Use the kubeconfig context' : 'No authentication'} ?checked=${choice.mode === 'none'} @change=${() => host.update({ credential: { mode: 'none' } })}
            ></vscode-radio
          >`
        : nothing}
      ${own.length
        ? html`<vscode-radio name="credential-mode" label="An existing credential" ?checked=${choice.mode === 'existing'} @change=${() => host.update({ credential: { mode: 'existing', credentialId: own[0].id } })}
            ></vscode-radio
          >`
        : nothing}
      <vscode-radio
        name="credential-mode"
        label="A new credential"
        ?checked=${choice.mode === 'new'}
        @change=${() => host.update({ credential: { mode: 'new', name: `${draft.name || kind?.displayName || ''} credential`.trim(), type: types[0]?.type ?? '', values: {} } })}
        ></vscode-radio
      >
    </vscode-radio-group>
    ${choice.mode === 'existing'
      ? html`<vscode-radio-group aria-label="Existing credential" class="existing-credentials" variant="vertical">
          ${own.map(
            (c) =>
              html`<vscode-radio name="credential-id" label=${`${c.name} (${c.type}; set: ${c.fields.join(', ') || 'nothing'})`} ?checked=${c.id === choice.credentialId} @change=${() => host.update({ credential: { mode: 'existing', credentialId: c.id } })}
                ></vscode-radio
              >`,
          )}
        </vscode-radio-group>`
      : nothing}
    ${sendsCredentialInsecurely(draft)
      ? host.state.connection?.insecureCredentialAccepted
        ? html`<p class="hint"><span class="codicon codicon-unlock" aria-hidden="true"></span> Sending its credential unprotected was accepted for this connection.</p>`
        : html`<p class="warning"><span class="codicon codicon-warning" aria-hidden="true"></span> ${draft.skipTlsVerify ? 'TLS is not verified' : 'This address is plain http'}: the credential would travel unprotected.</p>
            <vscode-checkbox
              id="accept-insecure"
              label="Send this credential unprotected to this connection (recorded)"
              ?checked=${draft.acceptInsecureCredential}
              @change=${(e: Event) => host.update({ acceptInsecureCredential: (e.target as HTMLInputElement).checked })}
            ></vscode-checkbox>`
      : nothing}
    ${choice.mode === 'new'
      ? html`<div class="new-credential">
          <div class="field">
            <vscode-label>Credential type</vscode-label>
            <vscode-radio-group aria-label="Credential type">
              ${types.map(
                (t) =>
                  html`<vscode-radio name="credential-type" label=${t.displayName} ?checked=${t.type === choice.type} @change=${() => host.update({ credential: { ...choice, type: t.type, values: {} } })}
                    ></vscode-radio
                  >`,
              )}
            </vscode-radio-group>
          </div>
          <div class="field">
            <vscode-label for="credential-name">Credential name</vscode-label>
            <vscode-textfield id="credential-name" label="Credential name" .value=${choice.name} @input=${(e: Event) => host.update({ credential: { ...choice, name: value(e) } })}></vscode-textfield>
          </div>
          ${newType
            ? credentialFieldsView(newType, {
                idPrefix: 'credential-field',
                values: choice.values,
                files: host.ui.files,
                problems: [],
                set: (field, v) => host.update({ credential: { ...choice, values: { ...choice.values, [field]: v } } }),
                pickFile: (field, secret) => host.pickFile(field, secret),
              })
            : nothing}
        </div>`
      : nothing}
  `;
}

function environmentsBody(host: FormHost, draft: ConnectionDraft): unknown {
  const create = async () => {
    const name = host.ui.newEnvironment.trim();
    if (!name) return;
    const created = await host.call('createEnvironment', { name }, 'createEnvironment');
    if (created) {
      host.setUi({ newEnvironment: '' });
      host.update({ environmentIds: [...host.ui.draft!.environmentIds, created.id] });
    }
  };
  return html`
    ${host.state.environments.length
      ? html`<div class="environment-list" role="group" aria-label="Environments">
          ${host.state.environments.map(
            (e) =>
              html`<vscode-checkbox
                label=${e.name}
                ?checked=${draft.environmentIds.includes(e.id)}
                @change=${(ev: Event) => {
                  const checked = (ev.target as HTMLInputElement).checked;
                  host.update({ environmentIds: checked ? [...draft.environmentIds.filter((id) => id !== e.id), e.id] : draft.environmentIds.filter((id) => id !== e.id) });
                }}
                ></vscode-checkbox
              >`,
          )}
        </div>`
      : html`<p class="muted">No environments yet.</p>`}
    <div class="inline-create">
      <vscode-textfield
        id="new-environment"
        label="New environment"
        placeholder="New environment name"
        .value=${host.ui.newEnvironment}
        @input=${(e: Event) => host.setUi({ newEnvironment: value(e) })}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void create();
          }
        }}
      ></vscode-textfield>
      <vscode-button secondary icon="add" ?disabled=${host.ui.busy.createEnvironment} @click=${() => void create()}>Create Environment</vscode-button>
    </div>
    ${host.ui.errors.createEnvironment ? html`<p class="error" role="alert">${host.ui.errors.createEnvironment}</p>` : nothing}
  `;
}

function actionsBody(host: FormHost, draft: ConnectionDraft, ready: boolean): unknown {
  // The result appears below the buttons: bring it into view, as a person would scroll to it.
  const reveal = () => requestAnimationFrame(() => document.querySelector('#actions .outcome, #actions .test-result')?.scrollIntoView({ block: 'nearest' }));
  const test = async () => {
    const result = await host.call('test', { draft }, 'test');
    if (result) host.setUi({ test: result });
    reveal();
  };
  const register = async () => {
    const outcome = await host.call('register', { draft }, 'register');
    if (outcome) host.setUi({ outcome, test: outcome.test });
    reveal();
  };
  const outcome = host.ui.outcome;
  return html`
    <div class="actions">
      <vscode-button icon="beaker" ?disabled=${!ready || host.ui.busy.test} @click=${() => void test()}>Test</vscode-button>
      <vscode-button icon="plug" ?disabled=${!ready || host.ui.busy.register} @click=${() => void register()}>Register</vscode-button>
      ${host.ui.busy.test || host.ui.busy.register ? html`<vscode-progress-ring class="inline-progress" aria-label="Working"></vscode-progress-ring>` : nothing}
    </div>
    ${!ready ? html`<p class="muted">Complete the sections marked above to test and register.</p>` : nothing}
    ${host.ui.errors.test ? html`<p class="error" role="alert">${host.ui.errors.test}</p>` : nothing}
    ${host.ui.errors.register ? html`<p class="error" role="alert">${host.ui.errors.register}</p>` : nothing}
    ${host.ui.test && !outcome ? testResultView(host.ui.test) : nothing}
    ${host.ui.test?.suggestedUrl && !outcome
      ? html`<p class="suggestion" role="status">
          It answers at <strong>${host.ui.test.suggestedUrl}</strong>.
          <vscode-button secondary icon="arrow-swap" @click=${() => host.update({ url: host.ui.test!.suggestedUrl! })}>Use This URL</vscode-button>
        </p>`
      : nothing}
    ${outcome
      ? html`<div class=${`outcome status-${outcome.status}`} role="status">
          <p class="outcome-headline">
            <span class=${`codicon ${outcome.status === 'connected' ? 'codicon-pass-filled' : 'codicon-info'}`} aria-hidden="true"></span>
            <strong>${outcome.status.toUpperCase()}</strong>
            ${outcome.status === 'connected' ? ' — registered and reached.' : ' — registered, not reached at this moment:'}
          </p>
          ${outcome.status !== 'connected' && outcome.reason ? html`<p class="failure-message">${outcome.reason}</p>` : nothing}
          ${outcome.test && outcome.status === 'connected' ? testResultView(outcome.test) : nothing}
          <p class="links">
            <a href="#" @click=${(e: Event) => (e.preventDefault(), host.reveal('connection'))}>Show in the Connections view</a>
            ·
            <a href="#" @click=${(e: Event) => (e.preventDefault(), host.reveal('events'))}>Show its events in the Notification Center</a>
          </p>
        </div>`
      : nothing}
  `;
}
