import * as assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { churn } from '../../../simcluster/churn';
import { SimFixture, adminUser, eventually, startSim } from '../../support/simHarness';

/**
 * The simulated API server proven with the real kubectl: if kubectl (client-go) accepts its
 * answers, the extension's discovery talks to it as it would to a real cluster.
 */
describe('simulated cluster fidelity, checked with the real kubectl', function () {
  this.timeout(60_000);
  let sim: SimFixture;

  before(async () => {
    try {
      execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    } catch {
      throw new Error('kubectl is not on PATH (or does not run): the fidelity tests need the real kubectl');
    }
    sim = await startSim({
      scenario: 'demo',
      users: [adminUser(), { name: 'restricted', token: 'restricted-token', forbidden: [{ group: '', resource: 'secrets' }] }],
    });
  });
  after(async () => sim?.stop());

  function kubectl(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
    return new Promise((resolve) => {
      execFile('kubectl', args, { env: { ...process.env, KUBECONFIG: sim.kubeconfig, HOME: sim.dir }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        resolve({ stdout, stderr, code: error ? Number((error as { code?: number }).code ?? 1) : 0 });
      });
    });
  }

  const podNames = () => sim.cluster.store.list('/pods').map((p) => `${p.namespace}/${p.name}`).sort();

  it('get -A lists every pod, in a table with namespace, name and age', async () => {
    const { stdout, code, stderr } = await kubectl('get', 'pods', '-A');
    assert.equal(code, 0, stderr);
    const [header, ...rows] = stdout.trim().split('\n');
    assert.match(header, /^NAMESPACE\s+NAME\s+AGE$/);
    assert.deepEqual(rows.map((r) => r.split(/\s+/).slice(0, 2).join('/')).sort(), podNames());
  });

  it('get -o json returns the stored objects', async () => {
    const { stdout, code } = await kubectl('get', 'services', '-n', 'monitoring', '-o', 'json');
    assert.equal(code, 0);
    const list = JSON.parse(stdout) as { items: { metadata: { name: string }; spec: { ports: { port: number }[] } }[] };
    const prometheus = list.items.find((s) => s.metadata.name === 'prometheus-k8s');
    assert.equal(prometheus?.spec.ports[0].port, 9090);
  });

  it('api-resources shows the built-in types and the CRDs with their short names', async () => {
    const { stdout, code, stderr } = await kubectl('api-resources', '--no-headers');
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split('\n');
    const served = new Set(sim.cluster.store.servedTypes().map((t) => `${t.group}/${t.resource}`));
    assert.equal(lines.length, served.size);
    assert.ok(lines.some((l) => /^prometheuses\s+prom\s+monitoring\.coreos\.com\/v1\s+true\s+Prometheus$/.test(l)));
    assert.ok(lines.some((l) => /^widgets\s+wd\s+widgets\.acme\.example\/v1\s+true\s+Widget$/.test(l)));
    assert.ok(lines.some((l) => /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/.test(l)));
  });

  it('an unavailable aggregated group: kubectl says it cannot retrieve that group and lists the rest', async () => {
    sim.cluster.unavailableGroups.add('argoproj.io');
    try {
      const { stdout, stderr, code } = await kubectl('api-resources', '--no-headers');
      assert.notEqual(code, 0, 'kubectl reports the incomplete list');
      assert.match(stderr, /unable to retrieve the complete list of server APIs: argoproj\.io\/v1alpha1: .*unable to handle the request/);
      assert.ok(stdout.includes('deployments'), 'and still prints the groups it could read');
      assert.equal(/\bapplications\b/.test(stdout), false);
    } finally {
      sim.cluster.unavailableGroups.delete('argoproj.io');
    }
  });

  it('chunked list: --chunk-size pages with continue tokens and returns everything', async () => {
    const { stdout, stderr, code } = await kubectl('get', 'pods', '-A', '--chunk-size=4', '-o', 'name', '-v=6');
    assert.equal(code, 0, stderr);
    const pages = stderr.split('\n').filter((l) => /GET .*\/pods\?.*limit=4/.test(l));
    assert.ok(pages.length >= Math.ceil(podNames().length / 4), `${pages.length} pages`);
    assert.ok(pages.some((l) => l.includes('continue=')), 'later pages carry the continue token');
    assert.equal(stdout.trim().split('\n').length, podNames().length);
  });

  it('--watch during churn sees every change, ending at the server state', async () => {
    const watcher = spawn('kubectl', ['get', 'configmaps', '-A', '--watch', '--output-watch-events', '-o', 'json'], {
      env: { ...process.env, KUBECONFIG: sim.kubeconfig, HOME: sim.dir },
    });
    let out = '';
    watcher.stdout.on('data', (d) => (out += d));
    // Wait for the initial list to arrive before churning.
    const deadline = Date.now() + 15_000;
    while (!out.includes('"ADDED"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const result = await churn(sim.cluster, { rate: 150, seconds: 1.5, seed: 5, typeKeys: ['/configmaps'] });
    const expected = sim.cluster.store.list('/configmaps').map((c) => `${c.namespace}/${c.name}`).sort();
    const watched = () => {
      // Complete JSON documents only: the last one may still be arriving.
      const chunks = out.split(/\n(?=\{)/);
      const events = chunks.flatMap((chunk) => {
        try {
          return [JSON.parse(chunk) as { type: string; object: { metadata: { namespace: string; name: string } } }];
        } catch {
          return [];
        }
      });
      const seen = new Map<string, boolean>();
      for (const e of events) seen.set(`${e.object.metadata.namespace}/${e.object.metadata.name}`, e.type !== 'DELETED');
      return { events, live: [...seen].filter(([, alive]) => alive).map(([k]) => k).sort() };
    };
    // Until kubectl has printed the server's state (or 15 s): no fixed wait.
    await eventually(() => JSON.stringify(watched().live) === JSON.stringify(expected), 15_000, () => 'kubectl --watch never reached the server state');
    watcher.kill();
    const { events, live } = watched();
    assert.ok(result.created + result.updated + result.deleted > 100);
    assert.ok(events.some((e) => e.type === 'MODIFIED') && events.some((e) => e.type === 'DELETED'));
    assert.deepEqual(live, expected);
  });

  it('apply creates and then updates an object; delete removes it', async () => {
    const manifest = path.join(sim.dir, 'applied.yaml');
    const write = (value: string) =>
      fs.writeFileSync(manifest, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n  namespace: shop\n  labels: {from: kubectl}\ndata:\n  answer: "${value}"\n`);
    write('41');
    // The simulated server does not serve OpenAPI documents, which kubectl's client-side validation fetches.
    let r = await kubectl('apply', '--validate=false', '-f', manifest);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /configmap\/applied created/);
    write('42');
    r = await kubectl('apply', '--validate=false', '-f', manifest);
    assert.match(r.stdout, /configmap\/applied configured/);
    const stored = JSON.parse(sim.cluster.store.get('/configmaps', 'shop', 'applied')!.json);
    assert.equal(stored.data.answer, '42');
    assert.ok(stored.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    // Each write names its field manager in managedFields, as a real API server records them;
    // kubectl shows them only when asked, and then as it shows a real server's.
    r = await kubectl('label', '-n', 'shop', 'configmap', 'applied', 'by=hand');
    assert.equal(r.code, 0, r.stderr);
    r = await kubectl('get', '-n', 'shop', 'configmap', 'applied', '-o', 'json');
    assert.equal(JSON.parse(r.stdout).metadata.managedFields, undefined);
    r = await kubectl('get', '-n', 'shop', 'configmap', 'applied', '-o', 'json', '--show-managed-fields');
    const managed = JSON.parse(r.stdout).metadata.managedFields as { manager: string; operation: string; fieldsType: string; fieldsV1: Record<string, Record<string, unknown>> }[];
    assert.deepEqual(managed.map((m) => [m.manager, m.operation, m.fieldsType]), [
      ['kubectl-client-side-apply', 'Update', 'FieldsV1'],
      ['kubectl-label', 'Update', 'FieldsV1'],
    ]);
    assert.deepEqual(Object.keys(managed[0].fieldsV1['f:data']), ['f:answer']);
    assert.ok('f:by' in (managed[1].fieldsV1['f:metadata']['f:labels'] as object));
    r = await kubectl('delete', '-f', manifest);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /configmap "applied" deleted/);
    assert.equal(sim.cluster.store.get('/configmaps', 'shop', 'applied'), undefined);
  });

  it('label selectors filter like a real API server', async () => {
    const { stdout } = await kubectl('get', 'pods', '-A', '-l', 'app.kubernetes.io/name in (grafana,prometheus),app.kubernetes.io/part-of=kube-prometheus', '-o', 'name');
    assert.deepEqual(stdout.trim().split('\n').sort(), ['pod/grafana-7d9f8b6c4-xkq2z', 'pod/prometheus-k8s-0', 'pod/prometheus-k8s-1']);
  });

  it('a forbidden resource shows Forbidden, and a wrong token Unauthorized', async () => {
    const forbidden = await kubectl('--context', 'sim-restricted', 'get', 'secrets', '-A');
    assert.notEqual(forbidden.code, 0);
    assert.match(forbidden.stderr, /Error from server \(Forbidden\): secrets is forbidden: User "restricted" cannot list resource "secrets" in API group "" at the cluster scope/);
    const allowed = await kubectl('--context', 'sim-restricted', 'get', 'configmaps', '-n', 'shop', '-o', 'name');
    assert.equal(allowed.code, 0);
    const unauthorized = await kubectl('--token', 'nope', 'get', 'pods');
    assert.notEqual(unauthorized.code, 0);
    assert.match(unauthorized.stderr, /Unauthorized|must be logged in/);
  });
});
