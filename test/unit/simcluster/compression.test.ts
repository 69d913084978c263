import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as http from 'node:http';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ClusterAccess, loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import { KubeApiError, KubeClient } from '../../../src/core/kube/kubeClient';
import { SimFixture, startSim } from '../../support/simHarness';

function adminAccess(sim: SimFixture): ClusterAccess {
  const context = loadKubeconfig([sim.kubeconfig]).contexts.find((c) => c.ok && c.access.context === 'sim-admin');
  if (!context?.ok) throw new Error('no sim-admin context');
  return context.access;
}

/** One GET to the simulated server, as raw as it comes: its headers and the bytes sent. */
function rawGet(sim: SimFixture, path: string, headers: Record<string, string>): Promise<{ headers: Record<string, string | string[] | undefined>; bytes: Buffer }> {
  const access = adminAccess(sim);
  return new Promise((resolve, reject) => {
    const request = https.get(`${access.server}${path}`, { ca: access.ca, headers: { Authorization: `Bearer ${access.token}`, ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, bytes: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
  });
}

/**
 * Answers compressed as kube-apiserver compresses them (APIResponseCompression: gzip at level 1
 * for a GET or LIST answer over 128 KB, when the client accepts gzip), proven with kubectl (Go's
 * transport asks for gzip on its own) and read by the extension's client.
 */
describe('compressed answers, as a real API server sends them', function () {
  this.timeout(60_000);
  let sim: SimFixture;

  before(async () => {
    // About 700 running pods: pages of 500 of them are 3 MB.
    sim = await startSim({ generate: { objects: 3000, seed: 3 } });
  });
  after(async () => sim?.stop());

  it('gzips a list page over 128 KB only for a client that accepts gzip, and small answers never', async () => {
    const page = '/api/v1/pods?limit=500';
    const plain = await rawGet(sim, page, {});
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok(plain.bytes.length > 128 * 1024, `${plain.bytes.length} bytes`);
    const zipped = await rawGet(sim, page, { 'Accept-Encoding': 'gzip' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'Accept-Encoding');
    assert.ok(zipped.bytes.length < plain.bytes.length / 4, `${zipped.bytes.length} of ${plain.bytes.length} bytes`);
    assert.deepEqual(JSON.parse(gunzipSync(zipped.bytes).toString('utf8')).items, JSON.parse(plain.bytes.toString('utf8')).items);
    assert.equal((await rawGet(sim, page, { 'Accept-Encoding': 'gzip;q=0, identity' })).headers['content-encoding'], undefined, 'q=0 refuses it');
    assert.equal((await rawGet(sim, '/api/v1/pods?limit=5', { 'Accept-Encoding': 'gzip' })).headers['content-encoding'], undefined, 'a small page');
  });

  it('kubectl reads the compressed pages (client-go asks for gzip on its own)', async () => {
    const before = sim.cluster.gzippedAnswers;
    const { stdout, code, stderr } = await new Promise<{ stdout: string; stderr: string; code: number }>((resolve) => {
      execFile('kubectl', ['get', 'pods', '-A', '-o', 'json', '--chunk-size=500'], { env: { ...process.env, KUBECONFIG: sim.kubeconfig, HOME: sim.dir }, maxBuffer: 256 * 1024 * 1024 }, (error, out, err) =>
        resolve({ stdout: out, stderr: err, code: error ? Number((error as { code?: number }).code ?? 1) : 0 }),
      );
    });
    assert.equal(code, 0, stderr);
    const names = (JSON.parse(stdout) as { items: { metadata: { namespace: string; name: string } }[] }).items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort();
    assert.deepEqual(names, sim.cluster.store.list('/pods').map((p) => `${p.namespace}/${p.name}`).sort());
    assert.ok(sim.cluster.gzippedAnswers > before, 'kubectl was sent gzipped pages');
  });

  it("the extension's client asks for gzip for what it reads whole, reads a list page the same either way, and never asks for it on a watch", async () => {
    const client = new KubeClient(adminAccess(sim));
    try {
      const before = sim.cluster.gzippedAnswers;
      const page = await client.getList('/api/v1/pods?limit=500', 65_536);
      const items: unknown[] = [];
      for (let i = 0; i < page.sliceCount; i++) items.push(...page.slice(i));
      page.release();
      assert.equal(sim.cluster.gzippedAnswers, before + 1);
      const plain = JSON.parse((await rawGet(sim, '/api/v1/pods?limit=500', {})).bytes.toString('utf8')) as { items: { metadata: Record<string, unknown> }[] };
      // The client leaves managedFields out before parsing (see listBody).
      assert.deepEqual(
        items,
        plain.items.map(({ metadata: { managedFields: _, ...metadata }, ...rest }) => ({ ...rest, metadata })),
      );
      const watched = sim.cluster.gzippedAnswers;
      const controller = new AbortController();
      const watching = client.watch('/api/v1/pods?watch=true&resourceVersion=0', () => controller.abort(), { idleTimeoutMs: 5_000, signal: controller.signal });
      await watching;
      assert.equal(sim.cluster.gzippedAnswers, watched, 'a watch is never compressed');
    } finally {
      client.dispose();
    }
  });

  it('an answer that says it is gzipped and is not fails as a bad response; an inflated answer larger than allowed is not read', async () => {
    const large = JSON.stringify({ kind: 'PodList', metadata: {}, items: Array.from({ length: 2000 }, (_, i) => ({ metadata: { name: `pod-${i}`, uid: String(i) }, spec: { note: 'x'.repeat(2000) } })) });
    const answers = [Buffer.from(large), gzipSync(large)];
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(answers.shift());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new KubeClient({ ...adminAccess(sim), server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ca: undefined });
    try {
      await assert.rejects(client.getList('/api/v1/pods', 65_536), (error: KubeApiError) => error.reason === 'BadResponse' && /does not inflate/.test(error.message));
      // 4 MB once inflated, 30 KB on the wire: the limit is on what is read, not on what was sent.
      assert.ok(gzipSync(large).length < 1024 * 1024);
      await assert.rejects(client.request('/api/v1/pods', { maxBytes: 1024 * 1024 }), (error: KubeApiError) => error.reason === 'TooLarge');
    } finally {
      client.dispose();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
