import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DiscoveredFilter } from '../../src/ui/discovery/discoveredFilter';
import { DiscoveredNode, DiscoveredTreeProvider } from '../../src/ui/discovery/discoveredTreeProvider';
import { MemoryMemento } from './memoryMemento';
import { forgetDemoCluster, syncedDemoCluster } from './demoCluster';
import { SimFixture, eventually } from '../support/simHarness';
import { MesheryExtensionApi } from '../../src/ui/api';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Discovered tree over the running extension's discovery, with a filter of its own, noting every change it sends to VS Code. */
function discoveredTree(api: MesheryExtensionApi) {
  const filter = new DiscoveredFilter(new MemoryMemento());
  const provider = new DiscoveredTreeProvider(api.discovery, api.registry, filter, () => vscode.Uri.file('/icon.svg'));
  const sends: { at: number; rows: string[] }[] = [];
  const subscription = provider.onDidChangeTreeData((rows) => sends.push({ at: performance.now(), rows: rows === undefined ? ['all'] : ([] as DiscoveredNode[]).concat(rows).map((r) => r.id) }));
  return {
    provider,
    filter,
    sends,
    dispose: () => {
      subscription.dispose();
      provider.dispose();
      filter.dispose();
    },
  };
}

describe('repainting the Discovered tree as objects change', function () {
  this.timeout(90_000);
  let sim: SimFixture | undefined;
  let demo: Awaited<ReturnType<typeof syncedDemoCluster>>;

  before(async () => {
    demo = await syncedDemoCluster();
    sim = demo.sim;
  });
  after(() => forgetDemoCluster(sim));

  it("repaints a changed kind's row at once, its cluster's row (and all under it) at most once a second, and at once when a kind appears", async () => {
    const { api, clusterId } = demo;
    api.discovery.inventory.flushChanges();
    const store = demo.sim.cluster.store;
    const tree = discoveredTree(api);
    const { provider, sends } = tree;
    try {
      // What VS Code does for a tree expanded down to the kinds.
      const cluster = provider.getChildren().find((c) => c.clusterId === clusterId)!;
      for (const model of provider.getChildren(cluster)) provider.getChildren(model);
      const clusterRow = `cluster:${clusterId}`;
      const kindRow = `type:${clusterId}:/configmaps`;

      // One change every 300 ms (past the tree's own gap): each sent with its kind's row, the
      // cluster's row with the first, then no more than once a second, and once after the last.
      const configMaps = store.findType('', 'v1', 'configmaps')!;
      for (let i = 0; i < 8; i++) {
        store.create(configMaps, { metadata: { name: `repaint-${i}`, namespace: 'default' }, data: {} });
        await sleep(300);
      }
      await sleep(1_300);
      const withKind = sends.filter((s) => s.rows.includes(kindRow));
      const withCluster = sends.filter((s) => s.rows.includes(clusterRow));
      assert.ok(withKind.length >= 6, `the kind's row was sent ${withKind.length} times for 8 changes`);
      assert.ok(withKind.some((s) => !s.rows.includes(clusterRow)), 'every repaint of the kind took its cluster (and all under it) along');
      assert.ok(withCluster.length >= 2 && withCluster.length <= 4, `the cluster's row was sent ${withCluster.length} times in 3.7 s`);
      const gaps = withCluster.slice(1).map((s, i) => s.at - withCluster[i].at);
      assert.ok(Math.min(...gaps) >= 990, `the cluster's row was sent twice ${Math.min(...gaps).toFixed(0)} ms apart`);
      assert.ok(withCluster[withCluster.length - 1].at >= withKind[withKind.length - 1].at, "the cluster's count was left behind its kind's");
      assert.match(provider.getTreeItem(cluster).description as string, new RegExp(`${api.discovery.inventory.count(clusterId).toLocaleString('en-US')} objects`));

      // The first object of a kind that had none changes what is under the cluster: its row goes
      // with the next repaint, however soon after the last.
      const empty = store.servedTypes().find((t) => t.group === '' && t.namespaced && store.count(`/${t.resource}`) === 0 && t.resource !== 'events');
      assert.ok(empty, 'the demo cluster has no empty core kind');
      sends.length = 0;
      store.create(configMaps, { metadata: { name: 'repaint-last', namespace: 'default' }, data: {} });
      await eventually(() => sends.some((s) => s.rows.includes(clusterRow)), 5_000, () => 'no repaint of the cluster');
      const lastClusterAt = sends.find((s) => s.rows.includes(clusterRow))!.at;
      sends.length = 0;
      const createdAt = performance.now();
      store.create(empty, { metadata: { name: 'first-of-its-kind', namespace: 'default' } });
      await eventually(() => sends.some((s) => s.rows.includes(clusterRow)), 5_000, () => 'the cluster was not repainted');
      const sent = sends.find((s) => s.rows.includes(clusterRow))!;
      assert.ok(sent.at - lastClusterAt < 990, `the cluster's row waited for its gap (${(sent.at - lastClusterAt).toFixed(0)} ms after the last, ${(sent.at - createdAt).toFixed(0)} ms after the change)`);
      assert.ok(
        provider
          .getChildren(cluster)
          .flatMap((model) => provider.getChildren(model))
          .some((kind) => kind.kind === 'type' && kind.typeKey === `/${empty.resource}`),
        `${empty.kind} is not shown`,
      );
    } finally {
      tree.dispose();
    }
  });

  it("lets an expanded kind whose page is the same wait for its cluster's row, and repaints it at once when its page changes", async () => {
    const { api, clusterId } = demo;
    api.discovery.inventory.flushChanges();
    const store = demo.sim.cluster.store;
    const configMaps = store.findType('', 'v1', 'configmaps')!;
    const tree = discoveredTree(api);
    const { provider, filter, sends } = tree;
    try {
      // The page shows the config maps named "paged-…": others change the kind's count, not its page.
      store.create(configMaps, { metadata: { name: 'paged-0', namespace: 'default' }, data: {} });
      const discovered = (name: string) => [...(api.discovery.inventory.bucket(clusterId, '/configmaps')?.objects.values() ?? [])].some((o) => o.name === name);
      await eventually(() => discovered('paged-0'), 5_000, () => 'paged-0 was not discovered');
      filter.update({ text: 'paged-' });
      const cluster = provider.getChildren().find((c) => c.clusterId === clusterId)!;
      const kind = provider
        .getChildren(cluster)
        .flatMap((model) => provider.getChildren(model))
        .find((k) => k.kind === 'type' && k.typeKey === '/configmaps')!;
      // VS Code expands the kind: it fetches its page.
      assert.deepEqual(provider.getChildren(kind).map((row) => provider.getTreeItem(row).label), ['paged-0']);
      const clusterRow = `cluster:${clusterId}`;
      await sleep(1_300);
      sends.length = 0;

      // Changes off the page: the kind waits, its cluster's row goes at most once a second.
      for (let i = 0; i < 8; i++) {
        store.create(configMaps, { metadata: { name: `off-page-${i}`, namespace: 'default' }, data: {} });
        await sleep(300);
      }
      await sleep(1_300);
      const withKind = sends.filter((s) => s.rows.includes(kind.id));
      const withCluster = sends.filter((s) => s.rows.includes(clusterRow));
      assert.equal(withKind.length, 0, `the expanded kind was repainted on its own ${withKind.length} times for changes off its page`);
      assert.ok(withCluster.length >= 2 && withCluster.length <= 4, `the cluster's row was sent ${withCluster.length} times in 3.7 s`);
      const gaps = withCluster.slice(1).map((s, i) => s.at - withCluster[i].at);
      assert.ok(Math.min(...gaps) >= 990, `the cluster's row was sent twice ${Math.min(...gaps).toFixed(0)} ms apart`);
      const total = api.discovery.inventory.bucket(clusterId, '/configmaps')!.objects.size;
      assert.match(provider.getTreeItem(kind).description as string, new RegExp(`^1 of ${total.toLocaleString('en-US')} ·`));

      // A change on the page goes with the next repaint, whatever the cluster's row waits for.
      sends.length = 0;
      store.create(configMaps, { metadata: { name: 'paged-1', namespace: 'default' }, data: {} });
      await eventually(() => sends.some((s) => s.rows.includes(kind.id)), 2_000, () => 'the kind was not repainted when its page changed');
      assert.deepEqual(provider.getChildren(kind).map((row) => provider.getTreeItem(row).label), ['paged-0', 'paged-1']);

      // Collapsed, the kind's row is cheap to repaint again: it goes with every change.
      provider.collapsed(kind);
      await sleep(1_300);
      sends.length = 0;
      store.create(configMaps, { metadata: { name: 'off-page-last', namespace: 'default' }, data: {} });
      await eventually(() => sends.some((s) => s.rows.includes(kind.id)), 2_000, () => 'the collapsed kind was not repainted');
    } finally {
      filter.update({ text: undefined });
      tree.dispose();
    }
  });

  it('while a filter is typed, holds the rows the cluster changes and sends the filter answer at once, with them', async () => {
    const { api, clusterId } = demo;
    api.discovery.inventory.flushChanges();
    const store = demo.sim.cluster.store;
    const tree = discoveredTree(api);
    const { provider, filter, sends } = tree;
    try {
      const cluster = provider.getChildren().find((c) => c.clusterId === clusterId)!;
      for (const model of provider.getChildren(cluster)) provider.getChildren(model);
      const kindRow = `type:${clusterId}:/configmaps`;
      const configMaps = store.findType('', 'v1', 'configmaps')!;
      store.create(configMaps, { metadata: { name: 'held-0', namespace: 'default' }, data: {} });
      await eventually(() => sends.some((s) => s.rows.includes(kindRow)), 5_000, () => 'the kind was not repainted');
      await sleep(1_100);

      provider.holdClusterChanges(3_000);
      sends.length = 0;
      store.create(configMaps, { metadata: { name: 'held-1', namespace: 'default' }, data: {} });
      await sleep(600);
      assert.equal(sends.length, 0, `sent while the filter was typed: ${JSON.stringify(sends)}`);
      const typedAt = performance.now();
      filter.update({ text: 'held' });
      await eventually(() => sends.length > 0, 2_000, () => 'the filter was not answered');
      assert.ok(sends[0].at - typedAt < 1_000, `the filter answer was sent ${(sends[0].at - typedAt).toFixed(0)} ms after it was typed`);
      assert.ok(sends[0].rows.includes(`cluster:${clusterId}`) && sends[0].rows.includes(kindRow), `sent ${sends[0].rows.join(', ')}`);

      // Once the input closes, a change goes as before.
      provider.holdClusterChanges(0);
      await sleep(300);
      sends.length = 0;
      store.create(configMaps, { metadata: { name: 'held-2', namespace: 'default' }, data: {} });
      await eventually(() => sends.some((s) => s.rows.includes(kindRow)), 2_000, () => 'the kind was not repainted after the filter input closed');
    } finally {
      tree.dispose();
    }
  });

  it('forgets the rows of objects that left a kind\'s page: a cluster that keeps making objects does not grow what the tree keeps', async () => {
    const { api, clusterId } = demo;
    const store = demo.sim.cluster.store;
    const tree = discoveredTree(api);
    const { provider } = tree;
    try {
      const cluster = provider.getChildren().find((c) => c.clusterId === clusterId)!;
      const kind = provider
        .getChildren(cluster)
        .flatMap((model) => provider.getChildren(model))
        .find((k) => k.kind === 'type' && k.typeKey === '/configmaps')!;
      const configMapCount = () => api.discovery.inventory.bucket(clusterId, '/configmaps')?.objects.size ?? 0;
      // VS Code fetches a page again once the inventory has told of the change (it coalesces them).
      const page = () => {
        api.discovery.inventory.flushChanges();
        return provider.getChildren(kind).map((row) => row.id);
      };
      page();
      const before = provider.keptRowCount;
      const startCount = configMapCount();

      // Three rounds of 150 objects that sort first (so they fill the page), then go.
      const namespace = 'aaa-first';
      if (!store.get('/namespaces', '', namespace)) store.create(store.findType('', 'v1', 'namespaces')!, { metadata: { name: namespace } });
      const configMaps = store.findType('', 'v1', 'configmaps')!;
      for (let round = 0; round < 3; round++) {
        const names = Array.from({ length: 150 }, (_, i) => `aaa-round-${round}-${String(i).padStart(3, '0')}`);
        for (const name of names) store.create(configMaps, { metadata: { name, namespace }, data: {} });
        await eventually(() => configMapCount() === startCount + 150, 10_000, () => `${configMapCount()} config maps, not ${startCount + 150}`);
        assert.ok(page().filter((id) => id.startsWith('object:')).length >= 150, 'the new objects are not on the page');
        for (const name of names) store.delete(configMaps, namespace, name);
        await eventually(() => configMapCount() === startCount, 10_000, () => `${configMapCount()} config maps, not ${startCount}`);
        page();
      }
      assert.ok(provider.keptRowCount <= before + 1, `the tree keeps ${provider.keptRowCount} rows, ${before} before 450 objects came and went`);
    } finally {
      tree.dispose();
    }
  });

  it('forgets every row of a cluster that leaves the kubeconfig', async () => {
    const { api, clusterId } = demo;
    const tree = discoveredTree(api);
    const { provider } = tree;
    try {
      const cluster = provider.getChildren().find((c) => c.clusterId === clusterId)!;
      for (const kind of provider.getChildren(cluster).flatMap((model) => provider.getChildren(model))) provider.getChildren(kind);
      assert.ok(provider.keptRowCount > 20, `only ${provider.keptRowCount} rows kept for the expanded cluster`);

      // Another cluster takes its place in the kubeconfig.
      const previous = demo.sim;
      demo = await syncedDemoCluster();
      sim = demo.sim;
      await previous.stop();
      await eventually(() => !api.discovery.inventory.clusterIds().includes(clusterId), 10_000, () => 'the first cluster is still in the inventory');
      await sleep(100);
      assert.equal(provider.keptRowCount, 0, 'rows of the cluster that left are kept');
      assert.ok(provider.getChildren().some((c) => c.clusterId === demo.clusterId));
    } finally {
      tree.dispose();
    }
  });
});
