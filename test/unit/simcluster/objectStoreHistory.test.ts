import * as assert from 'node:assert/strict';
import { ObjectStore } from '../../../simcluster/objectStore';

describe('the simulated server history', () => {
  it('keeps exactly the last historyLimit changes, however many came before', () => {
    const store = new ObjectStore(3);
    const namespaces = store.servedTypes().find((t) => t.resource === 'namespaces')!;
    for (let i = 0; i < 1000; i++) store.create(namespaces, { metadata: { name: `ns-${i}` } });
    const since = (rv: number) => store.eventsSince('/namespaces', rv)?.map((e) => e.rv);
    const last = Number(store.get('/namespaces', '', 'ns-999')!.rv);
    assert.deepEqual(since(last - 3), [last - 2, last - 1, last], 'a watch from within the history gets the rest');
    assert.deepEqual(since(last - 2), [last - 1, last]);
    assert.equal(since(last - 4), undefined, 'a watch from before it gets 410 Expired');
    store.compact();
    assert.equal(since(last - 1), undefined);
    assert.deepEqual(since(last), []);
  });
});
