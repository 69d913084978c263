import * as assert from 'node:assert/strict';
import { FilteredKinds } from '../../../src/core/inventory/filteredKinds';
import { Inventory } from '../../../src/core/inventory/inventory';
import { KindSketches } from '../../../src/core/inventory/kindSketches';
import { ObjectFilter, narrows, objectMatcher } from '../../../src/core/inventory/objectFilter';
import { ResourceType } from '../../../src/core/kube/apiDiscovery';
import { ObjectSummary } from '../../../src/core/kube/objectSummary';

const pods: ResourceType = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
const secrets: ResourceType = { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true };

/** A small deterministic generator, so a failure names objects that can be made again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function objects(count: number, seed: number): ObjectSummary[] {
  const next = random(seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)];
  return Array.from({ length: count }, (_, i): ObjectSummary => ({
    uid: `uid-${seed}-${i}`,
    name: `${pick(['web', 'api', 'db', 'cache', 'worker'])}-${Math.floor(next() * 500)}`,
    namespace: pick(['shop', 'monitoring', 'kube-system', '']),
    resourceVersion: '1',
    createdAt: undefined,
    labels: next() < 0.8 ? { app: pick(['web', 'api', 'Checkout']), tier: pick(['front', 'back']) } : ({} as Record<string, string>),
    annotations: {},
    greenfield: false,
  }));
}

/** What a filter shows of a kind, found the slow way: every object tested, then sorted. */
function expected(list: readonly ObjectSummary[], filter: ObjectFilter): string[] {
  const matches = objectMatcher(filter) ?? (() => true);
  return list
    .filter(matches)
    .sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((o) => `${o.namespace}/${o.name}`);
}

/** Pods in an inventory whose bucket counts the passes over every object (values() calls); `values` reads without counting. */
function countedPods(count: number, seed: number): { inventory: Inventory; passes: () => number; values: () => IterableIterator<ObjectSummary> } {
  const inventory = new Inventory(0);
  inventory.replaceAll('c1', pods, objects(count, seed));
  const bucket = inventory.bucket('c1', '/pods')!;
  let passes = 0;
  const values = bucket.objects.values.bind(bucket.objects);
  bucket.objects.values = () => {
    passes++;
    return values();
  };
  return { inventory, passes: () => passes, values };
}

