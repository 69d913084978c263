import * as assert from 'node:assert/strict';
import { SimCluster } from '../../../simcluster/apiServer';
import { ProbeError, probe } from '../../../src/core/connectivity/probe';
import { proxyFor } from '../../../src/core/common/proxySettings';
import { testGrafana } from '../../../src/core/connectivity/testers';
import { startConnectProxy } from '../../support/connectProxy';
import { FakeGrafana, startFakeGrafana } from '../../support/fakeGrafana';

describe('proxies for Prometheus and Grafana (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, http.proxy)', function () {
  this.timeout(30_000);

  it('picks the proxy as curl does, with NO_PROXY exceptions', () => {
    const env = { HTTPS_PROXY: 'http://secure-proxy:3128', http_proxy: 'http://plain-proxy:3128', NO_PROXY: 'localhost,.corp.example, internal.example:8443,10.0.0.0/8,[::1]' };
    const via = (url: string, extra: Parameters<typeof proxyFor>[1] = {}) => proxyFor(new URL(url), { env, ...extra });
    assert.equal(via('https://grafana.example.com'), 'http://secure-proxy:3128');
    assert.equal(via('http://grafana.example.com'), 'http://plain-proxy:3128', 'lower-case names count too');
    assert.equal(via('http://localhost:9090'), undefined);
    assert.equal(via('https://prometheus.corp.example'), undefined, 'a domain suffix');
    assert.equal(via('https://corp.example'), undefined, 'the domain itself');
    assert.equal(via('https://notcorp.example'), 'http://secure-proxy:3128', 'a suffix matches on a dot boundary only');
    assert.equal(via('https://internal.example:8443'), undefined);
    assert.equal(via('https://internal.example'), 'http://secure-proxy:3128', 'another port');
    assert.equal(via('http://10.1.2.3:9090'), undefined, 'a CIDR range');
    assert.equal(via('http://11.1.2.3:9090'), 'http://plain-proxy:3128');
    assert.equal(via('http://[::1]:9090'), undefined, 'an IPv6 address');
    assert.equal(via('https://grafana.example.com', { url: 'http://vscode-proxy:8080' }), 'http://vscode-proxy:8080', "VS Code's http.proxy wins");
    assert.equal(via('https://grafana.example.com', { noProxy: ['grafana.example.com'] }), undefined, "VS Code's http.noProxy adds exceptions");
    assert.equal(proxyFor(new URL('https://x.example'), { env: { NO_PROXY: '*', HTTPS_PROXY: 'http://p:1' } }), undefined);
    assert.equal(proxyFor(new URL('https://x.example'), { env: {} }), undefined, 'no proxy set: direct');
  });

  describe('against a proxy in front of the services', () => {
    let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
    let grafana: FakeGrafana;
    const credential = { token: 'admin:secret' };
    before(async () => {
      proxy = await startConnectProxy();
      grafana = await startFakeGrafana({ user: 'admin', password: 'secret', apiKey: 'key' });
    });
    after(async () => {
      await proxy.stop();
      await grafana.stop();
    });

    it('reaches a Grafana only reachable through HTTP_PROXY, its credential inside the tunnel', async () => {
      const port = new URL(grafana.url).port;
      const url = `http://grafana.invalid:${port}`;
      const direct = await testGrafana({ url, credential, timeoutMs: 5_000, basicForColon: true });
      assert.equal(direct.reached, false);
      proxy.tunnels.length = 0;
      const proxied = await testGrafana({ url, credential, timeoutMs: 5_000, basicForColon: true, proxy: { env: { HTTP_PROXY: proxy.url } } });
      assert.equal(proxied.reached, true, JSON.stringify(proxied));
      // The agent tunnels plain http too (CONNECT), so the proxy sees only where, never the credential.
      assert.deepEqual(proxy.tunnels, [`grafana.invalid:${port}`, `grafana.invalid:${port}`]);
    });

    it("goes direct for NO_PROXY hosts, and names the proxy when going through it fails", async () => {
      const dead = 'http://127.0.0.1:9';
      const bypassed = await testGrafana({ url: grafana.url, credential, timeoutMs: 5_000, basicForColon: true, proxy: { env: { HTTP_PROXY: dead, NO_PROXY: '127.0.0.1' } } });
      assert.equal(bypassed.reached, true, JSON.stringify(bypassed));
      const failed = await testGrafana({ url: grafana.url, credential, timeoutMs: 5_000, basicForColon: true, proxy: { env: { HTTP_PROXY: dead } } });
      assert.equal(failed.reached, false);
      assert.match(failed.failure?.message ?? '', /through the proxy http:\/\/127\.0\.0\.1:9/);
      assert.match(failed.failure?.advice ?? '', /NO_PROXY/);
    });

    it('tunnels https through CONNECT and still checks the service certificate against its CA', async () => {
      const tlsServer = await SimCluster.start({ serverNames: ['service.invalid'] });
      try {
        const url = `https://service.invalid:${tlsServer.port}/livez`;
        const ok = await probe(url, { timeoutMs: 5_000, ca: Buffer.from(tlsServer.caPem!), proxy: proxy.url });
        assert.equal(ok.status, 200);
        assert.ok(proxy.tunnels.includes(`service.invalid:${tlsServer.port}`));
        await assert.rejects(probe(url, { timeoutMs: 5_000, proxy: proxy.url }), (error: ProbeError) => error.failure.class === 'tls');
      } finally {
        await tlsServer.stop();
      }
    });
  });
});
