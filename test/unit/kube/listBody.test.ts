import * as assert from 'node:assert/strict';
import { ListBody, readListBody } from '../../../src/core/kube/listBody';
import { seededRandom } from '../../../simcluster/random';

function allItems(list: ListBody): unknown[] {
  const items: unknown[] = [];
  for (let i = 0; i < list.sliceCount; i++) items.push(...list.slice(i));
  return items;
}

/** Items whose strings hold what a byte scanner could trip on. */
const trickyItems = [
  { metadata: { name: 'a', uid: '1', annotations: { note: 'a "quoted" } ] { [ , : text', path: 'C:\\dir\\', 'ends-with-backslash': '\\' } } },
  { metadata: { name: 'ünïcødé-名前-🚀', uid: '2', labels: { 'x/y': '' } }, spec: { ports: [80, 443], nested: [[], {}, [{}]], nothing: null, yes: true, n: -1.5e3 } },
  { metadata: { name: 'c', uid: '3' }, data: { key: '\u2028\u0000\t' } },
  // Escapes on either side of where the reader stops looking byte by byte and searches instead.
  { metadata: { name: 'd', uid: '4' }, data: Object.fromEntries(Array.from({ length: 80 }, (_, n) => [`k${n}`, `${'x'.repeat(n)}\\"\\${'y'.repeat(n % 7)}\\`])) },
];

describe('list answers read a slice of items at a time', () => {
  it('gives every item, in order, with the envelope, whatever the slice size and spacing', () => {
    const answer = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '42', continue: 'token==' }, items: trickyItems };
    for (const text of [JSON.stringify(answer), JSON.stringify(answer, null, 2), JSON.stringify({ items: trickyItems, metadata: answer.metadata, kind: 'PodList' })]) {
      for (const sliceBytes of [1, 60, 100_000]) {
        const list = readListBody(Buffer.from(text), sliceBytes);
        assert.deepEqual(allItems(list), trickyItems, `slices of ${sliceBytes} bytes`);
        assert.deepEqual(list.envelope.metadata, answer.metadata);
        assert.deepEqual(list.envelope.items, []);
      }
      assert.equal(readListBody(Buffer.from(text), 1).sliceCount, trickyItems.length, 'one item a slice when each exceeds the size');
      assert.equal(readListBody(Buffer.from(text), 100_000).sliceCount, 1);
    }
  });

  it('reads 2,000 random answers whose strings mix quotes, backslashes, brackets and non-ASCII as JSON.parse does', () => {
    const random = seededRandom(7);
    const pieces = ['a', '"', '\\', '{', '}', '[', ']', ',', ':', 'é', '名', '🚀', '\n', '\u0000'];
    const text = (length: number) => Array.from({ length }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    for (let run = 0; run < 2000; run++) {
      const items = Array.from({ length: 1 + (run % 5) }, () => Object.fromEntries(Array.from({ length: 3 }, () => [text(5), text(Math.floor(random() * 150))])));
      const list = readListBody(Buffer.from(JSON.stringify({ metadata: { continue: text(4) }, items })), Math.floor(random() * 300));
      assert.deepEqual(allItems(list), items);
    }
  });

  it('slices by size: a large page comes in several slices, none much over the size', () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ metadata: { name: `pod-${i}`, uid: String(i), labels: { app: 'web'.repeat(i % 7) } } }));
    const text = JSON.stringify({ kind: 'List', metadata: {}, items });
    const list = readListBody(Buffer.from(text), 4096);
    assert.ok(list.sliceCount >= Math.floor(text.length / 4096) - 1 && list.sliceCount <= Math.ceil(text.length / 4096) + 1, `${list.sliceCount} slices of ${text.length} bytes`);
    let largest = 0;
    for (let i = 0; i < list.sliceCount; i++) largest = Math.max(largest, JSON.stringify(list.slice(i)).length);
    assert.ok(largest < 4096 + 200, `a slice of ${largest} bytes`);
    assert.deepEqual(allItems(list), items);
  });

  it('an empty list, a list without items and an answer that is not a list', () => {
    assert.equal(readListBody(Buffer.from('{"kind":"List","items":[]}'), 10).sliceCount, 0);
    assert.equal(readListBody(Buffer.from('{"kind":"List","items":null}'), 10).sliceCount, 0);
    const status = readListBody(Buffer.from('{"kind":"Status","code":410}'), 10);
    assert.equal(status.sliceCount, 0);
    assert.equal(status.envelope.code, 410);
  });

  it('broken JSON is refused as JSON.parse refuses it, in the envelope or in an item', () => {
    assert.throws(() => readListBody(Buffer.from('{"kind":"List","items":[{"a":1},'), 10), SyntaxError);
    assert.throws(() => readListBody(Buffer.from('not json'), 10), SyntaxError);
    assert.throws(() => readListBody(Buffer.from('{"kind":List,"items":[]}'), 10), SyntaxError);
    const list = readListBody(Buffer.from('{"items":[{"a":1},{"a":tru}]}'), 1);
    assert.deepEqual(list.slice(0), [{ a: 1 }]);
    assert.throws(() => list.slice(1), SyntaxError);
  });
});