describe('a filter over the inventory, a keystroke at a time', () => {
  it('says which filters narrow the one before', () => {
    assert.ok(narrows({ text: 'web' }, {}), 'any filter narrows no filter');
    assert.ok(narrows({ text: 'web-1' }, { text: 'web' }));
    assert.ok(narrows({ text: 'WEB-1' }, { text: 'web' }), 'case does not matter');
    assert.ok(narrows({ text: 'tier=front' }, { text: 'tier' }), 'a key, then its value');
    assert.ok(narrows({ text: 'r=fr' }, { text: 'fr' }));
    assert.ok(narrows({ text: 'xtier=front' }, { text: 'tier=fr' }));
    assert.ok(!narrows({ text: 'we' }, { text: 'web' }), 'a keystroke deleted widens it');
    assert.ok(!narrows({ text: 'api' }, { text: 'web' }));
    assert.ok(!narrows({}, { text: 'web' }));
    assert.ok(!narrows({ text: 'straße' }, { text: 'stra' }), 'only ASCII, where lowercasing and the matcher agree');
    assert.ok(narrows({ namespaces: ['shop'] }, { namespaces: ['shop', 'monitoring'] }));
    assert.ok(!narrows({ namespaces: ['shop', 'dev'] }, { namespaces: ['shop'] }));
    assert.ok(!narrows({ text: 'web' }, { namespaces: ['shop'] }), 'dropping the namespaces widens it');
  });

  for (const sketched of [false, true]) {
    it(`shows what a pass over every object shows, whatever is typed, deleted or changed in between${sketched ? ' (kinds skipped by their sketches)' : ''}`, async () => {
    const inventory = new Inventory(0);
    const all = new Map<string, ObjectSummary[]>([
      ['/pods', objects(3000, 1)],
      ['/secrets', objects(500, 2)],
    ]);
    inventory.replaceAll('c1', pods, all.get('/pods')!);
    inventory.replaceAll('c1', secrets, all.get('/secrets')!);
    const sketches = sketched ? new KindSketches(inventory, 100) : undefined;
    while (sketches && !sketches.complete) await new Promise((resolve) => setTimeout(resolve, 1));
    const kinds = new FilteredKinds(inventory, sketches);
    const typing = ['', 'w', 'we', 'web', 'web-', 'web-1', 'web-12', 'web-1', 'web', 'a', 'ap', 'app', 'app=', 'app=c', 'app=ch', 'p=ch', 'tier', 'tier=b', 'TIER=BACK', 'sh', 'sho', 'shop', 'shopx', 'qqq', 'Checkout', 'checkout-x'];
    const scopes: (string[] | undefined)[] = [undefined, ['shop', 'monitoring'], ['shop']];
    let step = 0;
    for (const namespaces of scopes) {
      for (const text of typing) {
        const filter: ObjectFilter = { text, namespaces };
        kinds.setFilter(filter);
        // Now and then a kind changes between keystrokes, as it does under a live cluster.
        if (++step % 7 === 0) {
          const added = objects(50, 100 + step);
          all.set('/pods', [...all.get('/pods')!, ...added]);
          for (const object of added) inventory.upsert('c1', pods, object);
          kinds.forget('c1', '/pods');
        }
        for (const [typeKey, list] of all) {
          const shown = kinds.objects('c1', typeKey).map((o) => `${o.namespace}/${o.name}`);
          assert.deepEqual(shown, expected(list, filter), `${typeKey} under ${JSON.stringify(filter)}`);
          assert.equal(kinds.count('c1', typeKey), shown.length);
        }
      }
    }
    sketches?.dispose();
  });
  }

  it('patches the list of a kind of which few objects changed, and shows what a pass over every object shows', () => {
    const { inventory, passes, values } = countedPods(3000, 5);
    const kinds = new FilteredKinds(inventory);
    const next = random(17);
    try {
      for (const filter of [{}, { text: 'web' }, { text: 'app=api', namespaces: ['shop', ''] }] as ObjectFilter[]) {
        kinds.setFilter(filter);
        kinds.objects('c1', '/pods');
        const passesBefore = passes();
        for (let round = 0; round < 40; round++) {
          // A churning cluster: some objects come, some go, some change (labels, so whether they match).
          const current = [...values()];
          for (let n = Math.floor(next() * 30); n > 0; n--) {
            const object = current[Math.floor(next() * current.length)];
            const roll = next();
            if (roll < 0.3) inventory.remove('c1', pods, object.uid);
            else if (roll < 0.7) inventory.upsert('c1', pods, { ...object, resourceVersion: String(Number(object.resourceVersion) + 1), labels: { app: next() < 0.5 ? 'api' : 'web' } });
            else inventory.upsert('c1', pods, objects(1, Math.floor(next() * 1e9))[0]);
          }
          kinds.forget('c1', '/pods');
          assert.deepEqual(kinds.objects('c1', '/pods').map((o) => `${o.namespace}/${o.name}`), expected([...values()], filter), `round ${round} under ${JSON.stringify(filter)}`);
        }
        assert.equal(passes(), passesBefore, 'patched, not a pass over every object');
      }
      // Most of the kind changed: sorted anew.
      for (const object of [...values()].slice(0, 1000)) inventory.remove('c1', pods, object.uid);
      kinds.forget('c1', '/pods');
      const passesBefore = passes();
      assert.deepEqual(kinds.objects('c1', '/pods').map((o) => `${o.namespace}/${o.name}`), expected([...values()], { text: 'app=api', namespaces: ['shop', ''] }));
      assert.equal(passes(), passesBefore + 1);
    } finally {
      kinds.dispose();
    }
  });

  it('keeps what it holds to patch a kind nobody asks for bounded, and still answers right when asked', () => {
    const { inventory, values } = countedPods(3000, 8);
    const kinds = new FilteredKinds(inventory);
    const next = random(29);
    try {
      kinds.setFilter({ text: 'app=api' });
      const listed = kinds.objects('c1', '/pods').length;
      let mostHeld = 0;
      // An hour of a churning cluster in miniature, its view hidden: the tree forgets the kind at
      // each change, and nothing asks for its objects.
      for (let round = 0; round < 200; round++) {
        const current = [...values()];
        for (let n = 0; n < 20; n++) {
          const roll = next();
          if (roll < 0.5) inventory.remove('c1', pods, current[Math.floor(next() * current.length)].uid);
          else inventory.upsert('c1', pods, objects(1, Math.floor(next() * 1e9))[0]);
        }
        kinds.forget('c1', '/pods');
        mostHeld = Math.max(mostHeld, kinds.heldForPatching);
      }
      assert.ok(mostHeld <= listed + listed / 8 + 1, `held ${mostHeld} objects and uids to patch a list of ${listed}`);
      assert.equal(kinds.heldForPatching, 0, 'too much changed to patch: nothing kept for it');
      assert.deepEqual(kinds.objects('c1', '/pods').map((o) => `${o.namespace}/${o.name}`), expected([...values()], { text: 'app=api' }));
      // A current list (not forgotten yet) does not gather uids past the patching limit either.
      for (let n = 0; n < 1000; n++) inventory.upsert('c1', pods, objects(1, Math.floor(next() * 1e9))[0]);
      assert.ok(kinds.heldForPatching <= kinds.objects('c1', '/pods').length / 8 + 1, `held ${kinds.heldForPatching}`);
      kinds.forget('c1', '/pods');
      assert.equal(kinds.heldForPatching, 0);
      assert.deepEqual(kinds.objects('c1', '/pods').map((o) => `${o.namespace}/${o.name}`), expected([...values()], { text: 'app=api' }));
    } finally {
      kinds.dispose();
    }
  });

  it('answers a narrower filter from the lists the last one left, not from every object', () => {
    const { inventory, passes } = countedPods(2000, 3);
    const kinds = new FilteredKinds(inventory);
    for (const text of ['w', 'we', 'web', 'web-4']) {
      kinds.setFilter({ text });
      kinds.objects('c1', '/pods');
    }
    assert.equal(passes(), 1, 'one pass over every object, for the first keystroke');
    kinds.setFilter({ text: 'web-' });
    kinds.objects('c1', '/pods');
    assert.equal(passes(), 2, 'a deleted keystroke widens the filter: every object again');
  });
});
