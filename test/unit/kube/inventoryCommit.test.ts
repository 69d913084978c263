import * as assert from 'node:assert/strict';
import { Inventory } from '../../../src/core/inventory/inventory';
import { ResourceType } from '../../../src/core/kube/apiDiscovery';
import { ObjectSummary } from '../../../src/core/kube/objectSummary';
import { turnCounter } from '../../support/turnCounter';

const pods: ResourceType = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };

function pod(i: number, version = 1): ObjectSummary {
  return { uid: `uid-${i}`, name: `pod-${i}`, namespace: `ns-${i % 7}`, resourceVersion: String(version), createdAt: undefined, labels: {}, annotations: {}, greenfield: false };
}

const names = (inventory: Inventory) => [...(inventory.bucket('c1', '/pods')?.objects.values() ?? [])].map((o) => `${o.name}@${o.resourceVersion}`).sort();

describe('a list committed to the inventory in turns', () => {
  it('ends exactly as replaceAll does, a slice a turn, each slice told to the sinks as it lands', async () => {
    const inTurns = new Inventory(0);
    const atOnce = new Inventory(0);
    for (const inventory of [inTurns, atOnce]) inventory.replaceAll('c1', pods, Array.from({ length: 3000 }, (_, i) => pod(i)));
    // A re-list: some objects gone, some changed, some new.
    const listed = Array.from({ length: 5000 }, (_, i) => pod(i + 1000, i % 3 === 0 ? 2 : 1));
    const turns = turnCounter();
    const sunkIn = new Set<number>();
    inTurns.addSink(() => sunkIn.add(turns.now()));
    try {
      await inTurns.replaceAllInTurns('c1', pods, listed, () => false, 1000);
    } finally {
      turns.stop();
    }
    atOnce.replaceAll('c1', pods, listed);
    assert.deepEqual(names(inTurns), names(atOnce));
    assert.equal(inTurns.count('c1'), 5000);
    assert.ok(sunkIn.size >= 5, `the mutations came in ${sunkIn.size} turns`);
  });

  it('stops when halted, and does not bring back a kind removed meanwhile', async () => {
    const inventory = new Inventory(0);
    let halted = false;
    const committing = inventory.replaceAllInTurns('c1', pods, Array.from({ length: 5000 }, (_, i) => pod(i)), () => halted, 1000);
    halted = true;
    await committing;
    assert.equal(inventory.count('c1'), 1000, 'the first slice only');

    const again = inventory.replaceAllInTurns('c1', pods, Array.from({ length: 5000 }, (_, i) => pod(i, 2)), () => false, 1000);
    inventory.removeType('c1', pods);
    await again;
    assert.equal(inventory.bucket('c1', '/pods'), undefined);
  });
});
