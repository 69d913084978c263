import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import type * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
// The module object itself (an `import * as` copy has read-only bindings): the test counts its contexts.
import tls = require('node:tls');
import { stringify } from 'yaml';
import { SimCluster } from '../../../simcluster/apiServer';
import { ClusterAccess, loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import { KubeApiError, KubeClient } from '../../../src/core/kube/kubeClient';
import { statedOptions } from '../../../src/core/kube/clusterCredentials';
import { inClusterContext } from '../../../src/core/kube/inCluster';
import { Inventory } from '../../../src/core/inventory/inventory';
import { Discovery } from '../../../src/core/kube/discovery';
import { KubeconfigWatch } from '../../../src/core/kube/kubeconfigWatch';
import { NewEvent } from '../../../src/core/events/types';
import { eventually } from '../../support/simHarness';
import { startConnectProxy } from '../../support/connectProxy';
import { startSocksProxy } from '../../support/socksProxy';
import { writeExecPlugin } from '../../support/execPlugin';

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** A kubeconfig with one context per user entry, all on one cluster entry. */
function kubeconfigFile(dir: string, cluster: Record<string, unknown>, users: Record<string, Record<string, unknown>>): string {
  const file = path.join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
  const names = Object.keys(users);
  fs.writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster }],
      users: names.map((name) => ({ name, user: users[name] })),
      contexts: names.map((name) => ({ name, context: { cluster: 'c', user: name } })),
      'current-context': names[0],
    }),
  );
  return file;
}

function accessOf(file: string, context: string): ClusterAccess {
  const resolution = loadKubeconfig([file]).contexts.find((c) => (c.ok ? c.access.context : c.context) === context);
  assert.ok(resolution?.ok, `context ${context}: ${resolution && !resolution.ok ? resolution.reason : 'missing'}`);
  return resolution.access;
}

async function namespaces(access: ClusterAccess): Promise<string[]> {
  const client = new KubeClient(access);
  try {
    const list = await client.getJson<{ items: { metadata: { name: string } }[] }>('/api/v1/namespaces', { timeoutMs: 10_000 });
    return list.items.map((i) => i.metadata.name).sort();
  } finally {
    client.dispose();
  }
}

async function failure(work: Promise<unknown>): Promise<KubeApiError> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof KubeApiError, `not a KubeApiError: ${error}`);
    return error;
  }
  assert.fail('the request succeeded');
}

