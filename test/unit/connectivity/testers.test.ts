import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { KubeClient } from '../../../src/core/kube/kubeClient';
import { loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import { testGrafana, testKubernetes, testPrometheus } from '../../../src/core/connectivity/testers';
import { FakeGrafana, startFakeGrafana } from '../../support/fakeGrafana';
import { PrometheusFixture, startPrometheus } from '../../support/prometheusServer';
import { SimFixture, adminUser, startSim } from '../../support/simHarness';
import { freePort } from '../../support/vscodeServer';

const timeoutMs = 3000;

describe('connectivity testers', function () {
  this.timeout(60_000);
  let securedPrometheus: PrometheusFixture;
  let openPrometheus: PrometheusFixture;
  let grafana: FakeGrafana;
  let sim: SimFixture;
  const access = () => {
    const context = loadKubeconfig([sim.kubeconfig]).contexts.find((c) => c.ok && c.access.context === 'sim-admin');
    if (!context?.ok) throw new Error('no sim-admin context');
    return context.access;
  };

  before(async () => {
    [securedPrometheus, openPrometheus, grafana, sim] = await Promise.all([
      startPrometheus({ username: 'meshery', password: 'correct horse battery staple' }),
      startPrometheus(),
      startFakeGrafana({ user: 'admin', password: 'grafana-pass', apiKey: 'glsa_test_token' }),
      startSim({ scenario: 'demo', users: [adminUser(), { name: 'nobody', token: 'nobody-token', forbidden: [] }] }),
    ]);
    // In the simulated cluster, the Prometheus Service is backed by the real (unauthenticated) Prometheus.
    sim.cluster.setProxyTarget('monitoring', 'prometheus-k8s', 9090, openPrometheus.url);
  });
  after(async () => {
    await Promise.all([securedPrometheus?.stop(), openPrometheus?.stop(), grafana?.stop(), sim?.stop()]);
  });

  describe('Prometheus (a real server requiring basic auth)', () => {
    it('is reached with the right credential, and reports its version', async () => {
      const result = await testPrometheus({ url: securedPrometheus.url, credential: { username: 'meshery', password: 'correct horse battery staple' }, timeoutMs });
      assert.equal(result.reached, true, JSON.stringify(result.failure));
      assert.equal(result.path, 'direct');
      assert.match(result.serverVersion ?? '', /^2\.\d+\.\d+/);
      assert.deepEqual(result.steps.map((s) => s.split(':')[0]), ['ready', 'build info']);
    });

    it('gets 401 with a wrong credential, and says what to do', async () => {
      const result = await testPrometheus({ url: securedPrometheus.url, credential: { username: 'meshery', password: 'wrong' }, timeoutMs });
      assert.equal(result.reached, false);
      assert.equal(result.failure?.class, 'unauthorized');
      assert.match(result.failure?.message ?? '', /HTTP 401/);
      assert.match(result.failure?.advice ?? '', /rejected the credential/);
    });

    it('is reached through the simulated cluster’s service proxy when its in-cluster address does not resolve', async () => {
      const client = new KubeClient(access());
      try {
        const result = await testPrometheus({
          url: 'http://prometheus-k8s.monitoring.svc.cluster.local:9090',
          timeoutMs,
          serviceProxy: { client, path: '/api/v1/namespaces/monitoring/services/prometheus-k8s:9090/proxy/' },
        });
        assert.equal(result.reached, true, JSON.stringify(result));
        assert.equal(result.path, 'service-proxy');
        assert.match(result.steps[0], /direct: .*trying the API server's service proxy/);
        assert.match(result.serverVersion ?? '', /^2\./);
      } finally {
        client.dispose();
      }
    });
  });

  describe('Grafana (a server following Grafana’s documented API)', () => {
    it('sends a user:password secret as basic auth and any other secret as a bearer token', async () => {
      const basic = await testGrafana({ url: grafana.url, credential: { token: 'admin:grafana-pass' }, timeoutMs });
      assert.equal(basic.reached, true, JSON.stringify(basic.failure));
      assert.equal(basic.serverVersion, '11.2.0');
      const basicFields = await testGrafana({ url: grafana.url, credential: { username: 'admin', password: 'grafana-pass' }, timeoutMs });
      assert.equal(basicFields.reached, true);
      const bearer = await testGrafana({ url: grafana.url, credential: { token: 'glsa_test_token' }, timeoutMs });
      assert.equal(bearer.reached, true);
      const wrong = await testGrafana({ url: grafana.url, credential: { token: 'glsa_wrong' }, timeoutMs });
      assert.equal(wrong.failure?.class, 'unauthorized');
      assert.match(wrong.failure?.message ?? '', /invalid API key/);
    });
  });

  describe('Kubernetes', () => {
    it('checks version, readiness, access review and the cluster identity', async () => {
      const result = await testKubernetes(access(), { expectedClusterId: sim.cluster.kubeSystemUid, timeoutMs });
      assert.equal(result.reached, true, JSON.stringify(result));
      assert.equal(result.serverVersion, 'v1.32.0-meshery-sim');
      assert.equal(result.clusterId, sim.cluster.kubeSystemUid);
      assert.deepEqual(result.steps.map((s) => s.split(':')[0]), ['version', 'readyz', 'access review (list namespaces)', 'kube-system uid']);
    });

    it('reports a different cluster behind the same URL instead of accepting it', async () => {
      const result = await testKubernetes(access(), { expectedClusterId: '00000000-0000-0000-0000-000000000000', timeoutMs });
      assert.equal(result.reached, false);
      assert.equal(result.failure?.class, 'wrong-cluster');
    });

    it('classifies a rejected token and an untrusted certificate', async () => {
      const unauthorized = await testKubernetes({ ...access(), token: 'not-a-valid-token' }, { timeoutMs });
      assert.equal(unauthorized.failure?.class, 'unauthorized');
      const untrusted = await testKubernetes({ ...access(), ca: undefined }, { timeoutMs });
      assert.equal(untrusted.failure?.class, 'tls');
      assert.match(untrusted.failure?.advice ?? '', /certificate authority/);
      const skipped = await testKubernetes({ ...access(), ca: undefined, insecureSkipTlsVerify: true }, { timeoutMs });
      assert.equal(skipped.reached, true, 'an explicit skip of TLS verification is honoured');
    });
  });

  describe('failure classes', () => {
    it('refused, DNS and timeout each get their class and a sentence', async () => {
      const closed = await freePort();
      const refused = await testPrometheus({ url: `http://127.0.0.1:${closed}`, timeoutMs });
      assert.equal(refused.failure?.class, 'refused');
      assert.match(refused.failure?.advice ?? '', /Nothing accepts connections/);

      const dns = await testPrometheus({ url: 'http://prometheus.does-not-exist.invalid:9090', timeoutMs });
      assert.equal(dns.failure?.class, 'dns');

      const silent = net.createServer(() => undefined); // accepts, never answers
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
      try {
        const port = (silent.address() as net.AddressInfo).port;
        const timeout = await testGrafana({ url: `http://127.0.0.1:${port}`, timeoutMs: 300 });
        assert.equal(timeout.failure?.class, 'timeout');
        assert.match(timeout.failure?.advice ?? '', /did not answer within 300 ms/);
      } finally {
        silent.close();
      }
    });
  });
});

describe('headless CLI: test-connection', function () {
  this.timeout(60_000);
  let prometheus: PrometheusFixture;
  before(async () => {
    prometheus = await startPrometheus({ username: 'cli', password: 'cli-pass-42' });
  });
  after(async () => prometheus?.stop());

  const cli = path.join(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [cli, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('exits 0 only when reached, reads the credential from the environment, and prints JSON', async () => {
    const ok = await run(['test-connection', '--kind', 'prometheus', '--url', prometheus.url, '--basic-env', 'PROM_AUTH', '--json'], { PROM_AUTH: 'cli:cli-pass-42' });
    assert.equal(ok.code, 0, ok.stderr);
    const result = JSON.parse(ok.stdout);
    assert.equal(result.reached, true);
    assert.equal(result.path, 'direct');
    const wrong = await run(['test-connection', '--kind', 'prometheus', '--url', prometheus.url, '--basic-env', 'PROM_AUTH'], { PROM_AUTH: 'cli:nope' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /not reached \(unauthorized\)/);
    const missingVar = await run(['test-connection', '--kind', 'grafana', '--url', prometheus.url, '--token-env', 'UNSET_VAR_X']);
    assert.equal(missingVar.code, 2);
    assert.match(missingVar.stderr, /UNSET_VAR_X is not set/);
  });
});

describe('connectivity messages', () => {
  it('never carry the user:password of a URL', async () => {
    const closed = await freePort();
    const result = await testPrometheus({ url: `http://admin:hunter2-secret@127.0.0.1:${closed}`, timeoutMs: 1000 });
    assert.equal(result.reached, false);
    assert.equal(JSON.stringify(result).includes('hunter2-secret'), false, JSON.stringify(result));
    assert.equal(result.url, `http://127.0.0.1:${closed}/`);
  });
});
