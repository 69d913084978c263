import * as assert from 'node:assert/strict';
import { Emitter } from '../../src/core/common/emitter';
import { PerformanceMonitor, describeFigures } from '../../src/ui/performanceMonitor';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Holds the event loop, as a long piece of work does. */
function holdLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy on purpose
  }
}

/** A monitor following a sync that the test starts and ends (`syncing`), announced by `changes`. */
function followedMonitor() {
  const monitor = new PerformanceMonitor(() => ({ activationMs: 1, readyMs: 2 }));
  const changes = new Emitter<void>();
  const state = { syncing: false };
  const following = monitor.measureWhileBusy(changes.event, () => state.syncing);
  const dispose = () => {
    following.dispose();
    changes.dispose();
    monitor.dispose();
  };
  return { monitor, changes, state, dispose };
}

describe('Meshery: Show Performance (the extension host event-loop measures)', function () {
  this.timeout(20_000);

  it('counts a stall into "while syncing" only when a sync was running, and always into the process-wide measure', async () => {
    const { monitor, changes, state, dispose } = followedMonitor();
    try {
      await sleep(50);
      holdLoop(400); // before any sync: VS Code's own start, say
      await sleep(50);
      state.syncing = true;
      changes.fire();
      await sleep(50);
      holdLoop(150); // during the sync
      await sleep(50);
      state.syncing = false;
      changes.fire();
      await sleep(50);

      const figures = monitor.figures();
      assert.ok(figures.eventLoop.maxMs >= 380, `process-wide max ${figures.eventLoop.maxMs} ms`);
      assert.ok(figures.whileSyncing.maxMs >= 140 && figures.whileSyncing.maxMs < 380, `while-syncing max ${figures.whileSyncing.maxMs} ms`);
      assert.ok(figures.whileSyncing.sinceMs >= 240 && figures.whileSyncing.sinceMs < figures.eventLoop.sinceMs, `measured while syncing for ${figures.whileSyncing.sinceMs} ms`);
      assert.match(describeFigures(figures), /s of it while syncing: p50 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms\); RSS \d+ MB$/);

      // A reset forgets both; with no sync since, the text says so rather than printing zeros.
      monitor.reset();
      await sleep(30);
      const after = monitor.figures();
      assert.deepEqual([after.whileSyncing.maxMs, after.whileSyncing.sinceMs], [0, 0]);
      assert.match(describeFigures(after), /\(no sync meanwhile\)/);
    } finally {
      dispose();
    }
  });

  it('follows a sync that announces itself before it can be asked about', async () => {
    const { monitor, changes, state, dispose } = followedMonitor();
    try {
      changes.fire(); // announced, not yet listed
      state.syncing = true;
      await sleep(120);
      assert.ok(monitor.figures().whileSyncing.sinceMs >= 100, `measured for ${monitor.figures().whileSyncing.sinceMs} ms`);
    } finally {
      dispose();
    }
  });
});