describe('cluster access through @kubernetes/client-node (exec certificates, proxies, tls-server-name, in-cluster, OIDC)', function () {
  this.timeout(60_000);
  let dir: string;
  const clusters: SimCluster[] = [];
  const start = async (options: Parameters<typeof SimCluster.start>[0] = {}) => {
    const cluster = await SimCluster.start({ users: [{ name: 'admin', token: 'admin-token' }], ...options });
    clusters.push(cluster);
    return cluster;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshery-access-'));
  });
  afterEach(async () => {
    await Promise.all(clusters.splice(0).map((c) => c.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('builds one TLS context for all the connections of a session, and says which context has an unusable client certificate or key', async () => {
    const cluster = await start();
    const file = kubeconfigFile(dir, { server: cluster.url, 'certificate-authority-data': b64(cluster.caPem!) }, { admin: { token: 'admin-token' } });
    const client = new KubeClient(accessOf(file, 'admin'));
    const original = tls.createSecureContext;
    let built = 0;
    tls.createSecureContext = (options) => (built++, original(options));
    try {
      // Eight lists at once open eight connections, as a sync's lists do.
      await Promise.all(Array.from({ length: 8 }, () => client.getJson('/api/v1/namespaces', { timeoutMs: 10_000 })));
    } finally {
      tls.createSecureContext = original;
      client.dispose();
    }
    assert.equal(built, 1, 'one context, not one per connection');

    const unusable = kubeconfigFile(
      dir,
      { server: cluster.url, 'certificate-authority-data': b64(cluster.caPem!) },
      { admin: { 'client-certificate-data': b64('not a certificate'), 'client-key-data': b64('not a key') } },
    );
    const refused = await failure(namespaces(accessOf(unusable, 'admin')));
    assert.equal(refused.reason, 'AuthConfig');
    assert.match(refused.message, /certificate authority, client certificate or key of context "admin" cannot be used/);
  });

  it('applies tokens, token files, basic auth, client certificates and TLS settings as the library would, without loading it', async () => {
    const cluster = await start();
    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, 'admin-token\n');
    const ca = b64(cluster.caPem!);
    const file = kubeconfigFile(
      dir,
      { server: cluster.url, 'certificate-authority-data': ca, 'tls-server-name': 'localhost' },
      {
        admin: { token: 'admin-token' },
        fromFile: { tokenFile },
        basic: { username: 'ann', password: 'p:w' },
        certified: { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') },
      },
    );
    const { KubeConfig } = await import('@kubernetes/client-node');
    // The library itself reads no token file (we give it the token); the rest it reads from the file.
    assert.deepEqual(statedOptions(accessOf(file, 'fromFile')).headers, { Authorization: 'Bearer admin-token' });
    for (const context of ['admin', 'basic', 'certified']) {
      const access = accessOf(file, context);
      const library = new KubeConfig();
      library.loadFromFile(file);
      library.setCurrentContext(context);
      const expected: https.RequestOptions & { headers: Record<string, string>; auth?: string } = { headers: {} };
      await library.applyToHTTPSOptions(expected);
      const stated = statedOptions(access);
      for (const key of ['headers', 'auth', 'ca', 'cert', 'key', 'rejectUnauthorized', 'servername'] as const) {
        assert.deepEqual(stated[key], expected[key], `${context}: ${key}`);
      }
    }
    // Its 200 KB are not loaded when no context needs a plugin, a provider or a proxy.
    const script = `
      const { loadKubeconfig } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/core/kube/kubeconfig.js'))});
      const { KubeClient } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/core/kube/kubeClient.js'))});
      const access = loadKubeconfig([${JSON.stringify(file)}]).contexts.find((c) => c.ok && c.access.context === 'admin').access;
      const client = new KubeClient(access);
      client.getJson('/api/v1/namespaces', { timeoutMs: 10000 }).then((list) => {
        client.dispose();
        const loaded = Object.keys(require.cache).some((name) => name.includes('@kubernetes'));
        console.log(JSON.stringify({ namespaces: list.items.length, loaded }));
      });`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['-e', script], { env: { ...process.env, HTTPS_PROXY: '', https_proxy: '' } }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    const answer = JSON.parse(out) as { namespaces: number; loaded: boolean };
    assert.ok(answer.namespaces > 0);
    assert.equal(answer.loaded, false, '@kubernetes/client-node was loaded');
  });

  it('authenticates with the client certificate an exec plugin returns (EKS, AKS kubelogin, GKE style), and is refused without it', async () => {
    const cluster = await start();
    const certificate = cluster.clientCertificate('admin');
    const plugin = writeExecPlugin(dir, [{ clientCertificateData: certificate.certPem, clientKeyData: certificate.keyPem }]);
    const file = kubeconfigFile(
      dir,
      { server: cluster.url, 'certificate-authority-data': b64(cluster.caPem!) },
      { exec: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin.command, args: plugin.args } }, none: {} },
    );
    assert.deepEqual(await namespaces(accessOf(file, 'exec')), ['default', 'kube-system']);
    assert.equal(plugin.runs().length, 1);
    assert.match(plugin.runs()[0].info ?? '', /"kind":"ExecCredential"/, 'the plugin is told which cluster it is for (KUBERNETES_EXEC_INFO)');
    const refused = await failure(namespaces(accessOf(file, 'none')));
    assert.equal(refused.status, 401);
  });

  it('runs an exec plugin once per session, again when its credential expires or is refused, and never two at once for one user', async () => {
    const cluster = await start();
    const soon = new Date(Date.now() + 12_000).toISOString(); // renewed 10 s before expiry: 2 s from now
    const expiring = writeExecPlugin(dir, [{ token: 'admin-token', expirationTimestamp: soon }]);
    const refusedFirst = writeExecPlugin(dir, [{ token: 'stale', expirationTimestamp: 'not a date' }, { token: 'admin-token', expirationTimestamp: 'not a date' }]);
    const slow = writeExecPlugin(dir, [{ token: 'admin-token' }], 300);
    const file = kubeconfigFile(
      dir,
      { server: cluster.url, 'certificate-authority-data': b64(cluster.caPem!) },
      {
        expiring: { exec: { command: expiring.command, args: expiring.args } },
        refused: { exec: { command: refusedFirst.command, args: refusedFirst.args } },
        slow: { exec: { command: slow.command, args: slow.args } },
      },
    );

    const client = new KubeClient(accessOf(file, 'expiring'));
    await client.getJson('/api/v1/namespaces');
    await client.getJson('/api/v1/namespaces');
    assert.equal(expiring.runs().length, 1, 'one run for requests within the credential lifetime');
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    await client.getJson('/api/v1/namespaces');
    assert.equal(expiring.runs().length, 2, 'run again once the credential is about to expire');
    client.dispose();

    // A malformed expiry is "no expiry": the plugin runs again only after the server refused it.
    const again = new KubeClient(accessOf(file, 'refused'));
    assert.equal((await failure(again.getJson('/api/v1/namespaces'))).status, 401);
    await again.getJson('/api/v1/namespaces');
    await again.getJson('/api/v1/namespaces');
    assert.equal(refusedFirst.runs().length, 2);
    again.dispose();

    // Two clusters (contexts) of one user asking at once: the plugin runs one at a time.
    const access = accessOf(file, 'slow');
    await Promise.all([namespaces(access), namespaces({ ...access, context: 'slow-2' })]);
    const [first, second] = slow.runs().sort((a, b) => a.start - b.start);
    assert.ok(second.start >= first.end, `the runs overlapped: ${JSON.stringify(slow.runs())}`);
  });

  it('says clearly when an exec plugin is missing, fails, or prints no credential', async () => {
    const cluster = await start();
    const empty = writeExecPlugin(dir, [{}]);
    const file = kubeconfigFile(
      dir,
      { server: cluster.url, 'certificate-authority-data': b64(cluster.caPem!) },
      {
        missing: { exec: { command: 'meshery-no-such-plugin' } },
        failing: { exec: { command: process.execPath, args: ['-e', 'console.error("login required: run aws sso login"); process.exit(3)'] } },
        empty: { exec: { command: empty.command, args: empty.args } },
      },
    );
    assert.match((await failure(namespaces(accessOf(file, 'missing')))).message, /"meshery-no-such-plugin" was not found on PATH/);
    assert.match((await failure(namespaces(accessOf(file, 'failing')))).message, /failed: login required: run aws sso login/);
    assert.match((await failure(namespaces(accessOf(file, 'empty')))).message, /returned neither a token nor a client certificate/);
  });

  it('reaches an API server only reachable through the kubeconfig proxy-url (HTTP CONNECT), or HTTPS_PROXY without one', async () => {
    const cluster = await start({ serverNames: ['sim-apiserver.invalid'] });
    const proxy = await startConnectProxy();
    try {
      const server = `https://sim-apiserver.invalid:${cluster.port}`;
      const direct = kubeconfigFile(dir, { server, 'certificate-authority-data': b64(cluster.caPem!) }, { admin: { token: 'admin-token' } });
      const proxied = kubeconfigFile(dir, { server, 'certificate-authority-data': b64(cluster.caPem!), 'proxy-url': proxy.url }, { admin: { token: 'admin-token' } });
      assert.match((await failure(namespaces(accessOf(direct, 'admin')))).message, /could not be resolved|could not be reached/);
      assert.deepEqual(await namespaces(accessOf(proxied, 'admin')), ['default', 'kube-system']);
      assert.deepEqual(proxy.tunnels, [`sim-apiserver.invalid:${cluster.port}`]);

      // With no proxy-url, HTTPS_PROXY is used as kubectl uses it, unless NO_PROXY names the server.
      const saved = { https: process.env.HTTPS_PROXY, no: process.env.NO_PROXY };
      try {
        process.env.HTTPS_PROXY = proxy.url;
        delete process.env.NO_PROXY;
        assert.deepEqual(await namespaces(accessOf(direct, 'admin')), ['default', 'kube-system']);
        assert.equal(proxy.tunnels.length, 2);
        process.env.NO_PROXY = '.invalid';
        assert.match((await failure(namespaces(accessOf(direct, 'admin')))).message, /could not be resolved|could not be reached/);
      } finally {
        for (const [name, value] of [['HTTPS_PROXY', saved.https], ['NO_PROXY', saved.no]] as const) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
    } finally {
      await proxy.stop();
    }
  });

  it('reaches an API server only reachable through a SOCKS5 proxy-url, the name resolved by the proxy', async () => {
    const cluster = await start({ serverNames: ['sim-apiserver.invalid'] });
    const proxy = await startSocksProxy();
    try {
      const server = `https://sim-apiserver.invalid:${cluster.port}`;
      const proxied = kubeconfigFile(dir, { server, 'certificate-authority-data': b64(cluster.caPem!), 'proxy-url': proxy.url }, { admin: { token: 'admin-token' } });
      assert.deepEqual(await namespaces(accessOf(proxied, 'admin')), ['default', 'kube-system']);
      assert.deepEqual(proxy.tunnels, [`sim-apiserver.invalid:${cluster.port}`]);
    } finally {
      await proxy.stop();
    }
  });

  it('checks the server certificate against tls-server-name when the URL names another host', async () => {
    const cluster = await start({ serverNames: ['kubernetes.default.svc'] });
    const cluster0 = { server: cluster.url, 'certificate-authority-data': b64(cluster.caPem!) };
    const plain = kubeconfigFile(dir, cluster0, { admin: { token: 'admin-token' } });
    const named = kubeconfigFile(dir, { ...cluster0, 'tls-server-name': 'kubernetes.default.svc' }, { admin: { token: 'admin-token' } });
    assert.match((await failure(namespaces(accessOf(plain, 'admin')))).message, /not trusted|altnames|does not match/i);
    assert.deepEqual(await namespaces(accessOf(named, 'admin')), ['default', 'kube-system']);
  });

  it('uses the pod service account when running in a cluster with no kubeconfig', async () => {
    const cluster = await start();
    const root = path.join(dir, 'pod');
    const folder = path.join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'token'), 'admin-token');
    fs.writeFileSync(path.join(folder, 'ca.crt'), cluster.caPem!);
    fs.writeFileSync(path.join(folder, 'namespace'), 'default');
    const env = { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(cluster.port) };
    const loaded = loadKubeconfig([], { env, root });
    assert.equal(loaded.currentContext, inClusterContext);
    const [resolution] = loaded.contexts;
    assert.ok(resolution.ok);
    assert.equal(resolution.access.server, cluster.url);
    assert.equal(resolution.access.namespace, 'default');
    assert.deepEqual(await namespaces(resolution.access), ['default', 'kube-system']);
    assert.equal(loadKubeconfig([], { env: {}, root }).contexts.length, 0, 'outside a pod there is no such context');
  });

  it('uses a valid OIDC id-token, and says how to refresh an expired one instead of failing obscurely', async () => {
    const jwt = (exp: number) => `${b64('{"alg":"none"}')}.${Buffer.from(JSON.stringify({ sub: 'me', exp })).toString('base64url')}.sig`;
    const valid = jwt(Math.floor(Date.now() / 1000) + 3600);
    const cluster = await start({ users: [{ name: 'oidc', token: valid }] });
    const provider = (idToken: string) => ({ 'auth-provider': { name: 'oidc', config: { 'id-token': idToken, 'refresh-token': 'r', 'idp-issuer-url': 'https://issuer.invalid', 'client-id': 'k' } } });
    const file = kubeconfigFile(dir, { server: cluster.url, 'certificate-authority-data': b64(cluster.caPem!) }, { valid: provider(valid), expired: provider(jwt(1_600_000_000)) });
    assert.deepEqual(await namespaces(accessOf(file, 'valid')), ['default', 'kube-system']);
    const expired = await failure(namespaces(accessOf(file, 'expired')));
    assert.match(expired.message, /id-token of user "expired" expired at 2020-09-13.*kubectl --context expired get namespaces/);
  });

  it('picks up a token rewritten in the kubeconfig file without "Discover Now", and leaves unchanged contexts running', async () => {
    const cluster = await start({ users: [{ name: 'admin', token: 'admin-token' }, { name: 'other', token: 'other-token' }] });
    const clusterEntry = { server: cluster.url, 'certificate-authority-data': b64(cluster.caPem!) };
    const file = path.join(dir, 'config');
    const write = (adminToken: string) =>
      fs.writeFileSync(file, fs.readFileSync(kubeconfigFile(dir, clusterEntry, { admin: { token: adminToken }, other: { token: 'other-token' } })));
    write('expired-token');
    const inventory = new Inventory();
    const events: NewEvent[] = [];
    const discovery = new Discovery(inventory, (e) => events.push(e));
    const watch = new KubeconfigWatch(() => [file], () => discovery.start({ kubeconfigFiles: [file] }, true), 100, 50);
    try {
      discovery.start({ kubeconfigFiles: [file] });
      await discovery.whenSettled();
      const state = (context: string) => discovery.clusters().find((c) => c.access.context === context)?.status().state;
      assert.equal(state('admin'), 'error');
      const other = discovery.clusters().find((c) => c.access.context === 'other');
      await new Promise((resolve) => setTimeout(resolve, 1100)); // a new mtime second on coarse file systems
      write('admin-token');
      await eventually(() => state('admin') === 'synced', 15_000, () => `admin is ${state('admin')}`);
      assert.equal(discovery.clusters().find((c) => c.access.context === 'other'), other, 'the unchanged context kept its sync');
      assert.equal(discovery.clusters().length, 2);
    } finally {
      watch.dispose();
      discovery.dispose();
      inventory.dispose();
    }
  });
});
