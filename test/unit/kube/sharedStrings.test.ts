import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { SharedStrings } from '../../../src/core/kube/sharedStrings';

describe('strings shared between object summaries', () => {
  it('gives back the value it is asked for, whatever the table holds, and stays within its capacity', () => {
    const table = new SharedStrings(100, 16);
    const values = Array.from({ length: 1_000 }, (_, i) => `app-${i % 250}`);
    for (const value of values) assert.equal(table.share(value), value);
    assert.ok((table as unknown as { table: Map<string, string> }).table.size <= 100);
    const long = 'x'.repeat(17);
    assert.equal(table.share(long), long);
    assert.equal((table as unknown as { table: Map<string, string> }).table.has(long), false, 'a long string is not kept');
  });

  it('summarizes an object without turning its maps into hash tables, and drops kubectl\'s copy of it', () => {
    // V8's own view of the objects (a separate process with its natives syntax on).
    const summaryModule = require.resolve('../../../src/core/kube/objectSummary');
    const script = `
      const { summarize, withSharedStrings } = require(${JSON.stringify(summaryModule)});
      const item = () => JSON.parse(JSON.stringify({ metadata: { name: 'web-0', namespace: 'shop', uid: 'u1', resourceVersion: '7',
        labels: { app: 'web', 'pod-template-hash': '5d8f9c' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Pod"}', 'prometheus.io/scrape': 'true', team: 'a' } },
        spec: { containers: [{ image: 'nginx:1.27' }] } }));
      const summary = summarize(item());
      const restored = withSharedStrings(JSON.parse(JSON.stringify(summary)));
      process.stdout.write(JSON.stringify({
        annotations: summary.annotations, labels: summary.labels, images: summary.images, namespace: summary.namespace,
        fast: [%HasFastProperties(summary.annotations), %HasFastProperties(summary.labels), %HasFastProperties(restored.annotations)],
        restored: restored,
      }));`;
    const result = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', script], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const out = JSON.parse(result.stdout);
    assert.deepEqual(out.annotations, { 'prometheus.io/scrape': 'true', team: 'a' });
    assert.deepEqual(out.labels, { app: 'web', 'pod-template-hash': '5d8f9c' });
    assert.deepEqual(out.images, ['nginx:1.27']);
    assert.equal(out.namespace, 'shop');
    assert.deepEqual(out.fast, [true, true, true], 'annotations and labels keep fast properties');
    assert.deepEqual(out.restored.annotations, out.annotations);
    assert.deepEqual(out.restored.labels, out.labels);
  });
});
