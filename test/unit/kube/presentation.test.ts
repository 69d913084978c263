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

  it('the YAML view never shows Secret values or managedFields', () => {
    const shown = presentableObject({ kind: 'Secret', metadata: { name: 's', managedFields: [{}] }, data: { password: 'c2VjcmV0' }, stringData: { token: 'plain' } });
    assert.deepEqual(shown.data, { password: '<redacted by Meshery>' });
    assert.deepEqual(shown.stringData, { token: '<redacted by Meshery>' });
    assert.equal('managedFields' in (shown.metadata as object), false);
  });

  it('filters by name, namespace, label and namespace scope', () => {
    const objects = [o('frontend', 'shop', { tier: 'web' }), o('cart', 'shop'), o('grafana', 'monitoring'), o('node-1', '')];
    const names = (f: Parameters<typeof objectMatcher>[0]) => objects.filter(objectMatcher(f) ?? (() => true)).map((x) => x.name);
    assert.equal(objectMatcher({}), undefined);
    assert.deepEqual(names({ text: 'GRAF' }), ['grafana']);
    assert.deepEqual(names({ text: 'tier=web' }), ['frontend']);
    assert.deepEqual(names({ text: 'shop' }), ['frontend', 'cart']);
    assert.deepEqual(names({ namespaces: ['monitoring'] }), ['grafana', 'node-1'], 'cluster-scoped objects stay');
    assert.deepEqual(names({ namespaces: ['shop'], text: 'cart' }), ['cart']);
  });
});
