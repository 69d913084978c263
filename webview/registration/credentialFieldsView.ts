import { html, nothing } from 'lit';
import { CredentialTypeInfo } from '../../src/core/registration/protocol';
import { credentialFields } from '../../src/core/registry/credentialFields';

export interface FieldsContext {
  readonly idPrefix: string;
  readonly values: Readonly<Record<string, string>>;
  /** File names of PEM files picked in the host, by field. */
  readonly files: Readonly<Record<string, string>>;
  readonly problems: readonly string[];
  set(field: string, value: string): void;
  pickFile(field: string, secret: boolean): void;
}

/** The fields of a credential type, generated from its JSON Schema: secret ones masked, PEM ones from a file or pasted. */
export function credentialFieldsView(type: CredentialTypeInfo, ctx: FieldsContext): unknown {
  const fields = credentialFields({ type: type.type, displayName: type.displayName, schema: type.schema });
  if (!fields.length) return html`<p class="muted">Nothing to fill in: requests are sent without authentication.</p>`;
  return html`${fields.map((field) => {
      const id = `${ctx.idPrefix}-${field.name}`;
      const label = `${field.title}${field.required ? '' : ' (optional)'}`;
      const onInput = (e: Event) => ctx.set(field.name, (e.target as HTMLInputElement).value);
      if (field.pem) {
        return html`<div class="field">
          <vscode-label for=${id}>${label}</vscode-label>
          ${ctx.files[field.name]
            ? html`<p class="picked-file"><span class="codicon codicon-file" aria-hidden="true"></span> ${ctx.files[field.name]}</p>`
            : html`<vscode-textarea id=${id} label=${label} rows="4" monospace placeholder="-----BEGIN …-----" .value=${field.secret ? '' : (ctx.values[field.name] ?? '')} @input=${onInput}></vscode-textarea>`}
          <vscode-button secondary icon="folder-opened" @click=${() => ctx.pickFile(field.name, field.secret)}>Choose File…</vscode-button>
        </div>`;
      }
      return html`<div class="field">
        <vscode-label for=${id}>${label}</vscode-label>
        <vscode-textfield id=${id} label=${field.title} type=${field.secret ? 'password' : 'text'} autocomplete="off" .value=${ctx.values[field.name] ?? ''} @input=${onInput}></vscode-textfield>
        ${field.description ? html`<p class="hint">${field.description}</p>` : nothing}
        ${field.secret ? html`<p class="hint"><span class="codicon codicon-lock" aria-hidden="true"></span> Kept in VS Code's secret storage only.</p>` : nothing}
      </div>`;
    })}
    ${ctx.problems.length ? html`<ul class="problems">${ctx.problems.map((p) => html`<li>${p}</li>`)}</ul>` : nothing}`;
}
