import * as assert from 'node:assert/strict';
import { FilteredKinds } from '../../../src/core/inventory/filteredKinds';
import { Inventory } from '../../../src/core/inventory/inventory';
import { KindSketches, SomeHolders } from '../../../src/core/inventory/kindSketches';
import { objectMatcher } from '../../../src/core/inventory/objectFilter';
import { ResourceType } from '../../../src/core/kube/apiDiscovery';
import { ObjectSummary } from '../../../src/core/kube/objectSummary';

function type(resource: string, kind: string): ResourceType {
  return { group: '', version: 'v1', resource, kind, namespaced: true };
}

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Strings of every shape the filter meets: mixed case, digits, punctuation, non-ASCII, empty, one or two characters. */
function word(next: () => number, alphabet: string, max: number): string {
  const length = Math.floor(next() * (max + 1));
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(next() * alphabet.length)];
  return s;
}

function objectsOf(prefix: string, count: number, seed: number): ObjectSummary[] {
  const next = random(seed);
  const alphabet = `${prefix}abcXYZ019-._/é`;
  return Array.from({ length: count }, (_, i): ObjectSummary => {
    const labels: Record<string, string> = {};
    for (let n = Math.floor(next() * 4); n > 0; n--) labels[word(next, alphabet, 6)] = word(next, alphabet, 6);
    return { uid: `${prefix}-${i}`, name: `${prefix}-${word(next, alphabet, 12)}`, namespace: word(next, alphabet, 4), resourceVersion: '1', createdAt: undefined, labels, annotations: {}, greenfield: false };
  });
}

