import { IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { registerCommand } from './commandRoute';
import { Disposable } from '../core/common/disposable';
import { EventSource } from '../core/common/emitter';
import { Logger } from '../core/common/logger';

/** Event-loop delay over a span of time, in ms. */
export interface LoopDelay {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** How long it was measured. */
  readonly sinceMs: number;
}

/** What `Meshery: Show Performance` reports (and returns, for the tests that print it). */
export interface PerformanceFigures {
  readonly activationMs: number;
  /** From the start of activation to the services being ready (0 until then). */
  readonly readyMs: number;
  /** Event-loop delay of the extension host since the last reset (or activation). */
  readonly eventLoop: LoopDelay;
  /**
   * The same, counted only while a cluster was being listed (connecting or syncing), since the
   * last reset: the process-wide measure above also counts VS Code's own start and its built-in
   * extensions, which stall the extension host before any sync has begun.
   */
  readonly whileSyncing: LoopDelay;
  readonly rssMb: number;
}

/**
 * Measures what a user feels: how long the extension host's event loop was held (a blocked
 * extension host freezes every extension's UI), with Node's own histogram, from activation on.
 */
export class PerformanceMonitor implements vscode.Disposable {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private since = Date.now();
  /** Enabled only while busy() says so (see measureWhileBusy). */
  private readonly busyHistogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private busySince: number | undefined;
  private busyMs = 0;

  constructor(private readonly startup: () => { activationMs: number; readyMs: number }) {
    this.histogram.enable();
  }

  /** Counts the event-loop delay into `whileSyncing` whenever `busy()` holds, re-asked at each `changes`. */
  measureWhileBusy(changes: EventSource<unknown>, busy: () => boolean): Disposable {
    const follow = () => {
      const now = busy();
      if (now && this.busySince === undefined) {
        this.busySince = Date.now();
        this.busyHistogram.enable();
      } else if (!now && this.busySince !== undefined) {
        this.busyHistogram.disable();
        this.busyMs += Date.now() - this.busySince;
        this.busySince = undefined;
      }
    };
    follow();
    // A sync announces its first status before Discovery lists it among its syncs: asked again
    // once the announcing code has run.
    return changes(() => {
      follow();
      queueMicrotask(follow);
    });
  }

  figures(): PerformanceFigures {
    const busyMs = this.busyMs + (this.busySince === undefined ? 0 : Date.now() - this.busySince);
    return {
      ...this.startup(),
      eventLoop: loopDelay(this.histogram, Date.now() - this.since),
      whileSyncing: loopDelay(this.busyHistogram, busyMs),
      rssMb: Math.round(process.memoryUsage.rss() / 1024 / 1024),
    };
  }

  reset(): void {
    this.histogram.reset();
    this.busyHistogram.reset();
    this.since = Date.now();
    this.busyMs = 0;
    if (this.busySince !== undefined) this.busySince = Date.now();
  }

  dispose(): void {
    this.histogram.disable();
    this.busyHistogram.disable();
  }
}

function loopDelay(histogram: IntervalHistogram, sinceMs: number): LoopDelay {
  // An empty histogram reports a huge minimum and NaN percentiles: nothing measured is 0.
  const ms = (ns: number) => (histogram.count ? Math.round(ns / 1e5) / 10 : 0);
  return { p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max), sinceMs };
}

export function describeFigures(f: PerformanceFigures): string {
  const delay = (d: LoopDelay) => `p50 ${d.p50Ms} ms, p99 ${d.p99Ms} ms, max ${d.maxMs} ms`;
  const seconds = (ms: number) => Math.round(ms / 100) / 10;
  const syncing = f.whileSyncing.sinceMs ? `${seconds(f.whileSyncing.sinceMs)} s of it while syncing: ${delay(f.whileSyncing)}` : 'no sync meanwhile';
  return (
    `activation ${f.activationMs} ms, ready ${f.readyMs} ms; extension-host event-loop delay over the last ${Math.round(f.eventLoop.sinceMs / 1000)} s: ` +
    `${delay(f.eventLoop)} (${syncing}); RSS ${f.rssMb} MB`
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
