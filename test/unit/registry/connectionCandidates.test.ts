import * as assert from 'node:assert/strict';
import { decidesCandidates, detectService, findCandidates } from '../../../src/core/registry/connectionCandidates';
import { Inventory } from '../../../src/core/inventory/inventory';
import { ObjectSummary } from '../../../src/core/kube/objectSummary';

function object(name: string, extra: Partial<ObjectSummary> = {}): ObjectSummary {
  return { uid: `uid-${name}`, name, namespace: 'ops', resourceVersion: '1', createdAt: undefined, labels: {}, annotations: {}, greenfield: false, ...extra };
}

const noCustomResources = () => [];

describe('tier 2 fingerprinting: connection candidates', () => {
  it('reads only the kinds that decide candidates, so changes of the others need not find them again', () => {
    const read = new Set<string>();
    const service = object('web', { selector: { app: 'web' }, ports: [80] });
    const inventory = {
      bucket: (_clusterId: string, typeKey: string) => {
        read.add(typeKey);
        return typeKey === '/services' ? { objects: new Map([[service.uid, service]]) } : undefined;
      },
    } as unknown as Inventory;
    findCandidates(inventory, 'c1');
    assert.ok(read.has('/services') && read.has('/pods') && read.has('monitoring.coreos.com/prometheuses') && read.has('grafana.integreatly.org/grafanas'), [...read].join(', '));
    for (const typeKey of read) assert.equal(decidesCandidates([typeKey]), true, typeKey);
    assert.equal(decidesCandidates(['/configmaps', 'apps/deployments']), false);
    assert.equal(decidesCandidates(['/configmaps', '/pods']), true);
  });

  it('finds Prometheus by its labels alone', () => {
    const found = detectService(object('metrics-store', { labels: { 'app.kubernetes.io/name': 'prometheus' }, ports: [8080] }), [], noCustomResources);
    assert.equal(found?.kind, 'prometheus');
    assert.deepEqual(found?.signals.map((s) => s.type), ['label']);
  });

  it('finds Prometheus by the image of the pods behind it alone', () => {
    const service = object('metrics-store', { selector: { run: 'm' }, ports: [8080] });
    const pod = object('metrics-store-0', { labels: { run: 'm' }, images: ['quay.io/prometheus/prometheus:v2.54.1'] });
    const found = detectService(service, [pod], noCustomResources);
    assert.equal(found?.kind, 'prometheus');
    assert.deepEqual(found?.signals.map((s) => s.detail), ['container image quay.io/prometheus/prometheus:v2.54.1']);
  });

  it('finds Prometheus behind a Prometheus Operator custom resource', () => {
    const found = detectService(object('prometheus-k8s', { ports: [9090] }), [], (typeKey, ns) =>
      typeKey === 'monitoring.coreos.com/prometheuses' && ns === 'ops' ? ['k8s'] : [],
    );
    assert.equal(found?.kind, 'prometheus');
    assert.ok(found?.signals.some((s) => s.type === 'custom-resource'));
    assert.equal(found?.port, 9090);
  });

  it('finds Grafana by labels alone and by image alone', () => {
    assert.equal(detectService(object('dashboards', { labels: { app: 'grafana' } }), [], noCustomResources)?.kind, 'grafana');
    const service = object('dashboards', { selector: { run: 'd' } });
    const pod = object('dashboards-abc', { labels: { run: 'd' }, images: ['docker.io/grafana/grafana:11.2.0'] });
    assert.equal(detectService(service, [pod], noCustomResources)?.kind, 'grafana');
  });

  it('accepts the well-known port together with the name', () => {
    assert.equal(detectService(object('prometheus', { ports: [9090] }), [], noCustomResources)?.kind, 'prometheus');
    assert.equal(detectService(object('grafana-ui', { ports: [3000] }), [], noCustomResources)?.kind, 'grafana');
  });

  it('finds nothing for a look-alike name with nothing else', () => {
    assert.equal(detectService(object('prometheus-notes', { ports: [8080] }), [], noCustomResources), undefined);
    assert.equal(detectService(object('grafana-docs'), [], noCustomResources), undefined);
    // An operator is not the thing it operates.
    assert.equal(detectService(object('prometheus-operator', { labels: { 'app.kubernetes.io/name': 'prometheus-operator' }, ports: [8080] }), [], noCustomResources), undefined);
    // A port alone is not enough either.
    assert.equal(detectService(object('web', { ports: [3000] }), [], noCustomResources), undefined);
  });
});
