import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { silentLogger } from '../../../src/core/common/logger';
import { ConnectionService } from '../../../src/core/connections/connectionService';
import { TestResult } from '../../../src/core/connectivity/testers';
import { ConnectionCandidate } from '../../../src/core/registry/connectionCandidates';
import { EventLog } from '../../../src/core/events/eventLog';
import { openStore } from '../../../src/core/store/openStore';
import { Store } from '../../../src/core/store/store';
import { eventually } from '../../support/simHarness';
import { useTempDir } from '../../support/tempDir';

interface Window {
  readonly store: Store;
  readonly events: EventLog;
  readonly connections: ConnectionService;
}

async function openWindow(file: string): Promise<Window> {
  // A long save delay: each window saves only when the test says so, as two windows that both
  // changed something before either saved.
  const { store } = await openStore({ path: file, logger: silentLogger, saveDelayMs: 60_000 });
  const events = new EventLog(store, { retention: 10_000 });
  return { store, events, connections: new ConnectionService(store, events) };
}

const reached: TestResult = { reached: true, kind: 'prometheus', url: 'http://127.0.0.1:9090', path: 'direct', latencyMs: 3, steps: [] };

describe('two windows changing the status of one connection', function () {
  this.timeout(30_000);
  const tmp = useTempDir();
  let a: Window;
  let b: Window;
  let id: string;

  beforeEach(async () => {
    const file = path.join(tmp.path, 'meshery.db');
    const first = await openWindow(file);
    id = first.connections.createManual({ kind: 'prometheus', name: 'Prometheus', url: 'http://127.0.0.1:9090' }).id;
    await first.connections.register(id, { test: async () => reached });
    assert.equal(first.connections.get(id)?.status, 'connected');
    await first.store.close();
    [a, b] = [await openWindow(file), await openWindow(file)];
  });
  afterEach(async () => {
    await a.store.close();
    await b.store.close();
  });

  // The status events after the registration that set the connection up.
  const statusEvents = (w: Window) =>
    w.events
      .query({ actions: ['status'] })
      .map((e) => `${e.metadata.previous} → ${e.metadata.current}`)
      .filter((t) => t !== 'registered → connected');

  it('keeps the status saved first; the other window\'s stale transition and its event do not replay over it', async () => {
    a.connections.changeStatus(id, 'maintenance');
    b.connections.changeStatus(id, 'disconnected');
    await a.store.flush();
    // b saves after a: it merges a's file and replays its own journal on top.
    await b.store.flush();

    assert.equal(b.connections.get(id)?.status, 'maintenance', "a's choice stands in b");
    assert.deepEqual(statusEvents(b), ['connected → maintenance'], 'no event claims a transition that did not happen');
    const reopened = await openWindow(path.join(tmp.path, 'meshery.db'));
    assert.equal(reopened.connections.get(id)?.status, 'maintenance', 'and on disk');
    await reopened.store.close();
  });

  it('never replays a transition the status machine forbids from the merged status', async () => {
    // a deletes (final); b, not knowing, puts it into maintenance. Replayed onto "deleted", the
    // maintenance transition would bring a deleted row back to life.
    a.connections.changeStatus(id, 'deleted');
    b.connections.changeStatus(id, 'maintenance');
    await a.store.flush();
    await b.store.flush();

    assert.equal(b.connections.get(id)?.status, 'deleted');
    assert.deepEqual(statusEvents(b), ['connected → deleted']);
  });

  it('applies both windows\' changes when they do not conflict', async () => {
    let bNotified = 0;
    b.connections.onDidChange(() => bNotified++);
    a.connections.changeStatus(id, 'maintenance');
    await a.store.flush();
    // b's file watcher merges a's save before b's user acts, and b's views are told to refresh.
    await eventually(() => b.connections.get(id)?.status === 'maintenance', 10_000, () => 'b never merged a\'s save');
    assert.ok(bNotified > 0, "b's Connections view is told of the merged change");
    b.connections.changeStatus(id, 'disconnected');
    await b.store.flush();

    assert.equal(b.connections.get(id)?.status, 'disconnected');
    assert.deepEqual(statusEvents(b), ['maintenance → disconnected', 'connected → maintenance']);
  });
});

describe('two windows discovering the same Service before either saved', function () {
  this.timeout(30_000);
  const tmp = useTempDir();

  it('keep one discovered connection and one "discovered" event after they merge', async () => {
    const file = path.join(tmp.path, 'meshery.db');
    await (await openWindow(file)).store.close();
    const [a, b] = [await openWindow(file), await openWindow(file)];
    const candidate: ConnectionCandidate = {
      kind: 'prometheus',
      clusterId: 'cluster-1',
      name: 'prometheus-k8s',
      namespace: 'monitoring',
      objectUid: 'svc-uid-1',
      signals: [{ type: 'label', detail: 'app.kubernetes.io/name=prometheus', strong: true }],
      urls: { inCluster: 'http://prometheus-k8s.monitoring.svc:9090' },
      port: 9090,
    };
    const origin = { context: 'ctx', server: 'https://127.0.0.1:6443' };
    a.connections.syncCandidates('cluster-1', origin, [candidate], true);
    b.connections.syncCandidates('cluster-1', origin, [candidate], true);
    await a.store.flush();
    await b.store.flush(); // merges a's save and replays its own proposal of the same Service

    assert.equal(b.connections.list().filter((c) => c.kind === 'prometheus').length, 1);
    assert.equal(b.events.query({ actions: ['discover'] }).length, 1);
    await a.store.close();
    await b.store.close();
  });
});
