import { IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { registerCommand } from './commandRoute';
import { Logger } from '../core/common/logger';

/** What `Meshery: Show Performance` reports (and returns, for the tests that print it). */
export interface PerformanceFigures {
  readonly activationMs: number;
  /** From the start of activation to the services being ready (0 until then). */
  readonly readyMs: number;
  /** Event-loop delay of the extension host since the last reset (or activation), in ms. */
  readonly eventLoop: { readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number; readonly sinceMs: number };
  readonly rssMb: number;
}

/**
 * Measures what a user feels: how long the extension host's event loop was held (a blocked
 * extension host freezes every extension's UI), with Node's own histogram, from activation on.
 */
export class PerformanceMonitor implements vscode.Disposable {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private since = Date.now();

  constructor(private readonly startup: () => { activationMs: number; readyMs: number }) {
    this.histogram.enable();
  }

  figures(): PerformanceFigures {
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    return {
      ...this.startup(),
      eventLoop: { p50Ms: ms(this.histogram.percentile(50)), p99Ms: ms(this.histogram.percentile(99)), maxMs: ms(this.histogram.max), sinceMs: Date.now() - this.since },
      rssMb: Math.round(process.memoryUsage.rss() / 1024 / 1024),
    };
  }

  reset(): void {
    this.histogram.reset();
    this.since = Date.now();
  }

  dispose(): void {
    this.histogram.disable();
  }
}

export function describeFigures(f: PerformanceFigures): string {
  return (
    `activation ${f.activationMs} ms, ready ${f.readyMs} ms; extension-host event-loop delay over the last ${Math.round(f.eventLoop.sinceMs / 1000)} s: ` +
    `p50 ${f.eventLoop.p50Ms} ms, p99 ${f.eventLoop.p99Ms} ms, max ${f.eventLoop.maxMs} ms; RSS ${f.rssMb} MB`
  );
}

export function registerPerformanceCommands(monitor: PerformanceMonitor, logger: Logger): vscode.Disposable[] {
  return [
    monitor,
    registerCommand('meshery.performance.show', (options?: { reset?: boolean }) => {
      const figures = monitor.figures();
      const text = `Meshery performance: ${describeFigures(figures)}.`;
      logger.info(text);
      void vscode.window.showInformationMessage(text);
      if (options?.reset) monitor.reset();
      return figures;
    }),
    registerCommand('meshery.performance.reset', () => monitor.reset()),
  ];
}
