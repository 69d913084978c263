import { html, nothing } from 'lit';
import { FormHost } from './registrationApp';
import { section } from './sectionFrame';
import { testResultView } from './testResultView';

/** The details page of a registered connection: status and where it may go, last test, live metrics or boards, events. */
export function detailsSection(host: FormHost): unknown {
  const details = host.state.details!;
  const connection = host.state.connection!;
  const credential = connection.credentialId ? host.state.credentials.find((c) => c.id === connection.credentialId) : undefined;
  const environments = host.state.environments.filter((e) => connection.environmentIds.includes(e.id)).map((e) => e.name);
  const change = async (to: string) => {
    await host.call('changeStatus', { to }, 'changeStatus');
  };
  return html`
    ${section(
      'details',
      undefined,
      'Details',
      undefined,
      html`
        <dl class="found">
          <dt>Status</dt><dd>${connection.status}</dd>
          <dt>Environments</dt><dd>${environments.join(', ') || 'none'}</dd>
          <dt>Credential</dt><dd>${credential ? `${credential.name} (${credential.type}; set: ${credential.fields.join(', ') || 'nothing'})` : 'none'}</dd>
        </dl>
        ${details.nextStatuses.length
          ? html`<div class="next-statuses" role="group" aria-label="Change status">
              ${details.nextStatuses.map(
                (t) => html`<div class="next-status"><vscode-button secondary @click=${() => void change(t.to)}>${t.to[0].toUpperCase()}${t.to.slice(1)}</vscode-button><span class="muted">${t.sentence}</span></div>`,
              )}
            </div>`
          : nothing}
        ${host.ui.errors.changeStatus ? html`<p class="error" role="alert">${host.ui.errors.changeStatus}</p>` : nothing}
        ${details.lastTest ? testResultView(details.lastTest, `Last test${details.lastTest.at ? ` (${new Date(details.lastTest.at).toLocaleString()})` : ''}`) : nothing}
        ${connection.kind === 'prometheus' && connection.metrics.length
          ? html`<h3>Metrics (last 15 minutes)</h3>
              <div class="sparklines">
                ${connection.metrics.map((name) => html`<metric-sparkline .series=${host.ui.series.find((s) => s.name === name) ?? { name, points: [] }}></metric-sparkline>`)}
              </div>`
          : nothing}
        ${connection.kind === 'grafana' && connection.boards.length
          ? html`<h3>Boards</h3>
              <ul class="boards">
                ${connection.boards.map((b) => html`<li><a href="#" @click=${(e: Event) => (e.preventDefault(), host.openBoard(b.url))}>${b.title}</a> <span class="codicon codicon-link-external" aria-hidden="true"></span></li>`)}
              </ul>`
          : nothing}
        <h3>Events</h3>
        <ul class="event-trail">
          ${details.events.map((e) => html`<li class=${`severity-${e.severity}`}><span class="event-time">${new Date(e.at).toLocaleTimeString()}</span> <span class="event-severity">${e.severity}</span> ${e.description}</li>`)}
        </ul>
      `,
    )}
  `;
}
