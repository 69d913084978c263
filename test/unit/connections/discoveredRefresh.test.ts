import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConnectionService } from '../../../src/core/connections/connectionService';
import { EventLog } from '../../../src/core/events/eventLog';
import { ConnectionCandidate, Signal } from '../../../src/core/registry/connectionCandidates';
import { openStore } from '../../../src/core/store/openStore';
import { Store } from '../../../src/core/store/store';

const silent = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const origin = { context: 'ctx', server: 'https://127.0.0.1:6443' };
const label: Signal = { type: 'label', detail: 'service label app.kubernetes.io/name=prometheus', strong: true };
const resource: Signal = { type: 'custom-resource', detail: 'prometheuses monitoring/k8s', strong: true };

function candidate(signals: Signal[], external?: string): ConnectionCandidate {
  return {
    kind: 'prometheus',
    clusterId: 'c1',
    name: 'prometheus-k8s',
    namespace: 'monitoring',
    objectUid: 'uid-1',
    signals,
    port: 9090,
    urls: { inCluster: 'http://prometheus-k8s.monitoring.svc:9090', proxyPath: '/api/v1/namespaces/monitoring/services/prometheus-k8s:9090/proxy/', ...(external ? { external } : {}) },
  };
}

describe('a discovered connection follows what discovery learns until it is registered', () => {
  let dir: string;
  let store: Store;
  let connections: ConnectionService;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshery-refresh-'));
    ({ store } = await openStore({ path: path.join(dir, 'meshery.db'), logger: silent, saveDelayMs: 20 }));
    connections = new ConnectionService(store, new EventLog(store, { retention: 1000, logger: silent }));
  });
  after(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes a later custom-resource signal and an outside address, then stops once registered', async () => {
    connections.syncCandidates('c1', origin, [candidate([label])], false);
    const [first] = connections.list();
    assert.deepEqual(first.modelReference, { model: 'kubernetes', component: 'Service' });
    const updatedAt = first.updatedAt;
    connections.syncCandidates('c1', origin, [candidate([label])], false);
    assert.equal(connections.get(first.id)!.updatedAt, updatedAt, 'nothing new: nothing written');

    connections.syncCandidates('c1', origin, [candidate([label, resource], 'http://203.0.113.7:9090')], true);
    const refreshed = connections.get(first.id)!;
    assert.deepEqual(refreshed.modelReference, { model: 'prometheus-operator', component: 'Prometheus' });
    assert.equal(refreshed.url, 'http://203.0.113.7:9090');
    assert.deepEqual(refreshed.metadata.signals, [label.detail, resource.detail]);

    await connections.register(first.id, { skipVerification: true });
    connections.syncCandidates('c1', origin, [candidate([label])], true);
    assert.deepEqual(connections.get(first.id)!.modelReference, { model: 'prometheus-operator', component: 'Prometheus' }, 'a registered connection keeps what the user confirmed');
  });

  it('proposes a deleted one again as a new discovered connection while it is in the cluster; the deleted row stays deleted', () => {
    const registered = connections.list().find((c) => c.name === 'prometheus-k8s (monitoring)')!;
    connections.changeStatus(registered.id, 'deleted');
    connections.syncCandidates('c1', origin, [candidate([label, resource])], true);
    const rows = connections.list().filter((c) => c.name === 'prometheus-k8s (monitoring)');
    assert.deepEqual(rows.map((c) => c.status).sort(), ['deleted', 'discovered']);
    assert.equal(connections.get(registered.id)?.status, 'deleted');
  });

  it('moves a cluster connection whose kubeconfig context is gone to not found, and back to discovered when it returns', () => {
    const cluster: ConnectionCandidate = { kind: 'kubernetes', clusterId: 'c2', name: 'gone', namespace: undefined, objectUid: undefined, signals: [], urls: { server: 'https://10.0.0.1' } };
    connections.syncCandidates('c2', { context: 'gone', server: 'https://10.0.0.1' }, [cluster], true);
    const find = () => connections.list().find((c) => c.kind === 'kubernetes' && c.metadata.context === 'gone')!;
    assert.equal(find().status, 'discovered');
    connections.syncContexts(['ctx', 'other']);
    assert.equal(find().status, 'not found');
    connections.syncContexts(['ctx', 'gone']);
    connections.syncCandidates('c2', { context: 'gone', server: 'https://10.0.0.1' }, [cluster], true);
    assert.equal(find().status, 'discovered');
  });
});
