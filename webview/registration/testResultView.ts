import { html, nothing } from 'lit';
import { TestView } from '../../src/core/registration/protocol';

/** A connectivity test's result as a person reads it: reached or not, version, path, failure class and its sentence. */
export function testResultView(test: TestView, title = 'Test'): unknown {
  const via = test.path === 'service-proxy' ? "through the API server's service proxy" : 'directly';
  return html`<div class=${`test-result ${test.reached ? 'ok' : 'failed'}`} role="status">
    <p class="test-headline">
      <span class=${`codicon ${test.reached ? 'codicon-pass-filled' : 'codicon-error'}`} aria-hidden="true"></span>
      ${test.reached
        ? html`<strong>${title}: reached</strong> ${via} in ${test.latencyMs} ms${test.version ? html` · version <strong class="version">${test.version}</strong>` : nothing}`
        : html`<strong>${title}: not reached</strong> (${test.failure?.class ?? 'unknown'}, ${via})`}
    </p>
    ${test.failure
      ? html`<p class="failure-message">${test.failure.message}</p>
          <p class="failure-advice">${test.failure.advice}</p>`
      : nothing}
    ${test.steps.length ? html`<ul class="test-steps">${test.steps.map((s) => html`<li>${s}</li>`)}</ul>` : nothing}
  </div>`;
}
