import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { NotJsonError, inlinePageReader, summarizePage } from '../../../src/core/kube/listPageReader';
import { WorkerPageReader } from '../../../src/core/kube/workerPageReader';

const script = path.join(__dirname, '../../../src/core/kube/pageReaderWorker.js');
const nothingKnown = () => undefined;

/** A list page as the API server sends it: pods with their spec, or Secrets in metadata form. */
function listPage(count: number, options: { secret?: boolean; rv?: (i: number) => string; continueToken?: string } = {}): Buffer {
  const items = Array.from({ length: count }, (_, i) => ({
    ...(options.secret ? {} : { kind: 'Pod' }),
    metadata: {
      uid: `uid-${i}`,
      name: `obj-${i}`,
      namespace: `ns-${i % 7}`,
      resourceVersion: options.rv?.(i) ?? String(100 + i),
      creationTimestamp: '2026-12-01T10:00:00Z',
      labels: { app: `app-${i % 5}`, 'pod-template-hash': 'abc' },
      annotations: options.secret
        ? { 'kubernetes.io/service-account.name': 'builder', 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"token":"c2VjcmV0"}}' }
        : { 'kubectl.kubernetes.io/last-applied-configuration': '{}', note: 'kept' },
      managedFields: [{ manager: 'kubectl' }],
    },
    ...(options.secret ? {} : { spec: { containers: [{ image: `prom/prometheus:v${i % 3}`, ports: [{ containerPort: 9090 }] }] } }),
  }));
  return Buffer.from(JSON.stringify({ kind: 'List', metadata: { resourceVersion: '999', continue: options.continueToken ?? '' }, items }));
}

describe('reading list pages in a worker', () => {
  let reader: WorkerPageReader;
  let failures: string[];
  beforeEach(() => {
    failures = [];
    reader = new WorkerPageReader(script, (reason) => failures.push(reason));
  });
  afterEach(() => reader.dispose());

  it('gives the same summaries as reading on this thread: spec signals, dropped annotations, Secrets', async () => {
    for (const secret of [false, true]) {
      const body = listPage(300, { secret, continueToken: 'next-page' });
      const expected = summarizePage(Buffer.from(body), secret);
      const page = await reader.read({ body, secret, known: nothingKnown });
      assert.deepEqual(page, expected);
      assert.equal(page.continueToken, 'next-page');
      assert.equal(page.resourceVersion, '999');
      assert.equal(page.summaries.length, 300);
    }
    const [secret] = (await reader.read({ body: listPage(1, { secret: true }), secret: true, known: nothingKnown })).summaries;
    assert.deepEqual(secret.annotations, { 'kubernetes.io/service-account.name': 'builder' }, 'only the allowed annotations of a Secret cross');
    const [pod] = (await reader.read({ body: listPage(1), secret: false, known: nothingKnown })).summaries;
    assert.deepEqual([pod.images, pod.ports, pod.annotations], [['prom/prometheus:v0'], [9090], { note: 'kept' }]);
  });

  it('hands back the summary the inventory holds for an unchanged object, a new one for a changed object', async () => {
    const first = await reader.read({ body: listPage(10), secret: false, known: nothingKnown });
    const held = new Map(first.summaries.map((s) => [s.uid, s]));
    // Object 3 changed since (a new resourceVersion); object 5 was held with an empty one.
    const body = listPage(10, { rv: (i) => (i === 3 ? '5000' : String(100 + i)) });
    held.set('uid-5', { ...held.get('uid-5')!, resourceVersion: '' });
    const again = await reader.read({ body, secret: false, known: (uid) => held.get(uid) });
    again.summaries.forEach((s, i) => {
      if (i === 3 || i === 5) assert.notEqual(s, held.get(s.uid), `object ${i} is summarized anew`);
      else assert.equal(s, held.get(s.uid), `object ${i} keeps the summary held`);
    });
    assert.equal(again.summaries[3].resourceVersion, '5000');
  });

  it('answers pages read at once each with its own summaries', async () => {
    const pages = Array.from({ length: 24 }, (_, n) => listPage(20 + n));
    const read = await Promise.all(pages.map((body) => reader.read({ body, secret: false, known: nothingKnown })));
    assert.deepEqual(
      read.map((p) => p.summaries.length),
      pages.map((_, n) => 20 + n),
    );
  });

  it('leaves a small body, a slice of Node\'s shared buffer pool, and its neighbours intact', async () => {
    const neighbour = Buffer.from('a neighbour in the pool');
    const small = Buffer.from('{"metadata":{"resourceVersion":"7"},"items":[]}');
    assert.ok(small.buffer.byteLength > small.byteLength, 'the test needs a pooled buffer');
    const page = await reader.read({ body: small, secret: false, known: nothingKnown });
    assert.equal(page.resourceVersion, '7');
    assert.equal(neighbour.toString(), 'a neighbour in the pool');
    assert.equal(small.toString(), '{"metadata":{"resourceVersion":"7"},"items":[]}');
  });

  it('rejects a body that is not JSON as such, and goes on reading', async () => {
    await assert.rejects(reader.read({ body: Buffer.from('<html>proxy error</html>'), secret: false, known: nothingKnown }), NotJsonError);
    await assert.rejects(inlinePageReader.read({ body: Buffer.from('null'), secret: false, known: nothingKnown }), NotJsonError);
    assert.equal((await reader.read({ body: listPage(3), secret: false, known: nothingKnown })).summaries.length, 3);
    assert.deepEqual(failures, []);
  });

  it('fails the reads waiting on a worker that cannot run, says so, and reads on this thread after three failures', async () => {
    const broken = new WorkerPageReader(path.join(__dirname, 'no-such-worker.js'), (reason) => failures.push(reason));
    try {
      for (let attempt = 1; attempt <= 3; attempt++) {
        await assert.rejects(broken.read({ body: listPage(2), secret: false, known: nothingKnown }), /the worker reading list pages stopped/);
        assert.equal(failures.length, attempt);
      }
      assert.match(failures[2], /now read on the extension host's thread/);
      const page = await broken.read({ body: listPage(4), secret: false, known: nothingKnown });
      assert.equal(page.summaries.length, 4);
    } finally {
      broken.dispose();
    }
  });

  it('fails what is waiting when disposed', async () => {
    const waiting = reader.read({ body: listPage(2000), secret: false, known: nothingKnown });
    reader.dispose();
    await assert.rejects(waiting, /closed/);
  });
});

