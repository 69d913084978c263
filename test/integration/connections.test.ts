import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { Connection } from '../../src/core/connections/types';
import { MesheryExtensionApi } from '../../src/ui/api';
import { mesheryApi } from './mesheryApi';
import { PrometheusFixture, startPrometheus } from '../support/prometheusServer';
import { SimFixture, eventually, startSim } from '../support/simHarness';

describe('connections in the real extension host', function () {
  this.timeout(120_000);
  let sim: SimFixture;
  let prometheus: PrometheusFixture;
  let api: MesheryExtensionApi;

  before(async () => {
    api = await mesheryApi();
    [sim, prometheus] = await Promise.all([startSim({ scenario: 'demo' }), startPrometheus()]);
    // The demo cluster's Prometheus Service is backed by a real Prometheus, reached through the service proxy.
    sim.cluster.setProxyTarget('monitoring', 'prometheus-k8s', 9090, prometheus.url);
    await vscode.workspace.getConfiguration('meshery.kubeconfig').update('paths', [sim.kubeconfig], vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('meshery.kubeconfig').update('paths', undefined, vscode.ConfigurationTarget.Global);
    await Promise.all([sim?.stop(), prometheus?.stop()]);
  });

  it('registers a discovered Prometheus, assigns it to a new environment, changes its status, with an event for each step', async () => {
    const find = () => api.connections.list().find((c) => c.name === 'prometheus-k8s (monitoring)' && c.clusterId === sim.cluster.kubeSystemUid);
    await eventually(() => find()?.status === 'discovered', 30_000, () => `connections: ${api.connections.list().map((c) => `${c.name}=${c.status}`).join(', ')}`);
    const candidate = find()!;
    const discoveredEvent = api.events.query({ categories: ['connection'], actions: ['discover'], actedUpon: candidate.id })[0];
    assert.ok(discoveredEvent, 'discovery proposed it with an event');

    const registered = await vscode.commands.executeCommand<Connection>('meshery.connections.register', candidate.id, { credentialId: null, environmentIds: [], skipVerification: false });
    assert.equal(registered.status, 'connected');
    const lastTest = registered.metadata.lastTest as { reached: boolean; path: string };
    assert.deepEqual({ reached: lastTest.reached, path: lastTest.path }, { reached: true, path: 'service-proxy' });

    const environmentId = await vscode.commands.executeCommand<string>('meshery.environments.create', 'staging', 'Pre-production');
    await vscode.commands.executeCommand('meshery.connections.assignEnvironment', candidate.id, [environmentId]);
    assert.deepEqual(api.connections.get(candidate.id)?.environments, [environmentId]);

    const changed = await vscode.commands.executeCommand<Connection>('meshery.connections.changeStatus', candidate.id, 'maintenance', { confirm: false });
    assert.equal(changed.status, 'maintenance');

    // An invalid change is refused, leaves the status alone, and is an error event.
    await vscode.commands.executeCommand('meshery.connections.changeStatus', candidate.id, 'discovered', { confirm: false });
    assert.equal(api.connections.get(candidate.id)?.status, 'maintenance');

    const trail = api.events
      .query({ actedUpon: candidate.id }, { limit: 50 })
      .reverse()
      .map((e) => `${e.category}/${e.action}:${e.severity}:${e.metadata.previous ?? ''}->${e.metadata.current ?? ''}`);
    assert.deepEqual(trail, [
      'connection/discover:informational:->discovered',
      'connection/register:informational:discovered->registered',
      'connection/test:success:->',
      'connection/status:success:registered->connected',
      'connection/status:informational:connected->maintenance',
      'connection/status:error:maintenance->',
    ]);
    const [assigned] = api.events.query({ categories: ['environment'], actions: ['assign'], actedUpon: environmentId });
    assert.match(assigned.description, /1 connection\(s\) assigned to environment "staging"/);
    const [created] = api.events.query({ categories: ['environment'], actions: ['create'], actedUpon: environmentId });
    assert.ok(created);
  });

  it('keeps credential values in VS Code SecretStorage, attaches a credential and tests it from the commands', async () => {
    const cluster = api.connections.list().find((c) => c.kind === 'kubernetes' && c.clusterId === sim.cluster.kubeSystemUid)!;
    const token = sim.cluster.userToken('admin');
    const credential = await api.credentials.create({ name: 'admin token', kind: 'kubernetes', type: 'bearer-token', values: { token } });
    assert.deepEqual(await api.credentials.values(credential.id), { token }, 'the value round-trips through SecretStorage');
    await vscode.commands.executeCommand('meshery.credentials.attach', credential.id, [cluster.id]);
    assert.equal(api.connections.get(cluster.id)?.credentialId, credential.id);
    const results = await vscode.commands.executeCommand<{ reached: boolean }[]>('meshery.credentials.test', { id: credential.id }, [cluster.id]);
    assert.deepEqual(results.map((r) => r.reached), [true]);
    await api.store.flush();
    assert.equal(fs.readFileSync(api.store.path!).includes(Buffer.from(token)), false, 'the token is not in the database file');
    await vscode.commands.executeCommand('meshery.credentials.delete', credential.id, { confirm: false });
    assert.equal(await api.credentials.values(credential.id), undefined);
  });
});
