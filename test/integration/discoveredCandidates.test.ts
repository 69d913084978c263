import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DiscoveredFilter } from '../../src/ui/discovery/discoveredFilter';
import { DiscoveredNode, DiscoveredTreeProvider } from '../../src/ui/discovery/discoveredTreeProvider';
import { MemoryMemento } from './memoryMemento';
import { forgetDemoCluster, syncedDemoCluster } from './demoCluster';
import { SimFixture, eventually } from '../support/simHarness';

describe('connection candidates in the Discovered tree', function () {
  this.timeout(90_000);
  let sim: SimFixture | undefined;

  after(() => forgetDemoCluster(sim));

  it('marks a Service as a candidate once the pods behind it show it is one, and never rows of other kinds', async () => {
    const demo = await syncedDemoCluster();
    const { api, clusterId } = demo;
    sim = demo.sim;
    const store = sim.cluster.store;
    const inventoryHas = (typeKey: string, name: string) => [...(api.discovery.inventory.bucket(clusterId, typeKey)?.objects.values() ?? [])].find((o) => o.name === name);
    const row = (typeKey: string, name: string): DiscoveredNode => {
      const uid = inventoryHas(typeKey, name)!.uid;
      return { kind: 'object', id: `object:${clusterId}:${uid}`, clusterId, typeKey, uid };
    };
    store.create(store.findType('', 'v1', 'services')!, { metadata: { name: 'metrics-store', namespace: 'default' }, spec: { selector: { run: 'metrics-store' }, ports: [{ port: 8080 }] } });
    store.create(store.findType('', 'v1', 'configmaps')!, { metadata: { name: 'prometheus', namespace: 'default', labels: { app: 'prometheus' } }, data: {} });
    await eventually(() => Boolean(inventoryHas('/services', 'metrics-store') && inventoryHas('/configmaps', 'prometheus')), 10_000, () => 'the new objects did not arrive');
    api.discovery.inventory.flushChanges();
    // A tree made now sees as its first change the one that brings the pod (it once kept its
    // candidates through a first change, which it takes for the clusters changing).
    const filter = new DiscoveredFilter(new MemoryMemento());
    const provider = new DiscoveredTreeProvider(api.discovery, api.registry, filter, () => vscode.Uri.file('/icon.svg'));
    try {
      assert.equal(provider.getTreeItem(row('/services', 'metrics-store')).contextValue, 'meshery.object', 'nothing says it is a Prometheus yet');
      assert.equal(provider.getTreeItem(row('/configmaps', 'prometheus')).contextValue, 'meshery.object', 'a ConfigMap is never a candidate, whatever its labels');

      // The pod behind it runs Prometheus's image: a pod change makes the Service a candidate.
      store.create(store.findType('', 'v1', 'pods')!, {
        metadata: { name: 'metrics-store-0', namespace: 'default', labels: { run: 'metrics-store' } },
        spec: { containers: [{ name: 'prometheus', image: 'quay.io/prometheus/prometheus:v2.54.1' }] },
      });
      await eventually(() => provider.getTreeItem(row('/services', 'metrics-store')).contextValue === 'meshery.object.candidate', 10_000, () => 'the Service did not become a candidate');
      const item = provider.getTreeItem(row('/services', 'metrics-store'));
      assert.equal((item.iconPath as vscode.ThemeIcon).id, 'plug');
    } finally {
      provider.dispose();
      filter.dispose();
    }
  });
});
