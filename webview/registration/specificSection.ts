import { html, nothing } from 'lit';
import { ConnectionDraft } from '../../src/core/registration/protocol';
import { FormHost } from './registrationApp';

let valuesTimer: number | undefined;

/** Prometheus: metrics read live, with their current values; Grafana: boards; Kubernetes: namespaces. */
export function specificSection(host: FormHost, draft: ConnectionDraft): unknown {
  if (draft.kind === 'prometheus') return prometheusBody(host, draft);
  if (draft.kind === 'grafana') return grafanaBody(host, draft);
  return html`<div class="field">
    <vscode-label for="namespaces">Namespaces of interest (comma-separated; empty: all)</vscode-label>
    <vscode-textfield
      id="namespaces"
      label="Namespaces"
      .value=${draft.namespaces.join(', ')}
      @change=${(e: Event) =>
        host.update({ namespaces: [...new Set((e.target as HTMLInputElement).value.split(/[\s,]+/).map((n) => n.trim().toLowerCase()).filter(Boolean))] })}
    ></vscode-textfield>
    <p class="hint">Recorded on the connection and shown on its details page; discovery still reads every namespace the credential may list.</p>
  </div>`;
}

/** A button that reads a list from the service, with its progress and its error. */
function loader(host: FormHost, request: 'loadMetricNames' | 'loadBoards', label: string, load: () => Promise<void>): unknown {
  return html`<div class="actions">
      <vscode-button secondary icon="refresh" ?disabled=${host.ui.busy[request]} @click=${() => void load()}>${label}</vscode-button>
      ${host.ui.busy[request] ? html`<vscode-progress-ring class="inline-progress" aria-label=${`${label}…`}></vscode-progress-ring>` : nothing}
    </div>
    ${host.ui.errors[request] ? html`<p class="error" role="alert">${host.ui.errors[request]}</p>` : nothing}`;
}

function prometheusBody(host: FormHost, draft: ConnectionDraft): unknown {
  const load = async () => {
    const result = await host.call('loadMetricNames', { draft }, 'loadMetricNames');
    if (result) host.setUi({ metricNames: result.names });
  };
  const refreshValues = (names: readonly string[]) => {
    window.clearTimeout(valuesTimer);
    if (!names.length) return host.setUi({ metricValues: [] });
    valuesTimer = window.setTimeout(async () => {
      const result = await host.call('loadMetricValues', { draft: host.ui.draft!, names: [...names] }, 'loadMetricValues');
      if (result) host.setUi({ metricValues: result.values });
    }, 300);
  };
  const names = host.ui.metricNames;
  return html`
    ${loader(host, 'loadMetricNames', names ? 'Reload Metric Names' : 'Load Metric Names', load)}
    ${names
      ? html`<pick-list
          id="metrics"
          label="metrics"
          .items=${names.map((n) => ({ id: n, label: n }))}
          .selected=${draft.metrics}
          @pick-change=${(e: CustomEvent<string[]>) => {
            host.update({ metrics: e.detail });
            refreshValues(e.detail);
          }}
        ></pick-list>`
      : html`<p class="muted">Load the names from this Prometheus (with the credential above) to choose the metrics to listen to.</p>`}
    ${draft.metrics.length
      ? html`<table class="chosen-metrics" aria-label="Chosen metrics">
          <thead><tr><th scope="col">Metric</th><th scope="col">Current value</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
          <tbody>
            ${draft.metrics.map((name) => {
              const v = host.ui.metricValues.find((m) => m.name === name);
              return html`<tr>
                <td class="metric-name">${name}</td>
                <td class="metric-value">${v ? (v.error ? v.error : v.value === undefined ? 'no series' : `${v.value}${v.series > 1 ? ` (first of ${v.series} series)` : ''}`) : '…'}</td>
                <td><vscode-button secondary icon="close" aria-label=${`Remove ${name}`} title=${`Remove ${name}`} @click=${() => {
                  const metrics = draft.metrics.filter((m) => m !== name);
                  host.update({ metrics });
                  refreshValues(metrics);
                }}></vscode-button></td>
              </tr>`;
            })}
          </tbody>
        </table>`
      : nothing}
  `;
}

function grafanaBody(host: FormHost, draft: ConnectionDraft): unknown {
  const load = async () => {
    const result = await host.call('loadBoards', { draft }, 'loadBoards');
    if (result) host.setUi({ boards: result.boards });
  };
  const boards = host.ui.boards;
  return html`
    ${loader(host, 'loadBoards', boards ? 'Reload Boards' : 'Load Boards', load)}
    ${boards
      ? html`<pick-list
          id="boards"
          label="boards"
          .items=${boards.map((b) => ({ id: b.uid, label: b.title, detail: (b as { folder?: string }).folder ?? b.url }))}
          .selected=${draft.boards.map((b) => b.uid)}
          @pick-change=${(e: CustomEvent<string[]>) =>
            host.update({
              boards: e.detail
                .map((uid) => boards.find((b) => b.uid === uid) ?? draft.boards.find((b) => b.uid === uid))
                .filter((b): b is NonNullable<typeof b> => !!b)
                // Only what the contract's BoardRef has (the search also gives the folder).
                .map((b) => ({ uid: b.uid, title: b.title, url: b.url })),
            })}
        ></pick-list>`
      : html`<p class="muted">Load the dashboards of this Grafana (with the credential above) to choose the boards to follow.</p>`}
    ${draft.boards.length ? html`<p>Chosen: ${draft.boards.map((b) => b.title).join(', ')}</p>` : nothing}
  `;
}
