import * as assert from 'node:assert/strict';
import { ListBody, MemberShape, readListBody } from '../../../src/core/kube/listBody';
import { seededRandom } from '../../../simcluster/random';

/** The scan's pauses cost nothing here; one test counts them. */
const read = (text: string, sliceBytes: number) => readListBody(Buffer.from(text), sliceBytes, { pause: () => Promise.resolve() });

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

describe('list answers read a slice of items at a time', async () => {
  it('gives every item, in order, with the envelope, whatever the slice size and spacing', async () => {
    const answer = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '42', continue: 'token==' }, items: trickyItems };
    for (const text of [JSON.stringify(answer), JSON.stringify(answer, null, 2), JSON.stringify({ items: trickyItems, metadata: answer.metadata, kind: 'PodList' })]) {
      for (const sliceBytes of [1, 60, 100_000]) {
        const list = await read(text, sliceBytes);
        assert.deepEqual(allItems(list), trickyItems, `slices of ${sliceBytes} bytes`);
        assert.deepEqual(list.envelope.metadata, answer.metadata);
        assert.deepEqual(list.envelope.items, []);
      }
      assert.equal((await read(text, 1)).sliceCount, trickyItems.length, 'one item a slice when each exceeds the size');
      assert.equal((await read(text, 100_000)).sliceCount, 1);
    }
  });

  it('reads 2,000 random answers whose strings mix quotes, backslashes, brackets and non-ASCII as JSON.parse does', async () => {
    const random = seededRandom(7);
    const pieces = ['a', '"', '\\', '{', '}', '[', ']', ',', ':', 'é', '名', '🚀', '\n', '\u0000'];
    const text = (length: number) => Array.from({ length }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    for (let run = 0; run < 2000; run++) {
      const items = Array.from({ length: 1 + (run % 5) }, () => Object.fromEntries(Array.from({ length: 3 }, () => [text(5), text(Math.floor(random() * 150))])));
      const list = await read(JSON.stringify({ metadata: { continue: text(4) }, items }), Math.floor(random() * 300));
      assert.deepEqual(allItems(list), items);
    }
  });

  it('leaves every item\'s metadata.managedFields out, wherever it stands, and nothing else', async () => {
    const managed = [{ manager: 'kubectl "client" {side}', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'k:{"uid":"x"}': {} } } }, note: 'a } ] , : \\' }];
    const withFields = [
      { metadata: { managedFields: managed, name: 'first', uid: '1' } },
      { metadata: { name: 'middle', managedFields: managed, uid: '2' }, spec: { managedFields: 'kept: not metadata' } },
      { metadata: { name: 'last', uid: '3', managedFields: managed } },
      { metadata: { managedFields: managed } },
      { metadata: { name: 'none', uid: '5', annotations: { managedFields: 'kept: an annotation' } }, managedFields: 'kept: not in metadata' },
      { metadata: { name: 'empty', uid: '6', managedFields: [] } },
      'not an object',
    ];
    const without = (item: unknown) => {
      if (!item || typeof item !== 'object') return item;
      const copy = JSON.parse(JSON.stringify(item)) as { metadata: Record<string, unknown> };
      delete copy.metadata.managedFields;
      return copy;
    };
    const expected = withFields.map(without);
    for (const text of [JSON.stringify({ items: withFields }), JSON.stringify({ kind: 'List', items: withFields }, null, 2)]) {
      for (const sliceBytes of [1, 50, 100_000]) assert.deepEqual(allItems(await read(text, sliceBytes)), expected, `slices of ${sliceBytes} bytes`);
    }
    // Random metadata members, managedFields among them anywhere, strings a scanner could trip on.
    const random = seededRandom(11);
    const pieces = ['a', '"', '\\', '{', '}', '[', ']', ',', ':', 'é', '🚀', '\n'];
    const text = (length: number) => Array.from({ length }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    for (let run = 0; run < 500; run++) {
      const items = Array.from({ length: 1 + (run % 4) }, () => {
        const members: [string, unknown][] = Array.from({ length: Math.floor(random() * 4) }, () => [text(4), text(Math.floor(random() * 40))]);
        if (random() < 0.8) members.splice(Math.floor(random() * (members.length + 1)), 0, ['managedFields', [{ manager: text(20) }]]);
        return { metadata: Object.fromEntries(members), spec: { data: text(30) } };
      });
      const list = await read(JSON.stringify({ items }, null, run % 2 ? 1 : 0), Math.floor(random() * 200));
      assert.deepEqual(allItems(list), items.map(without));
    }
  });

  it('parses only the top-level members it is told to keep, wherever they stand, whatever is cut around them', async () => {
    const keep = { spec: true } as const;
    const kept = (item: unknown) => {
      if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
      const copy = Object.fromEntries(Object.entries(JSON.parse(JSON.stringify(item)) as Record<string, unknown>).filter(([key]) => key === 'metadata' || key === 'spec'));
      if (copy.metadata && typeof copy.metadata === 'object') delete (copy.metadata as Record<string, unknown>).managedFields;
      return copy;
    };
    const fixed = [
      { metadata: { name: 'a', managedFields: [{}] }, spec: { x: 1 }, status: { phase: 'Running' } },
      { status: { phase: '"}]' }, metadata: { name: 'b' }, spec: {} },
      { kind: 'Pod', metadata: { name: 'c', managedFields: [] }, status: {}, data: { big: 'x'.repeat(50) } },
      { status: 1, data: 2, kind: 'only cut members' },
      { status: { s: 1 } },
      { spec: { status: 'a member of spec stays' }, metadata: { status: 'and of metadata' } },
      {},
      [1, { status: 'an array is not an object: all of it stays' }],
    ];
    for (const sliceBytes of [1, 64, 100_000]) {
      const list = await readListBody(Buffer.from(JSON.stringify({ items: fixed }, null, sliceBytes === 64 ? 2 : 0)), sliceBytes, { keep, pause: () => Promise.resolve() });
      assert.deepEqual(allItems(list), fixed.map(kept), `slices of ${sliceBytes} bytes`);
    }
    // Random members, kept and cut, in random order; managedFields anywhere in the metadata.
    const random = seededRandom(23);
    const pieces = ['a', '"', '\\', '{', '}', '[', ']', ',', ':', 'é', '🚀', '\n'];
    const text = (length: number) => Array.from({ length }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    const names = ['metadata', 'spec', 'status', 'data', 'kind', 'apiVersion'];
    for (let run = 0; run < 500; run++) {
      const items = Array.from({ length: 1 + (run % 4) }, () => {
        const members = names.filter(() => random() < 0.5).sort(() => random() - 0.5);
        return Object.fromEntries(
          members.map((name) => [name, name === 'metadata' ? { name: text(8), ...(random() < 0.5 ? { managedFields: [{ manager: text(10) }] } : {}), uid: text(4) } : { value: text(Math.floor(random() * 30)) }]),
        );
      });
      const list = await readListBody(Buffer.from(JSON.stringify({ items }, null, run % 2 ? 1 : 0)), Math.floor(random() * 200), { keep, pause: () => Promise.resolve() });
      assert.deepEqual(allItems(list), items.map(kept));
    }
  });

  it('keeps members deep down as a shape names them, in objects and in the objects of arrays', async () => {
    const shape: MemberShape = { spec: { containers: { image: true, ports: { containerPort: true } }, template: { spec: { containers: { image: true } } } }, status: { loadBalancer: true } };
    // What the shape keeps, computed on the parsed value: the reference the scanner must match.
    const shaped = (value: unknown, s: MemberShape | true): unknown => {
      if (s === true || !value || typeof value !== 'object') return value;
      if (Array.isArray(value)) return value.map((v) => shaped(v, s));
      return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (k in s ? [[k, shaped(v, s[k])]] : [])));
    };
    const expected = (item: unknown) => {
      if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
      const { metadata, ...rest } = item as Record<string, unknown>;
      const out = shaped(rest, shape) as Record<string, unknown>;
      if (metadata === undefined) return out;
      const m = metadata && typeof metadata === 'object' && !Array.isArray(metadata) ? { ...(metadata as object) } : metadata;
      if (m && typeof m === 'object') delete (m as Record<string, unknown>).managedFields;
      return { metadata: m, ...out };
    };
    const pod = {
      status: { phase: 'Running', conditions: [{ type: 'Ready' }], loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } },
      metadata: { name: 'p', managedFields: [{ manager: 'kubelet' }] },
      spec: {
        volumes: [{ name: 'v' }],
        containers: [{ name: 'a', image: 'nginx', env: [{ name: 'X', value: '}' }], ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }] }, 'not an object', [{ image: 'in a nested array' }], {}],
        template: { metadata: { labels: {} }, spec: { containers: [{ image: 'redis', args: ['a'] }], volumes: [] } },
        tolerations: [],
      },
    };
    for (const sliceBytes of [1, 64, 100_000]) {
      const list = await readListBody(Buffer.from(JSON.stringify({ items: [pod, { spec: [] }, { spec: 'text' }, { spec: { containers: [] } }] }, null, sliceBytes === 64 ? 2 : 0)), sliceBytes, { keep: shape, pause: () => Promise.resolve() });
      assert.deepEqual(allItems(list), [pod, { spec: [] }, { spec: 'text' }, { spec: { containers: [] } }].map(expected), `slices of ${sliceBytes} bytes`);
    }
    // Random nests of the named and other members, with strings a scanner could trip on.
    const random = seededRandom(31);
    const pieces = ['a', '"', '\\', '{', '}', '[', ']', ',', ':', 'é', '\n'];
    const text = () => Array.from({ length: Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    const names = ['spec', 'status', 'containers', 'image', 'ports', 'containerPort', 'template', 'loadBalancer', 'env', 'other'];
    const value = (depth: number): unknown => {
      const roll = random();
      if (depth > 3 || roll < 0.3) return roll < 0.1 ? Math.floor(random() * 100) : text();
      if (roll < 0.45) return Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1));
      return Object.fromEntries(names.filter(() => random() < 0.3).map((n) => [n, value(depth + 1)]));
    };
    for (let run = 0; run < 500; run++) {
      const items = Array.from({ length: 1 + (run % 3) }, () => ({ ...(value(0) as object), ...(random() < 0.5 ? { metadata: { name: text(), managedFields: [text()] } } : {}) }));
      const list = await readListBody(Buffer.from(JSON.stringify({ items }, null, run % 2 ? 1 : 0)), Math.floor(random() * 200), { keep: shape, pause: () => Promise.resolve() });
      assert.deepEqual(allItems(list), items.map(expected));
    }
  });

  it('slices by size: a large page comes in several slices, none much over the size, and its scan pauses between them', async () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ metadata: { name: `pod-${i}`, uid: String(i), labels: { app: 'web'.repeat(i % 7) } } }));
    const text = JSON.stringify({ kind: 'List', metadata: {}, items });
    let pauses = 0;
    const list = await readListBody(Buffer.from(text), 4096, { pause: async () => void pauses++ });
    // Finding the items pauses as often as they are sliced: a cold scan is slow.
    assert.ok(Math.abs(pauses - (list.sliceCount - 1)) <= 1, `${pauses} pauses for ${list.sliceCount} slices`);
    assert.ok(list.sliceCount >= Math.floor(text.length / 4096) - 1 && list.sliceCount <= Math.ceil(text.length / 4096) + 1, `${list.sliceCount} slices of ${text.length} bytes`);
    let largest = 0;
    for (let i = 0; i < list.sliceCount; i++) largest = Math.max(largest, JSON.stringify(list.slice(i)).length);
    assert.ok(largest < 4096 + 200, `a slice of ${largest} bytes`);
    assert.deepEqual(allItems(list), items);
  });

  it('an empty list, a list without items and an answer that is not a list', async () => {
    assert.equal((await read('{"kind":"List","items":[]}', 10)).sliceCount, 0);
    assert.equal((await read('{"kind":"List","items":null}', 10)).sliceCount, 0);
    const status = await read('{"kind":"Status","code":410}', 10);
    assert.equal(status.sliceCount, 0);
    assert.equal(status.envelope.code, 410);
  });

  it('broken JSON is refused as JSON.parse refuses it, in the envelope or in an item', async () => {
    await assert.rejects(read('{"kind":"List","items":[{"a":1},', 10), SyntaxError);
    await assert.rejects(read('not json', 10), SyntaxError);
    await assert.rejects(read('{"kind":List,"items":[]}', 10), SyntaxError);
    const list = await read('{"items":[{"a":1},{"a":tru}]}', 1);
    assert.deepEqual(list.slice(0), [{ a: 1 }]);
    assert.throws(() => list.slice(1), SyntaxError);
  });
});

