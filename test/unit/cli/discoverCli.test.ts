import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { silentLogger } from '../../../src/core/common/logger';
import { Inventory } from '../../../src/core/inventory/inventory';
import { InventoryPersister } from '../../../src/core/inventory/inventoryPersister';
import { InventorySnapshots, inventoryFolderOf } from '../../../src/core/inventory/inventorySnapshots';
import { openStore } from '../../../src/core/store/openStore';
import { SimFixture, adminUser, serverState, startSim } from '../../support/simHarness';

const cli = path.join(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('headless CLI: discover', function () {
  this.timeout(60_000);
  let sim: SimFixture;
  before(async () => {
    sim = await startSim({ scenario: 'demo', users: [adminUser(), { name: 'viewer', token: 'viewer-token', forbidden: [{ group: '', resource: 'secrets' }] }] });
  });
  after(async () => sim?.stop());

  it('prints one JSON document describing every cluster, type and count, and fills the database', async () => {
    const db = path.join(sim.dir, 'cli.db');
    const { code, stdout, stderr } = await run(['discover', '--kubeconfig', sim.kubeconfig, '--context', 'sim-admin', '--db', db, '--json']);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout);
    assert.equal(report.clusters.length, 1);
    const [cluster] = report.clusters;
    assert.equal(cluster.context, 'sim-admin');
    assert.equal(cluster.clusterId, sim.cluster.kubeSystemUid);
    assert.equal(cluster.server, sim.cluster.url);
    assert.equal(cluster.objects, serverState(sim.cluster).length);
    assert.ok(cluster.durationMs > 0);
    const prometheuses = cluster.kinds.find((k: { kind: string }) => k.kind === 'Prometheus');
    assert.deepEqual(
      { group: prometheuses.group, version: prometheuses.version, resource: prometheuses.resource, namespaced: prometheuses.namespaced, count: prometheuses.count, state: prometheuses.state },
      { group: 'monitoring.coreos.com', version: 'v1', resource: 'prometheuses', namespaced: true, count: 1, state: 'synced' },
    );
    assert.ok('model' in prometheuses && 'component' in prometheuses && Array.isArray(cluster.candidates));

    // The database holds users' data; the inventory is in its files beside it, restored at the next start.
    const { store } = await openStore({ path: db, logger: silentLogger, saveDelayMs: 1000 });
    assert.ok(store.get<{ n: number }>("SELECT count(*) AS n FROM events WHERE category = 'discovery'")!.n >= 1);
    await store.close();
    const restored = new Inventory();
    assert.equal(await new InventoryPersister(restored, new InventorySnapshots(inventoryFolderOf(db))).restore(), cluster.objects);
    assert.equal(restored.buckets(cluster.clusterId).length, cluster.kinds.filter((k: { count: number }) => k.count > 0).length);
    restored.dispose();
  });

  it('reports a forbidden type in the JSON and still exits 0', async () => {
    const { code, stdout } = await run(['discover', '--kubeconfig', sim.kubeconfig, '--context', 'sim-viewer', '--json']);
    assert.equal(code, 0);
    const secrets = JSON.parse(stdout).clusters[0].kinds.find((k: { resource: string; group: string }) => k.resource === 'secrets' && k.group === '');
    assert.equal(secrets.state, 'forbidden');
  });

  it('keeps watching for --watch seconds, then summarizes', async () => {
    const started = Date.now();
    const { code, stdout } = await run(['discover', '--kubeconfig', sim.kubeconfig, '--context', 'sim-admin', '--watch', '1']);
    assert.equal(code, 0);
    assert.ok(Date.now() - started >= 1000);
    assert.match(stdout, /^sim-admin {2}https:\/\/127\.0\.0\.1:\d+ {2}cluster [0-9a-f-]{36} {2}synced {2}\d+ objects, \d+ types/);
  });

  it('fails with a one-line reason for an unusable kubeconfig, an unknown context or an unreachable cluster', async () => {
    const missing = await run(['discover', '--kubeconfig', path.join(sim.dir, 'nope')]);
    assert.notEqual(missing.code, 0);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    assert.match(missing.stderr, /cannot be used: cannot read it \(ENOENT\)/);

    const unknown = await run(['discover', '--kubeconfig', sim.kubeconfig, '--context', 'prod']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /Context prod is not in the kubeconfig/);

    const down = path.join(sim.dir, 'down');
    fs.writeFileSync(down, fs.readFileSync(sim.kubeconfig, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:9'));
    const unreachable = await run(['discover', '--kubeconfig', down, '--context', 'sim-admin']);
    assert.notEqual(unreachable.code, 0);
    assert.match(unreachable.stderr, /connection refused/);

    const usage = await run(['discover', '--bogus', 'x']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /unknown option --bogus/);
  });
});
