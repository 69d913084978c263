import * as assert from 'node:assert/strict';
import { MemberShape } from '../../../src/core/kube/listBody';
import { summarizedMembers } from '../../../src/core/kube/objectSummary';
import { parseWatchEvent } from '../../../src/core/kube/watchEvent';
import { seededRandom } from '../../../simcluster/random';

const line = (value: unknown) => Buffer.from(JSON.stringify(value));

const managedFields = [{ manager: 'kubelet "x" {', operation: 'Update', fieldsV1: { 'f:status': { 'k:{"type":"Ready"}': {} } } }];
const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-0', namespace: 'shop', uid: 'u-1', resourceVersion: '77', labels: { app: 'web' }, managedFields },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: 'b' }] }], volumes: [{ name: 'v' }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
};

describe('watch events parsed as list items are', () => {
  it("parses an event's object without managedFields and without what the shape leaves out", () => {
    const keep: MemberShape = summarizedMembers('Pod');
    const event = parseWatchEvent(line({ type: 'MODIFIED', object: pod }), keep);
    assert.equal(event.type, 'MODIFIED');
    assert.deepEqual(event.object, {
      metadata: { name: 'web-0', namespace: 'shop', uid: 'u-1', resourceVersion: '77', labels: { app: 'web' } },
      spec: { containers: [{ image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
    });
    // Without a shape: everything but managedFields.
    const { managedFields: _left, ...metadata } = pod.metadata;
    assert.deepEqual(parseWatchEvent(line({ type: 'ADDED', object: pod })).object, { ...pod, metadata });
  });

  it("never parses a Secret's data", () => {
    const secret = { kind: 'Secret', metadata: { name: 's', uid: 'u-2', resourceVersion: '3' }, data: { password: 'c2VjcmV0' }, stringData: { token: 'plain' } };
    const event = parseWatchEvent(line({ type: 'ADDED', object: secret }), summarizedMembers('Secret'));
    assert.deepEqual(event.object, { metadata: secret.metadata });
  });

  it('keeps an ERROR Status whole, and an object that comes before its type', () => {
    const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'too old resource version: 1 (5)', reason: 'Expired', code: 410 };
    assert.deepEqual(parseWatchEvent(line({ type: 'ERROR', object: status }), summarizedMembers('Pod')), { type: 'ERROR', object: status });
    const backwards = parseWatchEvent(line({ object: pod, type: 'DELETED' }), summarizedMembers('Pod'));
    assert.deepEqual(backwards, { object: pod, type: 'DELETED' });
  });

  it('reads spacing, a carriage return and bookmarks; what is not JSON throws as JSON.parse does', () => {
    const bookmark = { type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '90', annotations: { 'k8s.io/initial-events-end': 'true' } } } };
    assert.deepEqual(parseWatchEvent(Buffer.from(`  ${JSON.stringify(bookmark, null, 2)}\r`), summarizedMembers('Pod')), {
      type: 'BOOKMARK',
      object: { metadata: bookmark.object.metadata },
    });
    for (const bad of ['{"type":"ADDED","object":{"metadata":', 'not json', '{"type":"ADDED","object":{}} trailing', '[1,2]x']) {
      assert.throws(() => parseWatchEvent(Buffer.from(bad), summarizedMembers('Pod')), SyntaxError, bad);
    }
    assert.deepEqual(parseWatchEvent(Buffer.from('[1,2]')), [1, 2]);
  });

  it('agrees with JSON.parse on 2,000 random objects whose strings mix quotes, backslashes, brackets and non-ASCII', () => {
    const random = seededRandom(5);
    const pieces = ['a', '"', '\\', '{', '}', '[', ']', ',', ':', 'é', '名', '🚀', '\n', '\u0000'];
    const text = (length: number) => Array.from({ length }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    for (let run = 0; run < 2000; run++) {
      const metadata = { name: text(8), uid: text(4), managedFields: [{ manager: text(10) }], labels: { [text(3)]: text(20) } };
      const object = { metadata, [text(4)]: text(30), spec: { containers: [{ image: text(12), [text(3)]: text(9) }] } };
      const parsed = parseWatchEvent(line({ type: 'MODIFIED', object }));
      const { managedFields: _left, ...kept } = metadata;
      assert.deepEqual(parsed, { type: 'MODIFIED', object: { ...object, metadata: kept } });
    }
  });
});
