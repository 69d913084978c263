import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { MesheryExtensionApi } from '../../src/ui/api';
import { SimFixture, eventually, inventoryState, serverState, startSim } from '../support/simHarness';

describe('discovery in the real extension host', () => {
  let sim: SimFixture | undefined;
  const paths = () => vscode.workspace.getConfiguration('meshery.kubeconfig');

  after(async () => {
    await paths().update('paths', undefined, vscode.ConfigurationTarget.Global);
    await sim?.stop();
  });

  it('discovers the cluster of the chosen kubeconfig, live, into the inventory and the events', async () => {
    const api = await vscode.extensions.getExtension<MesheryExtensionApi>('meshery-ide.meshery-vscode')!.activate();
    sim = await startSim({ scenario: 'demo' });
    await paths().update('paths', [sim.kubeconfig], vscode.ConfigurationTarget.Global);
    const clusterId = sim.cluster.kubeSystemUid;
    await eventually(
      () => inventoryState(api.discovery.inventory, clusterId).join('\n') === serverState(sim!.cluster).join('\n'),
      30_000,
      () => `inventory has ${api.discovery.inventory.count(clusterId)} objects, the server ${serverState(sim!.cluster).length}`,
    );
    await eventually(() => api.discovery.statuses()[0]?.state === 'synced', 10_000, () => JSON.stringify(api.discovery.statuses()[0]?.state));
    const [synced] = api.events.query({ categories: ['discovery'], actions: ['sync'] });
    assert.ok(synced, 'the sync left an event');
    assert.match(synced.description, /Context sim-admin: discovered \d+ objects of \d+ types/);

    // Live: a change in the cluster reaches the inventory without any command.
    const configMaps = sim.cluster.store.findType('', 'v1', 'configmaps')!;
    sim.cluster.store.create(configMaps, { metadata: { name: 'live-change', namespace: 'default' }, data: { a: '1' } });
    await eventually(
      () => [...(api.discovery.inventory.bucket(clusterId, '/configmaps')?.objects.values() ?? [])].some((o) => o.name === 'live-change'),
      10_000,
      () => 'the new ConfigMap did not arrive',
    );
    await vscode.commands.executeCommand('meshery.discovered.focus');
  });

  it('rediscovers on "Discover Now"', async () => {
    const api = await vscode.extensions.getExtension<MesheryExtensionApi>('meshery-ide.meshery-vscode')!.activate();
    const before = api.events.count({ categories: ['discovery'], actions: ['sync'] });
    await vscode.commands.executeCommand('meshery.discovery.refresh');
    await eventually(() => api.events.count({ categories: ['discovery'], actions: ['sync'] }) === before + 1, 15_000, () => 'no second sync event');
  });
});