describe('list items the caller already holds are not parsed', () => {
  const pod = (n: number, resourceVersion: unknown, extra: Record<string, unknown> = {}) => ({
    metadata: { name: `pod-${n}`, uid: `uid-${n}`, resourceVersion, managedFields: [{ manager: 'kubelet' }], ...extra },
    spec: { containers: [{ image: `img:${n}` }] },
  });
  /** Stands in for the items whose resourceVersion is "held" (as a caller's inventory would). */
  const held = (uid: string, resourceVersion: string) => (resourceVersion === 'held' ? `known ${uid}` : undefined);
  const readHeld = (items: unknown[], sliceBytes: number) => readListBody(Buffer.from(JSON.stringify({ metadata: { continue: 'c' }, items })), sliceBytes, { pause: () => Promise.resolve(), unchanged: held, keep: { spec: true } });
  const parsed = (item: { metadata: Record<string, unknown>; spec: unknown }) => ({ metadata: Object.fromEntries(Object.entries(item.metadata).filter(([k]) => k !== 'managedFields')), spec: item.spec });

  it('gives what stands in for each held item, and parses the others, wherever they stand and however the page is sliced', async () => {
    const random = seededRandom(11);
    for (let run = 0; run < 200; run++) {
      const items = Array.from({ length: 1 + Math.floor(random() * 12) }, (_, n) => pod(n, random() < 0.5 ? 'held' : String(n)));
      const list = await readHeld(items, Math.floor(random() * 400));
      assert.deepEqual(list.unchanged, items.filter((i) => i.metadata.resourceVersion === 'held').map((i) => `known ${i.metadata.uid}`));
      assert.deepEqual(allItems(list), items.filter((i) => i.metadata.resourceVersion !== 'held').map(parsed));
      assert.deepEqual(list.envelope.metadata, { continue: 'c' });
    }
  });

  it('a page of held items only has nothing to parse', async () => {
    const list = await readHeld(Array.from({ length: 50 }, (_, n) => pod(n, 'held')), 100);
    assert.equal(list.unchanged.length, 50);
    assert.deepEqual(allItems(list), []);
  });

  it('an item whose uid or resourceVersion is escaped, missing or not a string is parsed, never taken for one held', async () => {
    const asked: [string, string][] = [];
    const items = [
      { metadata: { name: 'escaped', uid: 'a"b', resourceVersion: 'held' } },
      { metadata: { name: 'escaped-version', uid: 'c', resourceVersion: 'he\\ld' } },
      { metadata: { name: 'no-version', uid: 'd' } },
      { metadata: { name: 'numeric', uid: 'e', resourceVersion: 7 } },
      { metadata: { name: 'no-uid', resourceVersion: 'held' } },
      { metadata: 'not an object' },
      { metadata: { uid: 'f', resourceVersion: 'held', name: 'held' } },
    ];
    const list = await readListBody(Buffer.from(JSON.stringify({ items })), 1000, {
      pause: () => Promise.resolve(),
      unchanged: (uid, resourceVersion) => {
        asked.push([uid, resourceVersion]);
        return held(uid, resourceVersion);
      },
    });
    assert.deepEqual(asked, [['f', 'held']]);
    assert.deepEqual(list.unchanged, ['known f']);
    assert.deepEqual(allItems(list), items.slice(0, 6));
  });
});
