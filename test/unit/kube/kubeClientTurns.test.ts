import * as assert from 'node:assert/strict';
import * as http from 'node:http';
// The module object itself (an `import * as` copy has read-only bindings): a test wraps ClientRequest.
import httpModule = require('node:http');
import { AddressInfo } from 'node:net';
import { KubeApiError, KubeClient, WatchEvent } from '../../../src/core/kube/kubeClient';
import { turnCounter } from '../../support/turnCounter';

/** A server that answers every request with `body` (and `headers`), written at once, and then ended. */
async function serveOnce(body: string, headers: http.OutgoingHttpHeaders = {}): Promise<{ client: KubeClient; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    // Without a Content-Length the answer goes chunked, as a real API server sends a large list.
    res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new KubeClient({
    context: 't', kubeconfigFile: '', clusterName: 't', userName: '', namespace: undefined, server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ca: undefined, insecureSkipTlsVerify: false, tlsServerName: undefined, clientCert: undefined, clientKey: undefined, token: undefined, tokenFile: undefined,
    exec: undefined, authProvider: undefined,
  });
  return {
    client,
    close: async () => {
      client.dispose();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const added = (n: number) => JSON.stringify({ type: 'ADDED', object: { metadata: { name: `pod-${n}`, resourceVersion: String(n) } } });

describe('the API client in turns: watch events and requests', function () {
  this.timeout(20_000);

  it('hands a burst of events over a batch per turn, every one of them and in order, also those read before the stream ended', async () => {
    const count = 1_000;
    const server = await serveOnce(Array.from({ length: count }, (_, i) => added(i)).join('\n') + '\n');
    const turns = turnCounter();
    const seen: { name: string; turn: number }[] = [];
    try {
      await server.client.watch('/api/v1/pods?watch=1', (event: WatchEvent) => seen.push({ name: (event.object as { metadata: { name: string } }).metadata.name, turn: turns.now() }), { idleTimeoutMs: 10_000 });
    } finally {
      turns.stop();
      await server.close();
    }
    assert.deepEqual(seen.map((s) => s.name), Array.from({ length: count }, (_, i) => `pod-${i}`));
    const perTurn = new Map<number, number>();
    for (const { turn } of seen) perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
    assert.ok(Math.max(...perTurn.values()) <= 50, `${Math.max(...perTurn.values())} events in one turn`);
    assert.ok(perTurn.size >= count / 50, `only ${perTurn.size} turns`);
  });

  it('stops at an ERROR event or a line that is not JSON, delivering nothing after it', async () => {
    for (const [bad, reason] of [
      [JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } }), 'Expired'],
      ['{"type": "ADDED", "object": {', 'BadResponse'],
    ]) {
      const lines = [...Array.from({ length: 120 }, (_, i) => added(i)), bad, ...Array.from({ length: 120 }, (_, i) => added(1000 + i))];
      const server = await serveOnce(lines.join('\n') + '\n');
      const seen: string[] = [];
      try {
        await assert.rejects(
          server.client.watch('/api/v1/pods?watch=1', (event) => seen.push((event.object as { metadata: { name: string } }).metadata.name), { idleTimeoutMs: 10_000 }),
          (error: KubeApiError) => error.reason === reason,
        );
      } finally {
        await server.close();
      }
      assert.deepEqual(seen, Array.from({ length: 120 }, (_, i) => `pod-${i}`), reason);
    }
  });

  it('makes the requests asked for together a turn apart: each new connection costs the extension host a few ms', async () => {
    const server = await serveOnce('{"kind":"NamespaceList","items":[]}');
    const turns = turnCounter();
    const madeIn: number[] = [];
    const original = httpModule.ClientRequest;
    httpModule.ClientRequest = class extends original {
      constructor(...args: ConstructorParameters<typeof original>) {
        super(...args);
        madeIn.push(turns.now());
      }
    } as typeof original;
    try {
      await Promise.all(Array.from({ length: 8 }, () => server.client.getJson('/api/v1/namespaces', { timeoutMs: 10_000 })));
    } finally {
      httpModule.ClientRequest = original;
      turns.stop();
      await server.close();
    }
    assert.equal(madeIn.length, 8);
    assert.equal(new Set(madeIn).size, 8, `made in turns ${madeIn.join(', ')}`);
  });

  it('reads a list answer larger than any buffer, chunk by chunk, into one that grows, and takes that one back', async () => {
    // 3 MB of items, read in the socket's chunks: the buffer grows from 256 KB as they come.
    const items = Array.from({ length: 500 }, (_, i) => ({ metadata: { name: `pod-${i}`, uid: String(i) }, spec: { note: `${i}`.repeat(1500 + (i % 7)) } }));
    const body = JSON.stringify({ kind: 'PodList', metadata: { resourceVersion: '7' }, items });
    const server = await serveOnce(body);
    try {
      for (let round = 0; round < 2; round++) {
        const page = await server.client.getList('/api/v1/pods', 65_536);
        const read: unknown[] = [];
        for (let i = 0; i < page.sliceCount; i++) read.push(...page.slice(i));
        assert.deepEqual(read, items);
        assert.deepEqual(page.envelope.metadata, { resourceVersion: '7' });
        page.release();
      }
      const kept = (server.client as unknown as { bodyBuffers: { keptBytes: number } }).bodyBuffers.keptBytes;
      assert.ok(kept >= body.length && kept <= 64 * 1024 * 1024, `${kept} bytes kept for the next page`);
    } finally {
      await server.close();
    }
  });

  it('reads the next answer to a list into one buffer as large as the largest before, or as its Content-Length says: none is grown and copied again', async () => {
    const items = Array.from({ length: 300 }, (_, i) => ({ metadata: { name: `pod-${i}`, uid: String(i) }, spec: { note: 'x'.repeat(3000) } }));
    const body = JSON.stringify({ kind: 'PodList', metadata: {}, items });
    for (const headers of [{}, { 'Content-Length': Buffer.byteLength(body) }]) {
      const server = await serveOnce(body, headers);
      const buffers = (server.client as unknown as { bodyBuffers: { take(size: number): Buffer } }).bodyBuffers;
      const take = buffers.take.bind(buffers);
      let taken: number[] = [];
      buffers.take = (size: number) => {
        taken.push(size);
        return take(size);
      };
      try {
        const rounds: number[][] = [];
        for (const path of ['/api/v1/pods?limit=500', '/api/v1/pods?limit=500&continue=x']) {
          taken = [];
          (await server.client.getList(path, 65_536)).release();
          rounds.push(taken);
        }
        if (!headers['Content-Length']) assert.ok(rounds[0].length > 2, `the first answer's buffer grew: ${rounds[0].join(', ')}`);
        else assert.deepEqual(rounds[0], [body.length], 'the length said is taken at once');
        assert.deepEqual(rounds[1], [body.length], `then taken at once: ${rounds[1].join(', ')}`);
      } finally {
        // The pool is every client's: its own take() again.
        delete (buffers as { take?: unknown }).take;
        await server.close();
      }
    }
  });
});
