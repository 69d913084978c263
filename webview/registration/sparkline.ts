import { LitElement, html } from 'lit';
import uPlot from 'uplot';
import { SeriesView } from '../../src/core/registration/protocol';

/** One metric's last 15 minutes as a small chart (uPlot), in the theme's chart colour. */
export class MetricSparkline extends LitElement {
  static override properties = { series: { attribute: false } };
  series: SeriesView | undefined;
  private chart: uPlot | undefined;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override render(): unknown {
    const s = this.series;
    const last = s?.points.at(-1)?.[1];
    return html`<figure class="sparkline" aria-label=${`${s?.name ?? ''}: ${s?.points.length ?? 0} points in the last 15 minutes`}>
      <figcaption><span class="metric-name">${s?.name}</span> <span class="muted">${s?.error ? s.error : last === undefined ? 'no data yet' : `now ${format(last)} · ${s?.points.length} points`}</span></figcaption>
      <div class="sparkline-chart" data-points=${String(s?.points.length ?? 0)}></div>
    </figure>`;
  }

  protected override updated(): void {
    const target = this.querySelector<HTMLElement>('.sparkline-chart');
    const points = this.series?.points ?? [];
    if (!target) return;
    const data: uPlot.AlignedData = [points.map((p) => p[0]), points.map((p) => p[1])];
    if (this.chart) {
      this.chart.setData(data);
      return;
    }
    const color = getComputedStyle(document.body).getPropertyValue('--vscode-charts-blue').trim() || '#3794ff';
    this.chart = new uPlot(
      {
        width: 260,
        height: 48,
        legend: { show: false },
        cursor: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        axes: [{ show: false }, { show: false }],
        scales: { x: { time: true } },
        series: [{}, { stroke: color, width: 1.5, fill: `${color}33` }],
      },
      data,
      target,
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.chart?.destroy();
    this.chart = undefined;
  }
}

function format(value: number): string {
  return Math.abs(value) >= 1e6 || (Math.abs(value) < 0.01 && value !== 0) ? value.toExponential(2) : String(Math.round(value * 100) / 100);
}

customElements.define('metric-sparkline', MetricSparkline);
