import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { ProbeError, probe, withSystemRoots } from '../../../src/core/connectivity/probe';
import { KubeApiError, KubeClient } from '../../../src/core/kube/kubeClient';

/** A server that answers at once and then drips one byte every 50 ms for ever, or sends `size` bytes. */
function startServer(behaviour: 'drip' | { size: number }): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    if (behaviour === 'drip') {
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    } else {
      res.end(Buffer.alloc(behaviour.size, 0x20));
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((done) => {
          sockets.forEach((s) => s.destroy());
          server.close(() => done());
        }),
      }),
    ),
  );
}

function kubeClient(server: string): KubeClient {
  return new KubeClient({
    context: 't', kubeconfigFile: '', clusterName: 't', userName: '', namespace: undefined, server, ca: undefined, insecureSkipTlsVerify: false,
    tlsServerName: undefined, clientCert: undefined, clientKey: undefined, token: undefined, tokenFile: undefined, exec: undefined, authProvider: undefined,
  });
}

describe('answers from services: bounded in time and size', function () {
  this.timeout(20_000);

  it('a service that drips its answer is cut off at the deadline, for a direct test and through the API client', async () => {
    const server = await startServer('drip');
    try {
      let started = Date.now();
      const failure = await probe(`${server.url}/-/ready`, { timeoutMs: 600 }).then(() => undefined, (e: ProbeError) => e.failure);
      assert.equal(failure?.class, 'timeout');
      assert.ok(Date.now() - started < 2_000, `stopped after ${Date.now() - started} ms`);

      started = Date.now();
      await assert.rejects(kubeClient(server.url).request('/api/v1/namespaces/x/services/y/proxy/', { timeoutMs: 600 }), (e: KubeApiError) => e.reason === 'Timeout');
      assert.ok(Date.now() - started < 2_000);
    } finally {
      await server.close();
    }
  });

  it('an answer larger than the cap is not read', async () => {
    const server = await startServer({ size: 3 * 1024 * 1024 });
    try {
      const failure = await probe(`${server.url}/api/v1/query`, { timeoutMs: 5_000 }).then(() => undefined, (e: ProbeError) => e.failure);
      assert.equal(failure?.class, 'too-large');
      assert.match(failure?.message ?? '', /larger than 1 MiB/);
      assert.equal((await probe(`${server.url}/x`, { timeoutMs: 5_000, maxBytes: 4 * 1024 * 1024 })).body.length, 3 * 1024 * 1024, 'a larger cap, where one is given, reads it');
      await assert.rejects(kubeClient(server.url).request('/proxy', { maxBytes: 1024 * 1024 }), (e: KubeApiError) => e.reason === 'TooLarge');
    } finally {
      await server.close();
    }
  });

  it('a custom CA is trusted in addition to the system roots, not instead of them', () => {
    const custom = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const trusted = withSystemRoots(custom) ?? [];
    assert.equal(trusted.length, tls.rootCertificates.length + 1);
    assert.ok(tls.rootCertificates.every((root) => trusted.includes(root)));
    assert.equal(withSystemRoots(undefined), undefined, 'without a custom CA, Node uses its own roots');
  });
});
