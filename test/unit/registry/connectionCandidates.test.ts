import * as assert from 'node:assert/strict';
import { CandidateFinder, decidesCandidates, detectService, findCandidates } from '../../../src/core/registry/connectionCandidates';
import { ResourceType } from '../../../src/core/kube/apiDiscovery';
import { Inventory } from '../../../src/core/inventory/inventory';
import { ObjectSummary } from '../../../src/core/kube/objectSummary';
import { turnCounter } from '../../support/turnCounter';

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

  it('finds what a pass over every pod finds while pods come, go and change, reading only those that may give a signal', () => {
    const type = (resource: string): ResourceType => ({ group: '', version: 'v1', resource, kind: resource, namespaced: true });
    const inventory = new Inventory(0);
    const services = Array.from({ length: 8 }, (_, i) => object(`svc-${i}`, { selector: { run: `r${i}` }, ports: [8080] }));
    inventory.replaceAll('c1', type('services'), services);
    const images = ['nginx:1.27', 'quay.io/prometheus/prometheus:v2.54.1', 'docker.io/grafana/grafana:11.2.0'];
    let seed = 3;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pod = (i: number, version: number) =>
      object(`pod-${i}`, { resourceVersion: String(version), labels: { run: `r${Math.floor(next() * 8)}`, ...(next() < 0.1 ? { app: 'grafana' } : {}) }, images: [images[Math.floor(next() * images.length)]] });
    // A few pods per Service, so that one coming or going changes what is found.
    inventory.replaceAll('c1', type('pods'), Array.from({ length: 30 }, (_, i) => pod(i, 1)));
    const finder = new CandidateFinder(inventory);
    const read = (found: ReturnType<typeof findCandidates>) => found.map((c) => `${c.kind} ${c.name}: ${c.signals.map((s) => s.detail).join(', ')}`).sort();
    try {
      const seen = new Set<string>();
      for (let round = 0; round < 100; round++) {
        const found = read(findCandidates(inventory, 'c1'));
        seen.add(found.join('|'));
        assert.deepEqual(read(finder.find('c1')), found, `round ${round}`);
        for (let n = 0; n < 4; n++) {
          const i = Math.floor(next() * 40);
          if (next() < 0.3) inventory.remove('c1', type('pods'), `uid-pod-${i}`);
          else inventory.upsert('c1', type('pods'), pod(i, round + 2));
        }
        if (round === 50) inventory.removeType('c1', type('pods'));
      }
      assert.ok(seen.size > 20, `the candidates changed only ${seen.size} times`);
      // Only the pods that may give a signal are read: a bucket whose values() fails is not touched.
      const bucket = inventory.bucket('c1', '/pods')!;
      bucket.objects.values = () => assert.fail('every pod read');
      finder.find('c1');
    } finally {
      finder.dispose();
    }
  });

  it('reads a large cluster a few hundred objects a turn, and finds what a pass at once finds', async () => {
    const type = (resource: string): ResourceType => ({ group: '', version: 'v1', resource, kind: resource, namespaced: true });
    const inventory = new Inventory(0);
    const services = Array.from({ length: 3_000 }, (_, i) => object(`svc-${i}`, { selector: { run: `r${i}` }, ports: [i % 7 === 0 ? 9090 : 8080] }));
    services.push(object('metrics-store', { selector: { run: 'prom' }, ports: [9090] }));
    inventory.replaceAll('c1', type('services'), services);
    const pods = Array.from({ length: 20_000 }, (_, i) => object(`pod-${i}`, { labels: { run: `r${i % 3_000}` }, images: ['nginx:1.27'] }));
    pods.push(object('prom-0', { labels: { run: 'prom' }, images: ['quay.io/prometheus/prometheus:v2.54.1'] }));
    inventory.replaceAll('c1', type('pods'), pods);
    const finder = new CandidateFinder(inventory);
    const turns = turnCounter();
    try {
      // The pods are tested the first time, a slice a turn; so are the Services.
      const before = turns.now();
      const found = await finder.findInTurns('c1', { server: 'https://k8s', name: 'prod' });
      assert.ok(turns.now() - before >= 40, `read in ${turns.now() - before} turns`);
      assert.deepEqual(found, findCandidates(inventory, 'c1', { server: 'https://k8s', name: 'prod' }));
      assert.deepEqual(found.map((c) => `${c.kind} ${c.name}`), ['kubernetes prod', 'prometheus metrics-store']);
      // Pods changed meanwhile are tested at the next find, in turns as well.
      for (let i = 0; i < 5_000; i++) inventory.upsert('c1', type('pods'), object(`pod-${i}`, { resourceVersion: '2', labels: { run: `r${i % 3_000}` }, images: ['nginx:1.28'] }));
      inventory.remove('c1', type('pods'), 'uid-prom-0');
      const again = await finder.findInTurns('c1', { server: 'https://k8s', name: 'prod' });
      assert.deepEqual(again, findCandidates(inventory, 'c1', { server: 'https://k8s', name: 'prod' }));
      assert.deepEqual(again.map((c) => `${c.kind} ${c.name}`), ['kubernetes prod'], 'the Prometheus went with its pod (the port alone does not make one)');
    } finally {
      turns.stop();
      finder.dispose();
    }
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
