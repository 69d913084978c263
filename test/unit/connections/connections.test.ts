import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Logger } from '../../../src/core/common/logger';
import { ConnectionService } from '../../../src/core/connections/connectionService';
import { CredentialService } from '../../../src/core/connections/credentialService';
import { EnvironmentService } from '../../../src/core/connections/environmentService';
import { ValidationError } from '../../../src/core/connections/types';
import { InvalidTransitionError } from '../../../src/core/connections/statusMachine';
import { testConnection } from '../../../src/core/connectivity/connectionTester';
import { TestResult } from '../../../src/core/connectivity/testers';
import { Connection } from '../../../src/core/connections/types';
import { EventLog } from '../../../src/core/events/eventLog';
import { DiscoveryService } from '../../../src/core/kube/discoveryService';
import { findCandidates } from '../../../src/core/registry/connectionCandidates';
import { openStore } from '../../../src/core/store/openStore';
import { Store } from '../../../src/core/store/store';
import { PrometheusFixture, startPrometheus } from '../../support/prometheusServer';
import { MemorySecrets } from '../../support/memorySecrets';
import { SimFixture, adminUser, startSim } from '../../support/simHarness';

describe('connections, environments and credentials', function () {
  this.timeout(60_000);
  let sim: SimFixture;
  let prometheus: PrometheusFixture;
  let store: Store;
  let events: EventLog;
  let discovery: DiscoveryService;
  let connections: ConnectionService;
  let environments: EnvironmentService;
  let credentials: CredentialService;
  let secrets: MemorySecrets;
  let logged: string[];
  let dbFile: string;
  const prometheusPassword = 'prom-Secret-7f3a9c';

  before(async () => {
    [sim, prometheus] = await Promise.all([
      startSim({ scenario: 'demo', users: [adminUser(), { name: 'viewer', token: 'viewer-token-9d2e', forbidden: [{ group: '', resource: 'secrets' }] }] }),
      startPrometheus({ username: 'meshery', password: prometheusPassword }),
    ]);
    dbFile = path.join(sim.dir, 'meshery.db');
    logged = [];
    const logger: Logger = { trace: (m) => logged.push(m), debug: (m) => logged.push(m), info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) };
    ({ store } = await openStore({ path: dbFile, logger, saveDelayMs: 20 }));
    events = new EventLog(store, { retention: 10_000, logger });
    discovery = new DiscoveryService(store, events);
    connections = new ConnectionService(store, events);
    environments = new EnvironmentService(store, events);
    secrets = new MemorySecrets();
    credentials = new CredentialService(store, secrets, events);
    await discovery.start({ kubeconfigFiles: [sim.kubeconfig] });
    await discovery.whenInitiallySynced();
  });
  after(async () => {
    discovery?.dispose();
    await store?.close();
    await Promise.all([sim?.stop(), prometheus?.stop()]);
  });

  const sync = () => {
    for (const status of discovery.statuses()) {
      connections.syncCandidates(status.clusterId!, { context: status.context, server: status.server }, findCandidates(discovery.inventory, status.clusterId!, { server: status.server, name: status.context }), true);
    }
  };
  const byName = (name: string) => connections.list().find((c) => c.name === name)!;
  const context = () => ({ kubeconfigFiles: [sim.kubeconfig], timeoutMs: 3000, clusterClient: (id: string) => discovery.clientFor(id) });

  it('makes every candidate a discovered connection: a cluster per context, Prometheus and Grafana', () => {
    sync();
    const list = connections.list();
    assert.deepEqual(list.map((c) => `${c.kind}:${c.name}:${c.status}`).sort(), [
      'grafana:grafana (monitoring):discovered',
      'kubernetes:sim-admin:discovered',
      'kubernetes:sim-viewer:discovered',
      'prometheus:prometheus-k8s (monitoring):discovered',
      'prometheus:prometheus-operated (monitoring):discovered',
    ]);
    sync();
    assert.equal(connections.list().length, 5, 'syncing again creates nothing new');
    const grafana = byName('grafana (monitoring)');
    assert.equal(grafana.url, 'http://grafana.monitoring.svc:3000');
    // Found by its labels and image, not by a Grafana Operator resource: it is the plain Service component.
    assert.deepEqual(grafana.modelReference, { model: 'kubernetes', component: 'Service' });
    const prometheus = byName('prometheus-k8s (monitoring)');
    assert.deepEqual(prometheus.modelReference, { model: 'prometheus-operator', component: 'Prometheus' }, 'backed by the Prometheus resource k8s');
    assert.equal(grafana.type, 'telemetry');
    const [discovered] = events.query({ categories: ['connection'], actions: ['discover'], actedUpon: grafana.id });
    assert.deepEqual(discovered.metadata, { previous: null, current: 'discovered', kind: 'grafana' });
  });

  it('shows two contexts reaching the same cluster as duplicates, never merged', () => {
    const admin = byName('sim-admin');
    const viewer = byName('sim-viewer');
    assert.equal(admin.clusterId, viewer.clusterId);
    assert.deepEqual(connections.duplicatesOf(admin).map((c) => c.id), [viewer.id]);
    assert.notEqual(admin.id, viewer.id);
  });

  it('moves a vanished candidate to not found, and back to discovered when it returns', async () => {
    const services = sim.cluster.store.findType('', 'v1', 'services')!;
    const saved = JSON.parse(sim.cluster.store.get('/services', 'monitoring', 'grafana')!.json);
    sim.cluster.store.delete(services, 'monitoring', 'grafana');
    await waitFor(() => ![...discovery.inventory.bucket(sim.cluster.kubeSystemUid, '/services')!.objects.values()].some((s) => s.name === 'grafana'));
    sync();
    assert.equal(byName('grafana (monitoring)').status, 'not found');
    const [gone] = events.query({ categories: ['connection'], actions: ['status'], actedUpon: byName('grafana (monitoring)').id });
    assert.deepEqual({ previous: gone.metadata.previous, current: gone.metadata.current }, { previous: 'discovered', current: 'not found' });

    delete saved.metadata.resourceVersion;
    delete saved.metadata.uid;
    sim.cluster.store.create(services, saved);
    await waitFor(() => [...discovery.inventory.bucket(sim.cluster.kubeSystemUid, '/services')!.objects.values()].some((s) => s.name === 'grafana'));
    sync();
    const back = connections.list().filter((c) => c.kind === 'grafana');
    assert.ok(back.some((c) => c.status === 'discovered'), back.map((c) => c.status).join());
  });

  it('refuses invalid transitions with an error event, and "not found" chosen by a user', () => {
    const prometheusConnection = byName('prometheus-k8s (monitoring)');
    assert.throws(() => connections.changeStatus(prometheusConnection.id, 'connected'), InvalidTransitionError);
    assert.throws(() => connections.changeStatus(prometheusConnection.id, 'not found'), /cannot be chosen/);
    const refusals = events.query({ categories: ['connection'], actions: ['status'], severities: ['error'], actedUpon: prometheusConnection.id });
    assert.equal(refusals.length, 2, 'each refusal is an error event');
    assert.match(refusals[1].description, /cannot go from "discovered" to "connected"/);
    assert.deepEqual(refusals[1].metadata, { previous: 'discovered', requested: 'connected' });
    assert.equal(byName('prometheus-k8s (monitoring)').status, 'discovered');
  });

  it('registers: CONNECTED when the test passes, REGISTERED (failure recorded) when it fails or is skipped', async () => {
    const admin = byName('sim-admin');
    const connected = await connections.register(admin.id, { test: (c) => testConnection(c, undefined, context()) });
    assert.equal(connected.test?.reached, true);
    assert.equal(connected.connection.status, 'connected');

    // The in-cluster Prometheus address does not resolve here, and its service proxy has no backend: the test fails.
    const unreachable = byName('prometheus-operated (monitoring)');
    const failed = await connections.register(unreachable.id, { test: (c) => testConnection(c, undefined, context()) });
    assert.equal(failed.connection.status, 'registered');
    assert.equal((failed.connection.metadata.lastTest as { reached: boolean }).reached, false);
    assert.ok(events.query({ categories: ['connection'], actions: ['test'], severities: ['error'], actedUpon: unreachable.id }).length === 1);

    const skipped = await connections.register(byName('sim-viewer').id, { skipVerification: true });
    assert.equal(skipped.connection.status, 'registered');
    assert.equal(skipped.test, undefined);
  });

  it('means what CONNECTED says: only a passing test connects, a failing one disconnects, maintenance reports nothing', async () => {
    const admin = byName('sim-admin');
    const reachable = (c: Connection) => testConnection(c, undefined, context());
    const failing = async (): Promise<TestResult> => ({ reached: false, kind: 'kubernetes', url: admin.url, path: 'direct', latencyMs: 1, steps: [], failure: { class: 'refused', message: 'refused', advice: 'start it' } });
    const trail = () => events.query({ actedUpon: admin.id }, { limit: 1000 });

    assert.equal(connections.changeStatus(admin.id, 'maintenance').status, 'maintenance');
    const errorsBefore = trail().filter((e) => e.severity === 'error').length;
    await connections.test(admin.id, failing);
    assert.equal(byName('sim-admin').status, 'maintenance', 'nothing moves in maintenance');
    assert.equal(trail().filter((e) => e.severity === 'error').length, errorsBefore, 'a failure in maintenance is not reported');
    assert.equal(trail()[0].severity, 'debug');

    // By hand, CONNECTED is refused (with an error event): it needs a test.
    assert.throws(() => connections.changeStatus(admin.id, 'connected'), /CONNECTED means reached/);
    assert.equal(trail()[0].severity, 'error');
    await assert.rejects(connections.connect(admin.id, failing), /stays maintenance: the test did not reach it \(refused\)/);
    assert.equal(byName('sim-admin').status, 'maintenance');
    assert.equal((await connections.connect(admin.id, reachable)).connection.status, 'connected');

    // A failing test on CONNECTED disconnects; a passing one on DISCONNECTED connects again.
    await connections.test(admin.id, failing);
    assert.equal(byName('sim-admin').status, 'disconnected');
    const [disconnected] = trail().filter((e) => e.action === 'status');
    assert.match(disconnected.description, /connected → disconnected \(the connectivity test failed: refused\)/);
    await connections.test(admin.id, reachable);
    assert.equal(byName('sim-admin').status, 'connected');

    // Health checks that fail the same way leave one event, not one per check.
    await connections.test(admin.id, failing, 'health');
    const count = trail().length;
    await connections.test(admin.id, failing, 'health');
    await connections.test(admin.id, failing, 'health');
    assert.equal(trail().length, count, 'repeated identical failures: no new events');

    // Leaving maintenance runs a test: left for DISCONNECTED, the test reaches it, so it is CONNECTED.
    await connections.test(admin.id, reachable);
    connections.changeStatus(admin.id, 'maintenance');
    const tests = trail().filter((e) => e.action === 'test').length;
    assert.equal((await connections.setStatus(admin.id, 'disconnected', reachable)).status, 'connected');
    assert.equal(trail().filter((e) => e.action === 'test').length, tests + 1);
  });

  it('tests a credential ad hoc against a real Prometheus: reached with it, 401 without', async () => {
    const credential = await credentials.create({ name: 'prom basic', kind: 'prometheus', type: 'basic-auth', values: { username: 'meshery', password: prometheusPassword } });
    assert.deepEqual(credential.fields, ['password', 'username']);
    const direct = connections.list().find((c) => c.kind === 'prometheus' && c.name.startsWith('prometheus-k8s'))!;
    connections.update(direct.id, { url: prometheus.url });
    credentials.attach(credential.id, [direct.id]);
    const withCredential = await connections.test(direct.id, async (c) => testConnection(c, await credentials.values(credential.id), context()));
    assert.equal(withCredential.reached, true, JSON.stringify(withCredential.failure));
    const without = await connections.test(direct.id, (c) => testConnection(c, undefined, context()));
    assert.equal(without.failure?.class, 'unauthorized');
    assert.deepEqual(credentials.get(credential.id)?.connectionIds, [direct.id]);
  });

  it('validates credentials against the kind’s schema, and deleting one in use says which connections lose it', async () => {
    await assert.rejects(credentials.create({ name: 'x', kind: 'grafana', type: 'basic-auth', values: { username: 'admin' } }), /Password is required/);
    await assert.rejects(credentials.create({ name: 'x', kind: 'prometheus', type: 'client-certificate', values: {} }), /cannot be of type "client-certificate"/);
    const token = await credentials.create({ name: 'cluster token', kind: 'kubernetes', type: 'bearer-token', values: { token: 'viewer-token-9d2e' } });
    const viewer = byName('sim-viewer');
    const admin = byName('sim-admin');
    credentials.attach(token.id, [viewer.id, admin.id]);
    const result = await connections.test(viewer.id, async (c) => testConnection(c, await credentials.values(token.id), context()));
    assert.equal(result.reached, true, JSON.stringify(result.failure));
    const lost = await credentials.delete(token.id);
    assert.deepEqual([...lost].sort(), [viewer.id, admin.id].sort());
    assert.equal(await credentials.values(token.id), undefined, 'the secret is gone from the secret store');
    assert.equal(byName('sim-viewer').credentialId, undefined);
  });

  it('environments: create, rename, describe, assign many-to-many, delete (the connections stay)', () => {
    assert.throws(() => environments.create(''), ValidationError);
    assert.throws(() => environments.create('x'.repeat(101)), /at most 100/);
    const dev = environments.create('dev', 'Developer clusters');
    const prod = environments.create('prod');
    assert.throws(() => environments.create('DEV'), /already exists/);
    const admin = byName('sim-admin');
    const grafana = connections.list().find((c) => c.kind === 'grafana')!;
    environments.assign(dev.id, [admin.id, grafana.id]);
    environments.assign(prod.id, [admin.id]);
    assert.deepEqual([...byName('sim-admin').environments].sort(), [dev.id, prod.id].sort());
    assert.equal(environments.rename(dev.id, 'development').name, 'development');
    assert.equal(environments.describe(dev.id, 'Where we try things').description, 'Where we try things');
    environments.unassign(prod.id, [admin.id]);
    assert.equal(environments.delete(dev.id), 2);
    assert.deepEqual(byName('sim-admin').environments, []);
    assert.ok(connections.get(admin.id), 'the connection itself stays');
    assert.match(events.query({ categories: ['environment'], actions: ['delete'] })[0].description, /2 connection\(s\) were unassigned/);
  });

  it('leaves no secret value in the database file, the log or the events', async () => {
    await store.flush();
    const secretValues = [prometheusPassword, 'viewer-token-9d2e'];
    const dbBytes = fs.readFileSync(dbFile);
    const eventsJson = JSON.stringify(events.query({}, { limit: 100_000 }));
    const log = logged.join('\n');
    for (const secret of secretValues) {
      assert.equal(dbBytes.includes(Buffer.from(secret)), false, `the database file holds ${secret}`);
      assert.equal(eventsJson.includes(secret), false, 'an event holds a secret');
      assert.equal(log.includes(secret), false, 'the log holds a secret');
    }
    assert.ok(secrets.values.size >= 1, 'the values are in the secret store');
  });

  it('registers only through an allowed transition (checked before writing), "no credential" means none, and credentials attach to their own kind only', async () => {
    const manual = connections.createManual({ kind: 'prometheus', name: 'manual prometheus', url: prometheus.url });
    const credential = await credentials.create({ name: 'manual basic', kind: 'prometheus', type: 'basic-auth', values: { username: 'meshery', password: prometheusPassword } });
    credentials.attach(credential.id, [manual.id]);
    const registered = await connections.register(manual.id, { credentialId: null, skipVerification: true });
    assert.equal(registered.connection.credentialId, undefined, 'no credential chosen: none');
    const [registration] = events.query({ actedUpon: manual.id, actions: ['register'] });
    assert.deepEqual({ previous: registration.metadata.previous, current: registration.metadata.current }, { previous: 'discovered', current: 'registered' });

    const before = JSON.stringify(connections.get(manual.id));
    await assert.rejects(connections.register(manual.id, { name: 'renamed', credentialId: credential.id }), /cannot go from "registered" to "registered"/);
    assert.equal(JSON.stringify(connections.get(manual.id)), before, 'a refused registration writes nothing');
    const [refused] = events.query({ actedUpon: manual.id, actions: ['register'], severities: ['error'] });
    assert.ok(refused, 'and leaves an error event');

    const grafanaKey = await credentials.create({ name: 'grafana key', kind: 'grafana', type: 'api-key', values: { token: 'glsa_x' } });
    assert.throws(() => credentials.attach(grafanaKey.id, [manual.id]), /is a grafana credential; manual prometheus is a prometheus connection/);
    assert.equal(connections.get(manual.id)?.credentialId, undefined);
  });
});

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
