import * as assert from 'node:assert/strict';
import { objectMatcher } from '../../../src/core/inventory/objectFilter';
import { presentableObject } from '../../../src/core/kube/presentableObject';
import { ObjectSummary, summarize } from '../../../src/core/kube/objectSummary';

const o = (name: string, namespace: string, labels: Record<string, string> = {}): ObjectSummary => ({
  uid: name,
  name,
  namespace,
  resourceVersion: '1',
  createdAt: undefined,
  labels,
  annotations: {},
  greenfield: false,
});

describe('object summaries, filters and the YAML view', () => {
  it('summaries drop Secret data, managedFields and the last-applied copy, and keep fingerprinting facts', () => {
    const secret = summarize({
      kind: 'Secret',
      metadata: { uid: 'u1', name: 's', namespace: 'n', managedFields: [{ manager: 'kubectl' }], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{...}', keep: 'me' } },
      data: { password: 'c2VjcmV0' },
    });
    assert.deepEqual(Object.keys(secret!).sort(), ['annotations', 'createdAt', 'greenfield', 'labels', 'name', 'namespace', 'resourceVersion', 'uid']);
    assert.deepEqual(secret!.annotations, { keep: 'me' });
    const service = summarize({
      kind: 'Service',
      metadata: { uid: 'u2', name: 'web', namespace: 'n', labels: { 'app.kubernetes.io/managed-by': 'meshery-vscode' } },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    assert.deepEqual(service!.selector, { app: 'web' });
    assert.deepEqual(service!.ports, [80]);
    assert.equal(service!.greenfield, true);
    const deployment = summarize({ kind: 'Deployment', metadata: { uid: 'u3', name: 'd' }, spec: { template: { spec: { containers: [{ image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }] } } } });
    assert.deepEqual(deployment!.images, ['nginx:1.27']);
  });

  it('the YAML view never shows Secret values, their last-applied copy, or managedFields', () => {
    const lastApplied = '{"data":{"password":"c2VjcmV0"},"kind":"Secret"}';
    const annotations = { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied, 'kubernetes.io/service-account.name': 'builder', 'vault.example/secret': 'c2VjcmV0' };
    const full = presentableObject({ kind: 'Secret', type: 'Opaque', metadata: { name: 's', managedFields: [{}], annotations }, data: { password: 'c2VjcmV0' }, stringData: { token: 'plain' } });
    assert.deepEqual(full, { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 's', annotations: { 'kubernetes.io/service-account.name': 'builder' } } });
    // The metadata form the view asks for does not say it is a Secret: the type does.
    const metadataForm = presentableObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 's', annotations } }, true);
    assert.equal(JSON.stringify(metadataForm).includes('c2VjcmV0'), false);
    assert.equal('managedFields' in (presentableObject({ kind: 'Pod', metadata: { name: 'p', managedFields: [{}] } }).metadata as object), false);
  });

  it('the inventory keeps no Secret annotation but the service-account ones', () => {
    const item = { metadata: { uid: 'u9', name: 's', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"k":"dg=="}}', 'kubernetes.io/service-account.uid': 'sa-1', other: 'x' } } };
    assert.deepEqual(summarize(structuredClone(item), true)!.annotations, { 'kubernetes.io/service-account.uid': 'sa-1' });
    assert.deepEqual(summarize(structuredClone(item))!.annotations, { 'kubernetes.io/service-account.uid': 'sa-1', other: 'x' }, 'other kinds drop only the last-applied copy');
  });

  it('filters by name, namespace, label and namespace scope', () => {
    const objects = [o('frontend', 'shop', { tier: 'web' }), o('cart', 'shop', { Team: 'Checkout' }), o('grafana', 'monitoring'), o('node-1', '')];
    const names = (f: Parameters<typeof objectMatcher>[0]) => objects.filter(objectMatcher(f) ?? (() => true)).map((x) => x.name);
    assert.equal(objectMatcher({}), undefined);
    assert.deepEqual(names({ text: 'GRAF' }), ['grafana']);
    assert.deepEqual(names({ text: 'tier=web' }), ['frontend']);
    assert.deepEqual(names({ text: 'r=w' }), ['frontend'], 'text across the "=" of key=value');
    assert.deepEqual(names({ text: 'team=checkout' }), ['cart'], 'labels of either case');
    assert.deepEqual(names({ text: 'CHECK' }), ['cart'], 'a label value alone');
    assert.deepEqual(names({ text: 'team' }), ['cart'], 'a label key alone');
    assert.deepEqual(names({ text: 'web=' }), [], 'nothing that is not in name, namespace or key=value');
    assert.deepEqual(names({ text: '=web' }), ['frontend'], 'a value from its start');
    assert.deepEqual(names({ text: 'tier=' }), ['frontend'], 'a key to its end');
    assert.deepEqual(names({ text: 'r=we' }), ['frontend']);
    assert.deepEqual(names({ text: 'ti=web' }), [], 'the key must end where "=" is');
    assert.deepEqual(names({ text: 'tier=eb' }), [], 'the value must start where "=" is');
    assert.deepEqual(names({ text: 'tier=web=x' }), [], 'no label holds two "="');
    assert.deepEqual(names({ text: 'shop' }), ['frontend', 'cart']);
    assert.deepEqual(names({ text: 'node.1' }), [], 'characters of regular expressions are plain text');
    assert.deepEqual(names({ text: 'f.*d' }), []);
    assert.deepEqual(names({ text: '[a-z]' }), []);
    assert.deepEqual(names({ text: ' Node-1 ' }), ['node-1'], 'spaces around the text are not searched for');
    assert.deepEqual(names({ namespaces: ['monitoring'] }), ['grafana', 'node-1'], 'cluster-scoped objects stay');
    assert.deepEqual(names({ namespaces: ['shop'], text: 'cart' }), ['cart']);
  });
});
