import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { churn } from '../../../simcluster/churn';
import { seededRandom } from '../../../simcluster/random';
import { silentLogger } from '../../../src/core/common/logger';
import { NewEvent } from '../../../src/core/events/types';
import { Inventory } from '../../../src/core/inventory/inventory';
import { InventoryPersister } from '../../../src/core/inventory/inventoryPersister';
import { InventorySnapshots } from '../../../src/core/inventory/inventorySnapshots';
import { ClusterSyncOptions, defaultClusterSyncOptions } from '../../../src/core/kube/clusterSync';
import { Discovery } from '../../../src/core/kube/discovery';
import { ObjectSummary, summarize } from '../../../src/core/kube/objectSummary';
import { SimFixture, adminUser, diff, eventually, inventoryState, serverState, startSim } from '../../support/simHarness';

/** Short timings so faults are noticed and healed within a test. */
function fastOptions(seed: number): ClusterSyncOptions {
  return {
    ...defaultClusterSyncOptions,
    retryMaxMs: 400,
    rediscoverDebounceMs: 100,
    resourceSync: { pageSize: 50, sliceBytes: 4096, watchTimeoutSeconds: 3, idleTimeoutMs: 2_000, backoffInitialMs: 50, backoffMaxMs: 400, random: seededRandom(seed) },
  };
}

