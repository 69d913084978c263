import { html, nothing } from 'lit';
import { SectionState } from '../../src/core/registration/formModel';

/** A numbered section with its state (done / needs attention) in the header, so the whole form reads on one page. */
export function section(id: string, number: number | undefined, title: string, state: SectionState | undefined, body: unknown): unknown {
  const icon = !state ? 'circle-large' : state.complete ? 'pass-filled' : 'warning';
  return html`<section class="form-section" aria-labelledby=${`${id}-title`} id=${id}>
    <h2 id=${`${id}-title`}>
      ${state ? html`<span class=${`codicon codicon-${icon} section-state ${state.complete ? 'complete' : 'incomplete'}`} aria-hidden="true"></span>` : nothing}
      ${number !== undefined ? html`<span class="section-number">${number}.</span>` : nothing} ${title}
      ${state ? html`<span class="section-summary">${state.summary}${state.complete ? '' : ' · needs attention'}</span>` : nothing}
    </h2>
    ${body}
    ${state && state.problems.length ? html`<ul class="problems">${state.problems.map((p) => html`<li>${p}</li>`)}</ul>` : nothing}
  </section>`;
}
