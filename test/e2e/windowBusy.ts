import { Page } from 'playwright-core';

/** How busy the window's main thread was over a span: what a person feels as a sluggish VS Code. */
export interface WindowBusy {
  readonly seconds: number;
  /** Chromium's own count of the time the page's main thread spent in tasks, as a share of the span. */
  readonly busyPercent: number;
  /** Tasks of 50 ms or more (the browser's long tasks): each held every click and key of the window. */
  readonly longTasks: number;
  readonly longestTaskMs: number;
}

/** The page's globals this uses (the page's DOM types are not the test's Node types). */
interface LongTaskScope {
  mesheryLongTasks?: number[];
  mesheryLongTaskObserver?: { disconnect(): void };
  PerformanceObserver: new (callback: (list: { getEntries(): { duration: number }[] }) => void) => { observe(options: { type: string }): void; disconnect(): void };
}

/**
 * Starts measuring the window's main thread (Chromium's Performance domain and a long-task
 * observer in the page); the function returned ends the span and gives what was measured.
 */
export async function measureWindow(page: Page): Promise<() => Promise<WindowBusy>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? NaN;
  await page.evaluate(() => {
    const scope = globalThis as unknown as LongTaskScope;
    scope.mesheryLongTaskObserver?.disconnect();
    const tasks: number[] = (scope.mesheryLongTasks = []);
    const observer = new scope.PerformanceObserver((list) => list.getEntries().forEach((entry) => tasks.push(entry.duration)));
    observer.observe({ type: 'longtask' });
    scope.mesheryLongTaskObserver = observer;
  });
  const started = Date.now();
  const busyBefore = await taskSeconds();
  return async () => {
    const busy = (await taskSeconds()) - busyBefore;
    const seconds = (Date.now() - started) / 1000;
    const tasks = await page.evaluate(() => {
      const scope = globalThis as unknown as LongTaskScope;
      scope.mesheryLongTaskObserver?.disconnect();
      return scope.mesheryLongTasks ?? [];
    });
    await cdp.detach();
    return { seconds: Math.round(seconds * 10) / 10, busyPercent: Math.round((busy / seconds) * 100), longTasks: tasks.length, longestTaskMs: Math.round(Math.max(0, ...tasks)) };
  };
}