describe('discovery against the simulated cluster', function () {
  this.timeout(60_000);
  let sim: SimFixture | undefined;
  let discovery: Discovery | undefined;
  let inventory: Inventory;
  let events: NewEvent[];

  beforeEach(() => {
    inventory = new Inventory(10);
    events = [];
  });
  afterEach(async () => {
    discovery?.dispose();
    discovery = undefined;
    inventory.dispose();
    await sim?.stop();
    sim = undefined;
  });

  function startDiscovery(kubeconfig: string, seed = 1, contexts?: string[]): Discovery {
    discovery = new Discovery(inventory, (e) => events.push(e), fastOptions(seed));
    discovery.start({ kubeconfigFiles: [kubeconfig], contexts });
    return discovery;
  }

  it('a full sync equals the server objects exactly (every type, every object, its version)', async () => {
    sim = await startSim({ scenario: 'demo', generate: { objects: 3000, seed: 7 } });
    const d = startDiscovery(sim.kubeconfig);
    await d.whenInitiallySynced();
    const [cluster] = d.clusters();
    assert.equal(cluster.status().clusterId, sim.cluster.kubeSystemUid, 'the cluster is identified by the kube-system UID');
    assert.equal(cluster.status().idSource, 'kube-system-uid');
    const expected = serverState(sim.cluster);
    assert.ok(expected.length > 3000);
    assert.deepEqual(inventoryState(inventory, sim.cluster.kubeSystemUid), expected);
    assert.ok(cluster.status().types.every((t) => t.state.state === 'synced'));
    assert.ok(cluster.status().types.length >= 60, `${cluster.status().types.length} types`);
    assert.equal(events.filter((e) => e.action === 'sync' && e.severity === 'success').length, 1);

    // Each summary is what the whole object, as a GET returns it, summarizes to: a list's items
    // (which a real server sends without kind, and which are parsed without the members the
    // summary does not read) make the same summaries as the objects themselves.
    let services = 0;
    for (const bucket of inventory.buckets(sim.cluster.kubeSystemUid)) {
      const key = `${bucket.type.group}/${bucket.type.resource}`;
      for (const stored of sim.cluster.store.list(key)) {
        const object = JSON.parse(stored.json) as Record<string, unknown>;
        const uid = (object.metadata as { uid: string }).uid;
        assert.deepEqual(bucket.objects.get(uid), summarize(object, key === '/secrets'), `${key} ${stored.namespace}/${stored.name}`);
        if (key === '/services' && bucket.objects.get(uid)?.selector) services++;
      }
    }
    assert.ok(services > 10, `${services} Services with their selector`);
  });

  for (const seed of [11, 12, 13]) {
    it(`converges to the server state again after seeded random faults (seed ${seed})`, async () => {
      sim = await startSim({ generate: { objects: 1500, seed }, historyLimit: 400 });
      const d = startDiscovery(sim.kubeconfig, seed);
      await d.whenInitiallySynced();
      const clusterId = sim.cluster.kubeSystemUid;
      const random = seededRandom(seed);
      const faults = ['churn', 'drop-watches', 'compact', 'restart', 'churn', 'drop-watches', 'churn', 'compact'];
      for (let i = faults.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [faults[i], faults[j]] = [faults[j], faults[i]];
      }
      // Churn keeps running while the other faults hit, as a busy cluster would.
      const background = churn(sim.cluster, { rate: 300, seconds: 2, seed });
      for (const fault of faults) {
        if (fault === 'churn') await churn(sim.cluster, { rate: 400, seconds: 0.3, seed: seed + 1 });
        if (fault === 'drop-watches') sim.cluster.dropWatches();
        if (fault === 'compact') sim.cluster.store.compact();
        if (fault === 'restart') await sim.cluster.restart(150);
        await new Promise((resolve) => setTimeout(resolve, 50 + random() * 150));
      }
      await background;
      await eventually(
        () => inventoryState(inventory, clusterId).join('\n') === serverState(sim!.cluster).join('\n'),
        20_000,
        () => diff(serverState(sim!.cluster), inventoryState(inventory, clusterId)),
      );
    });
  }

  it('a re-list keeps the summaries of unchanged objects, makes new ones for changed objects, and announces only the kinds that changed', async () => {
    sim = await startSim({ scenario: 'demo' });
    await startDiscovery(sim.kubeconfig).whenInitiallySynced();
    discovery!.dispose();
    const clusterId = sim.cluster.kubeSystemUid;
    const pods = inventory.bucket(clusterId, '/pods')!;
    const [unchanged, changed] = [...pods.objects.values()];
    // Changed on the server while nothing watched.
    const podType = sim.cluster.store.servedTypes().find((t) => t.group === '' && t.resource === 'pods')!;
    const onServer = JSON.parse(sim.cluster.store.get('/pods', changed.namespace, changed.name)!.json);
    sim.cluster.store.update(podType, { ...onServer, metadata: { ...onServer.metadata, labels: { ...onServer.metadata.labels, relisted: 'yes' } } });

    // What the re-list hands the inventory (which would keep an unchanged object's old summary
    // anyway): the summaries it made, each a copy for the garbage collector to move and mark.
    const listed = new Map<string, ObjectSummary>();
    const replaceAll = inventory.replaceAll.bind(inventory);
    inventory.replaceAll = (id, type, objects) => {
      if (type.resource === 'pods') for (const o of objects) listed.set(o.uid, o);
      replaceAll(id, type, objects);
    };
    inventory.flushChanges(); // what the first sync changed
    const announced = new Set<string>();
    const listening = inventory.onDidChange((change) => change.types.get(clusterId)?.forEach((typeKey) => announced.add(typeKey)));
    await startDiscovery(sim.kubeconfig).whenInitiallySynced();
    inventory.flushChanges();
    listening.dispose();
    // The tree re-sorts and re-reads the kinds announced: a re-list of a cluster as it was is no work for it.
    assert.deepEqual([...announced], ['/pods']);
    assert.equal(listed.get(unchanged.uid), unchanged, 'the unchanged object keeps its summary, no copy is made');
    assert.notEqual(listed.get(changed.uid), changed);
    assert.equal(pods.objects.get(changed.uid)!.labels.relisted, 'yes', 'the changed object is summarized anew');
    assert.deepEqual(inventoryState(inventory, clusterId), serverState(sim.cluster));
  });

  it('stops at once when disposed: no change reaches the inventory after, and every watch is closed a few turns later', async () => {
    sim = await startSim({ scenario: 'demo' });
    const clusterId = sim.cluster.kubeSystemUid;
    await startDiscovery(sim.kubeconfig).whenInitiallySynced();
    await eventually(() => sim!.cluster.openWatches >= inventory.buckets(clusterId).length, 10_000, () => `${sim!.cluster.openWatches} watches open`);
    inventory.flushChanges();
    const announced: string[] = [];
    const listening = inventory.onDidChange((change) => announced.push(...(change.types.get(clusterId) ?? [])));
    discovery!.dispose();
    // Changed on the server in the same turn, in a kind discovered last (a custom resource): its
    // sync is halted, its watch still open for a few turns.
    const typeKey = 'widgets.acme.example/widgets';
    const widgetType = sim.cluster.store.servedTypes().find((t) => t.group === 'widgets.acme.example')!;
    const widget = [...inventory.bucket(clusterId, typeKey)!.objects.values()][0];
    const onServer = JSON.parse(sim.cluster.store.get(typeKey, widget.namespace, widget.name)!.json);
    sim.cluster.store.update(widgetType, { ...onServer, metadata: { ...onServer.metadata, labels: { ...onServer.metadata.labels, late: 'yes' } } });
    await eventually(() => sim!.cluster.openWatches === 0, 5_000, () => `${sim!.cluster.openWatches} watches still open`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    inventory.flushChanges();
    listening.dispose();
    assert.deepEqual(announced, []);
    assert.equal(inventory.bucket(clusterId, typeKey)!.objects.get(widget.uid)!.labels.late, undefined);
  });

  it('reports a forbidden type once and does not retry it in a loop', async () => {
    sim = await startSim({ scenario: 'demo', users: [adminUser(), { name: 'viewer', token: 'viewer-token', forbidden: [{ group: '', resource: 'secrets' }] }] });
    const d = startDiscovery(sim.kubeconfig, 1, ['sim-viewer']);
    await d.whenInitiallySynced();
    const secrets = d.clusters()[0].status().types.find((t) => t.type.resource === 'secrets' && t.type.group === '');
    assert.equal(secrets?.state.state, 'forbidden');
    const requestsAfterSync = sim.cluster.requestCount;
    sim.cluster.dropWatches();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const forbiddenEvents = events.filter((e) => e.description.includes('forbidden'));
    assert.equal(forbiddenEvents.length, 1, JSON.stringify(forbiddenEvents));
    assert.match(forbiddenEvents[0].description, /Context sim-viewer: listing Secret \(\/secrets\) is forbidden/);
    // Dropped watches come back (about one request per type), but nothing hammers the forbidden type.
    assert.ok(sim.cluster.requestCount - requestsAfterSync < 200, `${sim.cluster.requestCount - requestsAfterSync} requests`);
  });

  it('reports a rejected token (401) once, while it keeps retrying in the background', async () => {
    sim = await startSim({ scenario: 'demo' });
    const broken = path.join(sim.dir, 'wrong-token');
    fs.writeFileSync(broken, fs.readFileSync(sim.kubeconfig, 'utf8').replace(/token: .*/, 'token: not-the-right-token'));
    const d = startDiscovery(broken);
    await d.clusters()[0].whenSettled();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const status = d.clusters()[0].status();
    assert.equal(status.state, 'error');
    const unauthorized = events.filter((e) => e.action === 'authenticate');
    assert.equal(unauthorized.length, 1);
    assert.equal(unauthorized[0].severity, 'error');
    assert.match(unauthorized[0].description, /401 Unauthorized/);
    assert.equal(events.length, 1, 'nothing else was reported');
  });

  it('goes to error when the credentials are refused mid-session, back when they are accepted, and reports each episode', async () => {
    sim = await startSim({ scenario: 'demo' });
    const d = startDiscovery(sim.kubeconfig);
    await d.whenInitiallySynced();
    const cluster = d.clusters()[0];
    const admin = sim.cluster.users[0];
    const revoke = () => {
      sim!.cluster.users[0] = { ...admin, token: 'rotated-elsewhere' };
      sim!.cluster.dropWatches();
    };
    const restore = () => (sim!.cluster.users[0] = admin);
    const episodes = () => events.filter((e) => e.action === 'authenticate');
    for (const episode of [1, 2]) {
      revoke();
      await eventually(() => cluster.status().state === 'error', 10_000, () => `state ${cluster.status().state}`);
      assert.equal(episodes().filter((e) => e.severity === 'error').length, episode, 'each episode is reported once');
      restore();
      await eventually(() => cluster.status().state === 'synced', 10_000, () => `state ${cluster.status().state}: ${cluster.status().reason}`);
      assert.equal(cluster.status().reason, undefined);
      assert.equal(episodes().filter((e) => e.severity === 'success').length, episode, 'the recovery is said');
    }
  });

  it('lists in full once when a continue token expires between pages, instead of paging again and again', async () => {
    sim = await startSim({ generate: { objects: 600, seed: 3 } });
    sim.cluster.compactAfterEachPage = true;
    const d = startDiscovery(sim.kubeconfig);
    await d.whenInitiallySynced();
    const clusterId = d.clusters()[0].id!;
    sim.cluster.compactAfterEachPage = false;
    await eventually(() => diff(serverState(sim!.cluster), inventoryState(inventory, clusterId)).startsWith('0 missing (), 0 extra'), 10_000, () => diff(serverState(sim!.cluster), inventoryState(inventory, clusterId)));
    assert.deepEqual(d.clusters()[0].status().types.filter((t) => t.state.state !== 'synced'), []);
  });

  it('is not thrown off by an API group listed with no versions', async () => {
    sim = await startSim({ scenario: 'demo' });
    sim.cluster.groupsWithoutVersions.add('metrics.half-registered.example.com');
    const d = startDiscovery(sim.kubeconfig);
    await d.whenInitiallySynced();
    const clusterId = d.clusters()[0].id!;
    assert.equal(d.clusters()[0].status().state, 'synced');
    assert.equal(diff(serverState(sim.cluster), inventoryState(inventory, clusterId)).startsWith('0 missing (), 0 extra'), true);
  });

  it('waits as long as Retry-After says when throttled (429), without calling the types failed', async () => {
    sim = await startSim({ scenario: 'demo' });
    sim.cluster.throttle(4, 1);
    const d = startDiscovery(sim.kubeconfig);
    const seen = new Set<string>();
    d.onDidChangeStatus((s) => s.types.forEach((t) => seen.add(t.state.state)));
    await d.whenInitiallySynced();
    assert.equal(seen.has('error'), false, 'a throttled type was shown as failed');
    assert.equal(sim.cluster.retriedAfterMs.size, 4, `${[...sim.cluster.retriedAfterMs.keys()]}`);
    for (const [path, ms] of sim.cluster.retriedAfterMs) assert.ok(ms >= 950, `${path} was asked again after ${ms} ms`);
  });

  it('discovers a CRD created during the run, with its objects, and forgets it when deleted', async () => {
    sim = await startSim({ scenario: 'demo' });
    const d = startDiscovery(sim.kubeconfig);
    await d.whenInitiallySynced();
    const clusterId = sim.cluster.kubeSystemUid;
    const crdType = sim.cluster.store.findType('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
    sim.cluster.store.create(crdType, {
      metadata: { name: 'pipelines.tekton.dev' },
      spec: {
        group: 'tekton.dev',
        scope: 'Namespaced',
        names: { plural: 'pipelines', singular: 'pipeline', kind: 'Pipeline' },
        versions: [{ name: 'v1', served: true, storage: true }],
      },
    });
    const pipelineType = sim.cluster.store.findType('tekton.dev', 'v1', 'pipelines')!;
    sim.cluster.store.create(pipelineType, { metadata: { name: 'build', namespace: 'default' }, spec: { tasks: [] } });
    await eventually(
      () => (inventory.bucket(clusterId, 'tekton.dev/pipelines')?.objects.size ?? 0) === 1,
      10_000,
      () => 'the Pipeline type and its object were not discovered',
    );
    assert.ok(events.some((e) => e.action === 'types' && e.description.includes('Pipeline (tekton.dev/pipelines)')));

    sim.cluster.store.delete(crdType, '', 'pipelines.tekton.dev');
    await eventually(() => inventory.bucket(clusterId, 'tekton.dev/pipelines') === undefined, 10_000, () => 'the Pipeline type is still there');
  });

  it('keeps the types of an API group that cannot be read for a while (unknown is not gone), and reads it again', async () => {
    sim = await startSim({ scenario: 'demo' });
    const d = startDiscovery(sim.kubeconfig);
    await d.whenInitiallySynced();
    const clusterId = sim.cluster.kubeSystemUid;
    const applications = inventory.bucket(clusterId, 'argoproj.io/applications')?.objects.size ?? 0;
    assert.ok(applications > 0);
    // Argo CD's group answers 503 (as an aggregated API that is down would), then a CRD change makes discovery run again.
    sim.cluster.unavailableGroups.add('argoproj.io');
    const crdType = sim.cluster.store.findType('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
    sim.cluster.store.create(crdType, {
      metadata: { name: 'pipelines.tekton.dev' },
      spec: { group: 'tekton.dev', scope: 'Namespaced', names: { plural: 'pipelines', singular: 'pipeline', kind: 'Pipeline' }, versions: [{ name: 'v1', served: true, storage: true }] },
    });
    await eventually(() => d.clusters()[0].status().types.some((t) => t.type.resource === 'pipelines'), 10_000, () => 'discovery did not run again');
    assert.equal(inventory.bucket(clusterId, 'argoproj.io/applications')?.objects.size, applications, "the group's objects are kept");
    assert.equal(events.some((e) => /Application .* is no longer served/.test(e.description)), false);
    // Back: discovery is tried again soon and the group is read as before.
    sim.cluster.unavailableGroups.delete('argoproj.io');
    const appType = sim.cluster.store.findType('argoproj.io', 'v1alpha1', 'applications')!;
    sim.cluster.store.create(appType, { metadata: { name: 'after-the-outage', namespace: 'argocd' }, spec: {} });
    await eventually(() => inventory.bucket(clusterId, 'argoproj.io/applications')?.objects.size === applications + 1, 15_000, () => 'the group was not followed again');
  });

  it('does not re-open watches in a hot loop when something in front of the server ends them at once', async () => {
    sim = await startSim({ scenario: 'demo', bookmarkIntervalMs: 60_000 });
    const d = startDiscovery(sim.kubeconfig);
    await d.whenInitiallySynced();
    sim.cluster.maxWatchMs = 0;
    sim.cluster.dropWatches();
    sim.cluster.watchRequests.clear();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // With the test's back-off (50 ms up to 400 ms), a few re-watches a second per type at most.
    const busiest = Math.max(...sim.cluster.watchRequests.values());
    assert.ok(busiest <= 20, `a type was re-watched ${busiest} times in 2 s`);
    // Streams that last again: the watches go on, and changes arrive.
    sim.cluster.maxWatchMs = undefined;
    const cmType = sim.cluster.store.findType('', 'v1', 'configmaps')!;
    sim.cluster.store.create(cmType, { metadata: { name: 'after-the-proxy', namespace: 'default' }, data: {} });
    await eventually(() => [...(inventory.bucket(sim!.cluster.kubeSystemUid, '/configmaps')?.objects.values() ?? [])].some((c) => c.name === 'after-the-proxy'), 10_000, () => 'the change never arrived');
  });

  it('gives up on a watch whose response never starts (a half-open connection) and opens it again', async () => {
    sim = await startSim({ scenario: 'demo', bookmarkIntervalMs: 60_000 });
    discovery = new Discovery(inventory, (e) => events.push(e), { ...fastOptions(1), resourceSync: { ...fastOptions(1).resourceSync, headersTimeoutMs: 500 } });
    discovery.start({ kubeconfigFiles: [sim.kubeconfig] });
    await discovery.whenInitiallySynced();
    sim.cluster.holdWatchHeaders = true;
    sim.cluster.dropWatches();
    sim.cluster.watchRequests.clear();
    await eventually(() => (sim!.cluster.watchRequests.get('/configmaps') ?? 0) >= 2, 10_000, () => 'the hung watch request was never given up');
    sim.cluster.holdWatchHeaders = false;
    const cmType = sim.cluster.store.findType('', 'v1', 'configmaps')!;
    sim.cluster.store.create(cmType, { metadata: { name: 'after-the-stall', namespace: 'default' }, data: {} });
    await eventually(() => [...(inventory.bucket(sim!.cluster.kubeSystemUid, '/configmaps')?.objects.values() ?? [])].some((c) => c.name === 'after-the-stall'), 10_000, () => 'the change never arrived');
  });

  it('identifies the cluster by its URL, and says so, when kube-system cannot be read', async () => {
    sim = await startSim({ scenario: 'demo', users: [adminUser(), { name: 'tenant', token: 'tenant-token', forbidden: [{ group: '', resource: 'namespaces' }] }] });
    const d = startDiscovery(sim.kubeconfig, 1, ['sim-tenant']);
    await d.whenInitiallySynced();
    const status = d.clusters()[0].status();
    assert.equal(status.idSource, 'server-url');
    assert.match(status.clusterId ?? '', /^server-[0-9a-f]{16}$/);
    assert.equal(events.filter((e) => e.action === 'identify').length, 1);
  });

  it('removes restored objects of types and clusters no longer discovered, and says so; a broken context keeps them', async () => {
    sim = await startSim({ scenario: 'demo' });
    const clusterId = sim.cluster.kubeSystemUid;
    const widget = { group: 'stale.example.com', version: 'v1', resource: 'widgets', kind: 'Widget', namespaced: true };
    const configMaps = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true };
    const object = (name: string) => summarize({ metadata: { uid: `uid-${name}`, name, namespace: 'default', resourceVersion: '1' } })!;
    const restoreLastSession = () => {
      inventory.replaceAll(clusterId, widget, [object('w1'), object('w2')]);
      inventory.replaceAll('cluster-of-a-removed-context', configMaps, [object('c1')]);
    };

    // A context that cannot be used may be the one reaching the other cluster: it stays.
    restoreLastSession();
    const file = path.join(sim.dir, 'with-broken');
    fs.writeFileSync(file, fs.readFileSync(sim.kubeconfig, 'utf8').replace('contexts:\n', 'contexts:\n  - name: dangling\n    context:\n      cluster: nowhere\n      user: nobody\n'));
    const d = new Discovery(inventory, (e) => events.push(e), fastOptions(1));
    discovery = d;
    d.start({ kubeconfigFiles: [file] });
    await d.whenInitiallySynced();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(inventory.count('cluster-of-a-removed-context'), 1);
    assert.equal(inventory.bucket(clusterId, 'stale.example.com/widgets'), undefined, 'a type the cluster does not serve went');
    assert.match(events.find((e) => /no longer serves/.test(e.description))?.description ?? '', /2 object\(s\) from the last session were removed.*Widget \(stale\.example\.com\/widgets\)/);

    // Every context usable and synced: the cluster none of them reaches goes.
    restoreLastSession();
    d.start({ kubeconfigFiles: [sim.kubeconfig] });
    await d.whenInitiallySynced();
    await eventually(() => inventory.count('cluster-of-a-removed-context') === 0, 5_000, () => 'the undiscovered cluster stayed');
    assert.ok(events.some((e) => /1 object\(s\) of cluster cluster-of-a-removed-context from the last session were removed/.test(e.description)));
    assert.equal(diff(serverState(sim.cluster), inventoryState(inventory, clusterId)).startsWith('0 missing (), 0 extra'), true);
  });

  it('keeps going for good contexts when one context of the kubeconfig is broken', async () => {
    sim = await startSim({ scenario: 'demo' });
    const text = fs.readFileSync(sim.kubeconfig, 'utf8') + '';
    const withBroken = text.replace('contexts:\n', 'contexts:\n  - name: dangling\n    context:\n      cluster: nowhere\n      user: nobody\n');
    const file = path.join(sim.dir, 'mixed');
    fs.writeFileSync(file, withBroken);
    const d = new Discovery(inventory, (e) => events.push(e), fastOptions(1));
    discovery = d;
    const started = d.start({ kubeconfigFiles: [file] });
    assert.deepEqual(started.failures.map((f) => f.context), ['dangling']);
    assert.match(started.failures[0].reason, /cluster "nowhere", which no kubeconfig file defines/);
    await d.whenInitiallySynced();
    assert.equal(d.clusters().length, 1);
    assert.equal(d.clusters()[0].status().state, 'synced');
    assert.equal(events.filter((e) => e.severity === 'error').length, 1);
  });

  it('keeps Secrets without their data, drops managedFields, keeps the greenfield flag, and restores it all at the next start', async () => {
    sim = await startSim({ scenario: 'demo' });
    const folder = path.join(sim.dir, 'meshery-inventory');
    const persister = new InventoryPersister(inventory, new InventorySnapshots(folder), silentLogger, { firstWriteMs: 20, intervalMs: 50 });
    const d = startDiscovery(sim.kubeconfig);
    await d.whenInitiallySynced();
    await persister.flush();
    const clusterId = sim.cluster.kubeSystemUid;
    const secrets = inventory.bucket(clusterId, '/secrets')!;
    assert.ok(secrets.objects.size >= 2);
    for (const secret of secrets.objects.values()) {
      assert.equal('data' in secret, false);
    }
    // A Secret created while watching arrives without its data too: the watch asks for
    // PartialObjectMetadata (asked as a List, kube-apiserver would send the full object).
    const secretType = sim.cluster.store.findType('', 'v1', 'secrets')!;
    sim.cluster.store.create(secretType, { metadata: { name: 'created-while-watching', namespace: 'default' }, type: 'Opaque', data: { password: 'c2VjcmV0LXZhbHVl' } });
    await eventually(() => [...secrets.objects.values()].some((o) => o.name === 'created-while-watching'), 10_000, () => 'the new Secret never arrived');
    assert.equal(sim.cluster.secretPayloadsSent, 0, 'a Secret with its data crossed the wire');
    const configMaps = [...inventory.bucket(clusterId, '/configmaps')!.objects.values()];
    assert.equal(configMaps.find((c) => c.name === 'meshery-demo-settings')?.greenfield, true);
    assert.equal(configMaps.find((c) => c.name === 'frontend-config')?.greenfield, false);

    const bytes = fs.readdirSync(folder).map((f) => fs.readFileSync(path.join(folder, f), 'latin1')).join('');
    assert.ok(bytes.length > 0);
    assert.equal(bytes.includes('ZGVtby1ub3QtYS1zZWNyZXQ='), false, 'no Secret value reached the disk');
    assert.equal(bytes.includes('last-applied-configuration'), false);
    assert.equal(bytes.includes('managedFields'), false);

    // The last known state is there at the next start, before any discovery.
    await persister.close();
    const restoredInventory = new Inventory();
    const restored = await new InventoryPersister(restoredInventory, new InventorySnapshots(folder)).restore();
    assert.equal(restored, inventory.count());
    assert.equal(restoredInventory.bucket(clusterId, '/configmaps')?.objects.size, configMaps.length);
    assert.deepEqual(restoredInventory.bucket(clusterId, '/services')?.type, inventory.bucket(clusterId, '/services')?.type);
    restoredInventory.dispose();
  });
});
