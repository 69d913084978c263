import { html, nothing } from 'lit';
import { credentialFieldsView } from './credentialFieldsView';
import { FormHost, credentialProblemsOf } from './registrationApp';
import { section } from './sectionFrame';
import { testResultView } from './testResultView';

/** Credential registration: name, kind, type and fields from its schema, the connections it is for, Test and Register. */
export function credentialPanel(host: FormHost): unknown {
  const draft = host.ui.credentialDraft!;
  const kind = host.state.kinds.find((k) => k.kind === draft.kind);
  const type = kind?.credentialTypes.find((t) => t.type === draft.type);
  const problems = credentialProblemsOf(host, draft);
  const candidates = host.state.connections.filter((c) => c.kind === draft.kind);
  const ready = problems.length === 0;
  const test = async () => {
    const result = await host.call('testCredential', { credential: draft }, 'testCredential');
    if (result) host.setUi({ credentialTest: result });
  };
  const register = async () => {
    const result = await host.call('registerCredential', { credential: draft }, 'registerCredential');
    if (result) host.setUi({ credentialOutcome: result });
  };
  return html`
    <header class="panel-header"><h1>Register a credential</h1></header>
    ${section(
      'credential-form',
      1,
      'Credential',
      { complete: ready, problems, summary: type?.displayName ?? '' },
      html`
        <div class="field">
          <vscode-label for="credential-name">Name</vscode-label>
          <vscode-textfield id="credential-name" label="Name" .value=${draft.name} @input=${(e: Event) => host.updateCredential({ name: (e.target as HTMLInputElement).value })}></vscode-textfield>
        </div>
        <div class="field">
          <vscode-label>Kind</vscode-label>
          <vscode-radio-group aria-label="Kind">
            ${host.state.kinds.map(
              (k) => html`<vscode-radio name="kind" label=${k.displayName} ?checked=${k.kind === draft.kind}
                @change=${() => host.updateCredential({ kind: k.kind, type: k.credentialTypes.find((t) => t.type !== 'none')?.type ?? '', values: {}, connectionIds: [] })}></vscode-radio>`,
            )}
          </vscode-radio-group>
        </div>
        <div class="field">
          <vscode-label>Type</vscode-label>
          <vscode-radio-group aria-label="Type">
            ${(kind?.credentialTypes ?? []).filter((t) => t.type !== 'none').map(
              (t) => html`<vscode-radio name="type" label=${t.displayName} ?checked=${t.type === draft.type} @change=${() => host.updateCredential({ type: t.type, values: {} })}></vscode-radio>`,
            )}
          </vscode-radio-group>
        </div>
        ${type
          ? credentialFieldsView(type, {
              idPrefix: 'credential-field',
              values: draft.values,
              files: host.ui.files,
              problems: [],
              set: (field, v) => host.updateCredential({ values: { ...draft.values, [field]: v } }),
              pickFile: (field, secret) => host.pickFile(field, secret),
            })
          : nothing}
      `,
    )}
    ${section(
      'credential-connections',
      2,
      'Connections that use it',
      { complete: true, problems: [], summary: `${draft.connectionIds.length} chosen` },
      candidates.length
        ? html`<div role="group" aria-label="Connections">
            ${candidates.map(
              (c) => html`<vscode-checkbox label=${`${c.name} (${c.status})`} ?checked=${draft.connectionIds.includes(c.id)}
                @change=${(e: Event) => {
                  const checked = (e.target as HTMLInputElement).checked;
                  host.updateCredential({ connectionIds: checked ? [...draft.connectionIds.filter((id) => id !== c.id), c.id] : draft.connectionIds.filter((id) => id !== c.id) });
                }}></vscode-checkbox>`,
            )}
          </div>`
        : html`<p class="muted">No ${kind?.displayName ?? draft.kind} connection yet.</p>`,
    )}
    ${section(
      'credential-actions',
      3,
      'Test and register',
      undefined,
      html`
        <div class="actions">
          <vscode-button icon="beaker" ?disabled=${!ready || !draft.connectionIds.length || host.ui.busy.testCredential} @click=${() => void test()}>Test</vscode-button>
          <vscode-button icon="key" ?disabled=${!ready || host.ui.busy.registerCredential} @click=${() => void register()}>Register</vscode-button>
        </div>
        ${host.ui.errors.testCredential ? html`<p class="error" role="alert">${host.ui.errors.testCredential}</p>` : nothing}
        ${host.ui.errors.registerCredential ? html`<p class="error" role="alert">${host.ui.errors.registerCredential}</p>` : nothing}
        ${host.ui.credentialTest ? host.ui.credentialTest.results.map((r) => testResultView(r.test, r.name)) : nothing}
        ${host.ui.credentialOutcome
          ? html`<p class="outcome" role="status"><span class="codicon codicon-pass-filled" aria-hidden="true"></span> Registered; attached to ${host.ui.credentialOutcome.attached} connection(s). Its values are in VS Code's secret storage.</p>`
          : nothing}
      `,
    )}
  `;
}
