import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { mesheryApi } from './mesheryApi';
import { writeExecPlugin } from '../support/execPlugin';
import { SimFixture, eventually, inventoryState, serverState, startSim } from '../support/simHarness';

describe('discovery in the real extension host', () => {
  let sim: SimFixture | undefined;
  const paths = () => vscode.workspace.getConfiguration('meshery.kubeconfig');

  after(async () => {
    await paths().update('paths', undefined, vscode.ConfigurationTarget.Global);
    await sim?.stop();
  });

  it('discovers the cluster of the chosen kubeconfig, live, into the inventory and the events', async () => {
    const api = await mesheryApi();
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

  it('authenticates with the client certificate of an exec plugin, through the bundled client library', async () => {
    const api = await mesheryApi();
    const certSim = await startSim({ scenario: 'demo' });
    try {
      const certificate = certSim.cluster.clientCertificate('admin');
      const plugin = writeExecPlugin(certSim.dir, [{ clientCertificateData: certificate.certPem, clientKeyData: certificate.keyPem }]);
      const file = path.join(certSim.dir, 'exec-kubeconfig');
      fs.writeFileSync(
        file,
        fs
          .readFileSync(certSim.kubeconfig, 'utf8')
          .replace(/token: .*/, `exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: ${JSON.stringify(plugin.command)}\n        args: [${JSON.stringify(plugin.args[0])}]`),
      );
      await paths().update('paths', [file], vscode.ConfigurationTarget.Global);
      const clusterId = certSim.cluster.kubeSystemUid;
      await eventually(() => api.discovery.statuses().some((s) => s.clusterId === clusterId && s.state === 'synced'), 30_000, () => JSON.stringify(api.discovery.statuses().map((s) => [s.context, s.state, s.reason])));
      assert.equal(plugin.runs().length, 1, 'the plugin ran once for the whole discovery');
    } finally {
      await paths().update('paths', sim ? [sim.kubeconfig] : undefined, vscode.ConfigurationTarget.Global);
      await certSim.stop();
    }
    // The next test counts sync events: the rediscovery the restored setting starts is over first.
    const restored = sim!.cluster.kubeSystemUid;
    await eventually(() => api.discovery.statuses().some((s) => s.clusterId === restored && s.state === 'synced'), 30_000, () => 'the first cluster is not synced again');
  });

  it("reaches a cluster that is not on localhost with its kubeconfig's CA and client certificate, not VS Code's proxy agent", async () => {
    // VS Code's proxy support swaps a request's agent for its own towards any host but localhost
    // and 127.0.0.1: the cluster's CA and client certificate would be lost on the way (a TLS
    // failure), and its system certificates added to our TLS context at every connection.
    const api = await mesheryApi();
    const remoteSim = await startSim({ scenario: 'demo', host: '127.0.0.2' });
    try {
      const certificate = remoteSim.cluster.clientCertificate('admin');
      const file = path.join(remoteSim.dir, 'cert-kubeconfig');
      const data = (pem: string) => Buffer.from(pem).toString('base64');
      fs.writeFileSync(
        file,
        fs.readFileSync(remoteSim.kubeconfig, 'utf8').replace(/token: .*/, `client-certificate-data: ${data(certificate.certPem)}\n      client-key-data: ${data(certificate.keyPem)}`),
      );
      await paths().update('paths', [file], vscode.ConfigurationTarget.Global);
      const clusterId = remoteSim.cluster.kubeSystemUid;
      await eventually(
        () => api.discovery.statuses().some((s) => s.clusterId === clusterId && s.state === 'synced'),
        30_000,
        () => JSON.stringify(api.discovery.statuses().map((s) => [s.context, s.server, s.state, s.reason])),
      );
      assert.equal(api.discovery.inventory.count(clusterId) > 0, true);
    } finally {
      await paths().update('paths', sim ? [sim.kubeconfig] : undefined, vscode.ConfigurationTarget.Global);
      await remoteSim.stop();
    }
    const restored = sim!.cluster.kubeSystemUid;
    await eventually(() => api.discovery.statuses().some((s) => s.clusterId === restored && s.state === 'synced'), 30_000, () => 'the first cluster is not synced again');
  });

  it('rediscovers on "Discover Now"', async () => {
    const api = await mesheryApi();
    const before = api.events.count({ categories: ['discovery'], actions: ['sync'] });
    await vscode.commands.executeCommand('meshery.discovery.refresh');
    await eventually(() => api.events.count({ categories: ['discovery'], actions: ['sync'] }) >= before + 1, 15_000, () => 'no second sync event');
  });
});

describe('the Discovered view in the real extension host', () => {
  it('filters by text and namespace, and opens an object as live YAML without Secret values', async () => {
    const api = await mesheryApi();
    const sim = await startSim({ scenario: 'demo' });
    try {
      await vscode.workspace.getConfiguration('meshery.kubeconfig').update('paths', [sim.kubeconfig], vscode.ConfigurationTarget.Global);
      const clusterId = sim.cluster.kubeSystemUid;
      await eventually(() => api.discovery.statuses()[0]?.clusterId === clusterId && api.discovery.statuses()[0]?.state === 'synced', 30_000, () => 'not synced');
      const secrets = api.discovery.inventory.bucket(clusterId, '/secrets')!;
      const grafanaSecret = [...secrets.objects.values()].find((s) => s.name === 'grafana-admin')!;
      await vscode.commands.executeCommand('meshery.discovered.openObject', {
        kind: 'object',
        id: `object:${clusterId}:${grafanaSecret.uid}`,
        clusterId,
        typeKey: '/secrets',
        uid: grafanaSecret.uid,
      });
      await eventually(() => vscode.window.activeTextEditor?.document.uri.scheme === 'meshery-object', 10_000, () => 'no object document');
      const text = vscode.window.activeTextEditor!.document.getText();
      assert.match(text, /^# Live from the cluster/);
      assert.match(text, /name: grafana-admin/);
      assert.match(text, /A Secret's data and annotations are not read by Meshery/);
      assert.match(text, /kubernetes\.io\/service-account\.name: grafana/);
      // Neither the values nor kubectl's last-applied copy of them (which holds them all).
      assert.equal(text.includes('ZGVtby1ub3QtYS1zZWNyZXQ='), false);
      assert.equal(text.includes('last-applied-configuration'), false);
      assert.equal(grafanaSecret.annotations['kubectl.kubernetes.io/last-applied-configuration'], undefined, 'nor does the inventory keep it');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

      await vscode.commands.executeCommand('meshery.discovered.filter', 'grafana');
      await vscode.commands.executeCommand('meshery.discovered.scopeNamespaces', ['monitoring']);
      await vscode.commands.executeCommand('meshery.discovered.clearFilter');
      assert.ok(api.registry.fingerprint('monitoring.coreos.com', 'v1', 'Prometheus').model.name === 'prometheus-operator');
    } finally {
      await vscode.workspace.getConfiguration('meshery.kubeconfig').update('paths', undefined, vscode.ConfigurationTarget.Global);
      await sim.stop();
    }
  });
});

describe('registry and context choice in the real extension host', () => {
  it('imports Meshery models from the folders a user picks, and fingerprints with them', async () => {
    const api = await mesheryApi();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'meshery-models-'));
    const model = path.join(folder, 'acme-widgets', 'v1.0.0');
    fs.mkdirSync(path.join(model, 'components'), { recursive: true });
    fs.writeFileSync(path.join(model, 'model.json'), JSON.stringify({ name: 'acme-widgets', displayName: 'ACME Widgets', category: { name: 'App Definition and Development' }, metadata: { primaryColor: '#3366FF' } }));
    fs.writeFileSync(path.join(model, 'components', 'Widget.json'), JSON.stringify({ displayName: 'Widget', component: { version: 'widgets.acme.example/v1', kind: 'Widget' }, metadata: { isNamespaced: true } }));
    assert.equal(api.registry.fingerprint('widgets.acme.example', 'v1', 'Widget').model.specificity, 'uncategorized');
    try {
      await vscode.commands.executeCommand('meshery.registry.importModels', [vscode.Uri.file(folder)]);
      await eventually(() => api.registry.fingerprint('widgets.acme.example', 'v1', 'Widget').model.displayName === 'ACME Widgets', 10_000, () => 'not imported');
      assert.match(api.events.query({ categories: ['registry'], actions: ['import'] })[0].description, /Imported 1 Meshery model\(s\): ACME Widgets/);
    } finally {
      await vscode.workspace.getConfiguration('meshery.registry').update('importPaths', undefined, vscode.ConfigurationTarget.Global);
    }
    await eventually(() => api.registry.fingerprint('widgets.acme.example', 'v1', 'Widget').model.specificity === 'uncategorized', 10_000, () => 'import not removed');
  });

  it('discovers only the contexts a user chooses', async () => {
    const api = await mesheryApi();
    const sim = await startSim({ scenario: 'demo', users: [{ name: 'admin', token: 'a-token' }, { name: 'viewer', token: 'v-token' }] });
    try {
      await vscode.workspace.getConfiguration('meshery.kubeconfig').update('paths', [sim.kubeconfig], vscode.ConfigurationTarget.Global);
      await eventually(() => api.discovery.statuses().length === 2, 15_000, () => `${api.discovery.statuses().length} contexts`);
      await vscode.commands.executeCommand('meshery.discovery.chooseContexts', ['sim-viewer']);
      await eventually(() => api.discovery.statuses().map((s) => s.context).join() === 'sim-viewer', 15_000, () => api.discovery.statuses().map((s) => s.context).join());
    } finally {
      await vscode.workspace.getConfiguration('meshery.discovery').update('contexts', undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.getConfiguration('meshery.kubeconfig').update('paths', undefined, vscode.ConfigurationTarget.Global);
      await sim.stop();
    }
  });
});
