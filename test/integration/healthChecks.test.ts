import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Connection } from '../../src/core/connections/types';
import { MesheryExtensionApi } from '../../src/ui/api';
import { mesheryApi } from './mesheryApi';
import { PrometheusFixture, startPrometheus } from '../support/prometheusServer';
import { eventually } from '../support/simHarness';

describe('health checks and CONNECTED in the real extension host', function () {
  this.timeout(120_000);
  let api: MesheryExtensionApi;
  let prometheus: PrometheusFixture | undefined;
  const config = () => vscode.workspace.getConfiguration('meshery.connectivity');

  before(async () => {
    api = await mesheryApi();
    prometheus = await startPrometheus();
    await config().update('healthCheckIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
    await config().update('timeoutMs', 1000, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('healthCheckIntervalSeconds', undefined, vscode.ConfigurationTarget.Global);
    await config().update('timeoutMs', undefined, vscode.ConfigurationTarget.Global);
    await prometheus?.stop();
  });

  it('refuses CONNECTED by hand on an unreachable Prometheus, with the failure', async () => {
    const unreachable = api.connections.createManual({ kind: 'prometheus', name: 'nowhere', url: 'http://127.0.0.1:9/' });
    await vscode.commands.executeCommand('meshery.connections.register', unreachable.id, { credentialId: null, environmentIds: [], skipVerification: true });
    const result = await vscode.commands.executeCommand<Connection | undefined>('meshery.connections.changeStatus', unreachable.id, 'connected', { confirm: false });
    assert.equal(result, undefined, 'the command reports the refusal instead of a connection');
    assert.equal(api.connections.get(unreachable.id)?.status, 'registered');
    const [failure] = api.events.query({ actedUpon: unreachable.id, actions: ['test'] });
    assert.equal(failure.metadata.failureClass, 'refused');
  });

  it('moves a connection to DISCONNECTED when its Prometheus stops (one event), and back to CONNECTED when it returns', async () => {
    const url = prometheus!.url;
    const port = Number(new URL(url).port);
    const connection = api.connections.createManual({ kind: 'prometheus', name: 'watched prometheus', url });
    const registered = await vscode.commands.executeCommand<Connection>('meshery.connections.register', connection.id, { credentialId: null, environmentIds: [], skipVerification: false });
    assert.equal(registered.status, 'connected');

    await prometheus!.stop();
    prometheus = undefined;
    await eventually(() => api.connections.get(connection.id)?.status === 'disconnected', 15_000, () => `status ${api.connections.get(connection.id)?.status}`);
    const failures = () => api.events.query({ actedUpon: connection.id, actions: ['test'], severities: ['error'] }).length;
    const count = failures();
    await new Promise((r) => setTimeout(r, 4_000));
    assert.equal(failures(), count, 'checks that fail the same way leave no new event');
    assert.equal(count, 1);

    prometheus = await startPrometheus(undefined, { port });
    await eventually(() => api.connections.get(connection.id)?.status === 'connected', 30_000, () => `status ${api.connections.get(connection.id)?.status}`);
    const [back] = api.events.query({ actedUpon: connection.id, actions: ['status'] });
    assert.match(back.description, /disconnected → connected \(the connectivity test reaches it again\)/);
  });
});
