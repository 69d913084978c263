import * as assert from 'node:assert/strict';
import { ObjectStore } from '../../../simcluster/objectStore';

describe('the simulated server encoding of a stored version', () => {
  it('gives apiVersion and kind first, and a metadata form equal to the object metadata, names outside ASCII included', () => {
    const store = new ObjectStore();
    const configMaps = store.servedTypes().find((t) => t.resource === 'configmaps')!;
    store.create(store.servedTypes().find((t) => t.resource === 'namespaces')!, { metadata: { name: 'default' } });
    const stored = store.create(configMaps, {
      metadata: { name: 'caf\u00e9', namespace: 'default', labels: { team: '\u00e9quipe \ud83d\ude80' }, annotations: { note: '"quoted" {braces}' } },
      data: { key: 'value \ud83d\ude80' },
    });
    assert.ok(stored.json.startsWith('{"apiVersion":"v1","kind":"ConfigMap",'), stored.json.slice(0, 60));
    const object = JSON.parse(stored.json);
    const partial = JSON.parse(stored.metadataJson);
    assert.equal(partial.kind, 'PartialObjectMetadata');
    assert.equal(partial.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(partial.metadata, object.metadata);
    assert.equal(partial.metadata.labels.team, '\u00e9quipe \ud83d\ude80');
    assert.deepEqual(object.data, { key: 'value \ud83d\ude80' });
    const empty = store.create(configMaps, { metadata: { name: 'bare', namespace: 'default' } });
    assert.deepEqual(Object.keys(JSON.parse(empty.json)), ['apiVersion', 'kind', 'metadata'], 'an object with nothing beyond its metadata is still whole JSON');
  });
});