async function whole(sketches: KindSketches): Promise<void> {
  while (!sketches.complete) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe('kind sketches: which kinds a text filter can skip', () => {
  it('never skips a kind that holds the text, in a name, a namespace, a key, a value or across "="', async () => {
    const inventory = new Inventory(0);
    // One kind large enough to be split in blocks.
    const kinds = [
      { type: type('pods', 'Pod'), objects: objectsOf('p', 4500, 1) },
      { type: type('services', 'Service'), objects: objectsOf('s', 600, 2) },
      { type: type('configmaps', 'ConfigMap'), objects: objectsOf('q', 700, 3) },
    ];
    for (const kind of kinds) inventory.replaceAll('c1', kind.type, kind.objects);
    const sketches = new KindSketches(inventory, 500);
    await whole(sketches);
    const next = random(7);
    // Texts cut from the objects themselves (a name, namespace or "key=value", case changed at
    // random) and made up ones.
    const texts: string[] = [];
    for (let i = 0; i < 400; i++) {
      const kind = kinds[Math.floor(next() * kinds.length)];
      const object = kind.objects[Math.floor(next() * kind.objects.length)];
      const sources = [object.name, object.namespace, ...Object.entries(object.labels).map(([k, v]) => `${k}=${v}`)];
      const source = sources[Math.floor(next() * sources.length)];
      const start = Math.floor(next() * source.length);
      const cut = source.slice(start, start + 2 + Math.floor(next() * 8));
      texts.push([...cut].map((c) => (next() < 0.5 ? c.toUpperCase() : c)).join(''));
      texts.push(word(next, 'pqsabcXYZ019-=é', 6));
    }
    let skipped = 0;
    let checked = 0;
    for (const text of texts) {
      const matches = objectMatcher({ text });
      if (!matches || !text.trim()) continue;
      for (const kind of kinds) {
        const holders = sketches.holders('c1', `/${kind.type.resource}`, text.trim());
        for (const object of kind.objects) {
          const mayHold = holders === 'all' || (holders !== 'none' && holders.has(object.uid));
          if (matches(object)) assert.ok(mayHold, `the ${kind.type.kind} sketch says ${object.name} ${JSON.stringify(object.labels)} cannot hold ${JSON.stringify(text)}, but it does`);
          checked++;
          if (!mayHold) skipped++;
        }
        // The uids listed are those the test lets through: a filter visits only those.
        if (typeof holders === 'object') {
          const listed = new Set(holders.uids);
          assert.deepEqual(
            kind.objects.filter((o) => listed.has(o.uid)).map((o) => o.uid),
            kind.objects.filter((o) => holders.has(o.uid)).map((o) => o.uid),
          );
          assert.equal(listed.size, kind.objects.filter((o) => holders.has(o.uid)).length);
        }
      }
    }
    // Not a test that cannot fail: texts cut from other kinds, made-up texts and other blocks are skipped.
    assert.ok(skipped > checked / 5, `only ${skipped} of ${checked} objects skipped`);
    sketches.dispose();
  });

  it('follows the inventory: an object added is found at once, a dropped kind is no longer skipped', async () => {
    const inventory = new Inventory(0);
    const pods = type('pods', 'Pod');
    inventory.replaceAll('c1', pods, objectsOf('p', 600, 4));
    const sketches = new KindSketches(inventory, 500);
    assert.ok(sketches.mayHold('c1', '/pods', 'zzqvk'), 'before its sketch is whole, a kind is never skipped');
    await whole(sketches);
    assert.equal(sketches.mayHold('c1', '/pods', 'zzqvk'), false);
    inventory.upsert('c1', pods, { ...objectsOf('p', 1, 5)[0], uid: 'new', labels: { team: 'ZZQVK' } });
    assert.ok(sketches.mayHold('c1', '/pods', 'zzqvk'), 'a label value added');
    assert.ok(sketches.mayHold('c1', '/pods', 'm=zzq'), 'across "="');
    assert.equal(sketches.mayHold('c1', '/pods', 'xxwwk'), false);
    inventory.removeType('c1', pods);
    assert.ok(sketches.mayHold('c1', '/pods', 'xxwwk'), 'a dropped kind has no sketch');
    sketches.dispose();
  });

  it('lists the objects of a block as they come and go, so a filter visits only those', async () => {
    const inventory = new Inventory(0);
    const pods = type('pods', 'Pod');
    const objects = objectsOf('p', 4000, 30);
    inventory.replaceAll('c1', pods, objects);
    const sketches = new KindSketches(inventory, 500);
    await whole(sketches);
    const named = objects.find((o) => /^[\x20-\x7e]{9,}$/.test(o.name))!;
    const listed = () => {
      const holders = sketches.holders('c1', '/pods', named.name);
      assert.equal(typeof holders, 'object', `a pasted name lets some blocks through (${String(holders)})`);
      return new Set((holders as SomeHolders).uids);
    };
    assert.ok(listed().has(named.uid));
    assert.ok(listed().size < 4000 / 2);
    inventory.remove('c1', pods, named.uid);
    assert.equal(listed().has(named.uid), false, 'a deleted object is no longer listed');
    const again = { ...named, uid: 'recreated' };
    inventory.upsert('c1', pods, again);
    assert.ok(listed().has('recreated'), 'an object added after the sketch was made is listed');
    sketches.dispose();
  });

  it('sketches only kinds past the size, including one that grows past it later', async () => {
    const inventory = new Inventory(0);
    const pods = type('pods', 'Pod');
    inventory.replaceAll('c1', pods, objectsOf('p', 400, 6));
    const sketches = new KindSketches(inventory, 500);
    await whole(sketches);
    assert.ok(sketches.mayHold('c1', '/pods', 'zzqvk'), 'a small kind is tested object by object');
    for (const object of objectsOf('r', 200, 7)) inventory.upsert('c1', pods, object);
    await whole(sketches);
    assert.equal(sketches.mayHold('c1', '/pods', 'zzqvk'), false);
    sketches.dispose();
  });

  it('splits a large kind in blocks: a pasted name tests only the blocks that may hold it, and a kind that doubles is split anew', async () => {
    const inventory = new Inventory(0);
    const pods = type('pods', 'Pod');
    const first = objectsOf('p', 900, 20);
    inventory.replaceAll('c1', pods, first);
    const sketches = new KindSketches(inventory, 500);
    await whole(sketches);
    const name = first.find((o) => /^[\x20-\x7e]{8,}$/.test(o.name))!.name;
    assert.equal(sketches.holders('c1', '/pods', name), 'all', 'one block: the kind holds the name, every pod is tested');
    const more = objectsOf('r', 4000, 21);
    for (const object of more) inventory.upsert('c1', pods, object);
    await whole(sketches);
    const holders = sketches.holders('c1', '/pods', name);
    assert.equal(typeof holders, 'object', 'grown past twice its size, the kind has blocks');
    const some = holders as SomeHolders;
    const tested = [...first, ...more].filter((o) => some.has(o.uid));
    assert.deepEqual([...some.uids].sort(), tested.map((o) => o.uid).sort());
    assert.ok(tested.some((o) => o.name === name));
    assert.ok(tested.length < 4900 / 4, `${tested.length} of 4,900 pods would be tested`);
    sketches.dispose();
  });

  for (const listedBefore of [false, true]) {
    it(`lets a pasted name test only the objects of the kinds, and of the blocks, that can hold it${listedBefore ? ' (after every kind was shown unfiltered)' : ''}`, async () => {
      const inventory = new Inventory(0);
      // The configmaps are many enough to be split in blocks.
      const kinds = ['pods', 'services', 'configmaps', 'secrets'].map((resource, i) => ({ type: type(resource, resource), objects: objectsOf(resource.slice(0, 3), resource === 'configmaps' ? 4000 : 1000, 10 + i) }));
      for (const kind of kinds) inventory.replaceAll('c1', kind.type, kind.objects);
      const sketches = new KindSketches(inventory, 500);
      await whole(sketches);
      // Every object a filter visits: a pass over a whole kind, or an object asked about one by one.
      const passes = new Map<string, number>();
      for (const kind of kinds) {
        const bucket = inventory.bucket('c1', `/${kind.type.resource}`)!;
        const values = bucket.objects.values.bind(bucket.objects);
        bucket.objects.values = () => {
          passes.set(kind.type.resource, (passes.get(kind.type.resource) ?? 0) + 1);
          return values();
        };
      }
      let asked = 0;
      const counted: Pick<KindSketches, 'holders'> = {
        holders: (clusterId, typeKey, text) => {
          const holders = sketches.holders(clusterId, typeKey, text);
          return typeof holders === 'object' ? { ...holders, has: (uid: string) => (asked++, holders.has(uid)) } : holders;
        },
      };
      const filtered = new FilteredKinds(inventory, counted);
      if (listedBefore) {
        // The tree shows every kind before a text is typed: a text narrows that, but the whole
        // kind is a longer list than the blocks that may hold the text.
        for (const kind of kinds) filtered.objects('c1', `/${kind.type.resource}`);
        passes.clear();
      }
      // An ASCII name (a text with other characters skips nothing: see mayHold).
      const name = kinds[2].objects.find((o) => /^[\x20-\x7e]{8,}$/.test(o.name))!.name;
      filtered.setFilter({ text: name });
      const found = kinds.map((kind) => filtered.objects('c1', `/${kind.type.resource}`).map((o) => o.name));
      assert.deepEqual(found[2], kinds[2].objects.filter(objectMatcher({ text: name })!).map((o) => o.name).sort());
      assert.ok(found[2].includes(name));
      // No kind's objects are all visited: the configmaps of the blocks that may hold it are found by their uids.
      assert.deepEqual([...passes.keys()], [], `every object visited in ${[...passes.keys()].join(', ')}`);
      assert.equal(asked, 0, `${asked} objects asked about one by one`);
      sketches.dispose();
    });
  }
});
