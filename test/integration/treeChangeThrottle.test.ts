import * as assert from 'node:assert/strict';
import { TreeChangeThrottle, treeChangeGapMs } from '../../src/ui/treeChangeThrottle';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('tree changes handed to VS Code', function () {
  this.timeout(20_000);

  it('sends the rows changed in one turn together, at once after a quiet spell', async () => {
    const throttle = new TreeChangeThrottle<string>();
    const sent: { at: number; rows: string[] | 'all' }[] = [];
    throttle.event((rows) => sent.push({ at: performance.now(), rows: rows === undefined ? 'all' : ([] as string[]).concat(rows) }));
    try {
      const firedAt = performance.now();
      throttle.fire('cluster');
      throttle.fire(['kind-a', 'kind-b', 'cluster']);
      await sleep(30);
      assert.deepEqual(sent.map((s) => s.rows), [['cluster', 'kind-a', 'kind-b']]);
      assert.ok(sent[0].at - firedAt < 25, `sent ${(sent[0].at - firedAt).toFixed(1)} ms after the change`);

      // A whole-tree change swallows the rows changed with it.
      await sleep(treeChangeGapMs);
      throttle.fire('kind-a');
      throttle.fire();
      await sleep(30);
      assert.deepEqual(sent[1].rows, 'all');
    } finally {
      throttle.dispose();
    }
  });

  it('lets beforeSend decide, once per send, which rows go with those changed', async () => {
    const asked: (string[] | 'all')[] = [];
    const throttle = new TreeChangeThrottle<string>(treeChangeGapMs, (rows) => {
      asked.push(rows ? [...rows] : 'all');
      if (rows?.has('kind-a')) rows.add('cluster');
    });
    const sent: (string[] | 'all')[] = [];
    throttle.event((rows) => sent.push(rows === undefined ? 'all' : ([] as string[]).concat(rows)));
    try {
      throttle.fire('kind-a');
      throttle.fire('kind-b');
      await sleep(30);
      // Nothing changed that it knows of: asked all the same, nothing sent.
      throttle.fire([]);
      await sleep(treeChangeGapMs + 30);
      throttle.fire();
      await sleep(treeChangeGapMs + 30);
      assert.deepEqual(asked, [['kind-a', 'kind-b'], [], 'all']);
      assert.deepEqual(sent, [['kind-a', 'kind-b', 'cluster'], 'all']);
    } finally {
      throttle.dispose();
    }
  });

  it('keeps a steady stream of changes flowing, each at least the gap after the last (VS Code holds closer ones until the stream stops)', async () => {
    const throttle = new TreeChangeThrottle<number>();
    const sent: { at: number; rows: number[] }[] = [];
    throttle.event((rows) => sent.push({ at: performance.now(), rows: ([] as number[]).concat(rows ?? []) }));
    try {
      const started = performance.now();
      let n = 0;
      while (performance.now() - started < 2_000) {
        throttle.fire(n++);
        await sleep(20);
      }
      await sleep(treeChangeGapMs + 50);
      // Every change got through, none twice, in at most one send per gap.
      assert.deepEqual(sent.flatMap((s) => s.rows).sort((a, b) => a - b), [...Array(n).keys()]);
      assert.ok(sent.length >= 2_000 / treeChangeGapMs - 1, `only ${sent.length} sends in 2 s`);
      const gaps = sent.slice(1).map((s, i) => s.at - sent[i].at);
      assert.ok(Math.min(...gaps) >= treeChangeGapMs - 2, `two sends ${Math.min(...gaps).toFixed(1)} ms apart`);
    } finally {
      throttle.dispose();
    }
  });

  it('while quiet, holds the changes that are not urgent; an urgent one goes at once and takes them along; the rest go when the quiet ends', async () => {
    const throttle = new TreeChangeThrottle<string>();
    const sent: { at: number; rows: string[] | 'all' }[] = [];
    throttle.event((rows) => sent.push({ at: performance.now(), rows: rows === undefined ? 'all' : ([] as string[]).concat(rows) }));
    try {
      throttle.quietFor(400);
      const started = performance.now();
      throttle.fire('pod-count');
      await sleep(100);
      assert.equal(sent.length, 0, 'a count changed on the cluster waits while a filter is typed');
      throttle.fire('cluster', true);
      await sleep(30);
      assert.deepEqual(sent.map((s) => s.rows), [['pod-count', 'cluster']], 'the filter answer goes at once, with what waited');
      assert.ok(sent[0].at - started < 300, `the urgent change was sent ${(sent[0].at - started).toFixed(1)} ms after the start`);

      // A change that waits goes when the quiet ends, not before.
      throttle.fire('configmap-count');
      await sleep(150);
      assert.equal(sent.length, 1);
      await sleep(400 - (performance.now() - started) + 60);
      assert.deepEqual(sent[1]?.rows, ['configmap-count']);
      assert.ok(sent[1].at - started >= 398, `sent ${(sent[1].at - started).toFixed(1)} ms after the quiet began, before its end`);

      // Ending the quiet sends what waits at the next gap.
      throttle.quietFor(5_000);
      throttle.fire('secret-count');
      await sleep(treeChangeGapMs + 30);
      assert.equal(sent.length, 2);
      const ended = performance.now();
      throttle.quietFor(0);
      await sleep(30);
      assert.deepEqual(sent[2]?.rows, ['secret-count']);
      assert.ok(sent[2].at - ended < 150, `sent ${(sent[2].at - ended).toFixed(1)} ms after the quiet ended`);
    } finally {
      throttle.dispose();
    }
  });
});
