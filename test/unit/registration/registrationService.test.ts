import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConnectionService } from '../../../src/core/connections/connectionService';
import { CredentialService } from '../../../src/core/connections/credentialService';
import { EnvironmentService } from '../../../src/core/connections/environmentService';
import { EventLog } from '../../../src/core/events/eventLog';
import { ConnectionDraft } from '../../../src/core/registration/protocol';
import { RegistrationService } from '../../../src/core/registration/registrationService';
import { Registry } from '../../../src/core/registry/registry';
import { openStore } from '../../../src/core/store/openStore';
import { Store } from '../../../src/core/store/store';
import { MemorySecrets } from '../../support/memorySecrets';
import { PrometheusFixture, startPrometheus } from '../../support/prometheusServer';

const silent = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('registration service (against a real Prometheus)', function () {
  this.timeout(60_000);
  const user = { username: 'reg', password: 'reg-Secret-41c2' };
  let prometheus: PrometheusFixture;
  let store: Store;
  let dir: string;
  let events: EventLog;
  let connections: ConnectionService;
  let credentials: CredentialService;
  let registration: RegistrationService;
  const none = new Map<string, string>();

  const draft = (change: Partial<ConnectionDraft> = {}): ConnectionDraft => ({
    connectionId: null,
    kind: 'prometheus',
    name: 'outside',
    url: prometheus.url,
    component: { model: 'prometheus-operator', component: 'Prometheus' },
    skipTlsVerify: false,
    acceptInsecureCredential: true,
    credential: { mode: 'new', name: 'reg', type: 'basic-auth', values: user },
    metrics: ['up'],
    boards: [],
    namespaces: [],
    environmentIds: [],
    ...change,
  });

  before(async () => {
    prometheus = await startPrometheus(user, { scrapeItself: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshery-registration-'));
    ({ store } = await openStore({ path: path.join(dir, 'meshery.db'), logger: silent, saveDelayMs: 20 }));
    events = new EventLog(store, { retention: 10_000, logger: silent });
    connections = new ConnectionService(store, events);
    credentials = new CredentialService(store, new MemorySecrets(), events);
    const environments = new EnvironmentService(store, events);
    registration = new RegistrationService({ connections, credentials, environments, events, registry: new Registry(), testerContext: () => ({ kubeconfigFiles: [], timeoutMs: 5_000 }) });
  });
  after(async () => {
    await store.close();
    await prometheus.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('tests what is on the form without saving anything', async () => {
    const before = events.query({}, { limit: 1000 }).length;
    const result = await registration.test(draft(), none);
    assert.equal(result.reached, true);
    assert.match(result.version ?? '', /^\d+\.\d+/);
    const wrong = await registration.test(draft({ credential: { mode: 'new', name: 'x', type: 'basic-auth', values: { username: 'reg', password: 'nope' } } }), none);
    assert.equal(wrong.failure?.class, 'unauthorized');
    assert.deepEqual([connections.list().length, credentials.list().length, events.query({}, { limit: 1000 }).length], [0, 0, before]);
  });

  it('sends a credential over plain http only once the person accepted it, and records that choice', async () => {
    await assert.rejects(registration.test(draft({ acceptInsecureCredential: false }), none), /confirm on the form that the credential may be sent this way/);
    assert.equal((await registration.test(draft({ acceptInsecureCredential: false, credential: { mode: 'none' } }), none)).failure?.class, 'unauthorized', 'no credential: nothing to confirm');
  });

  it('offers the other scheme when the address does not speak the one typed', async () => {
    const result = await registration.test(draft({ url: prometheus.url.replace('http:', 'https:') }), none);
    assert.equal(result.reached, false);
    assert.equal(result.suggestedUrl, prometheus.url);
  });

  it('reads the metric names and current values with the credential', async () => {
    // Its first scrape of itself (every 2 s) brings the names.
    let names: string[] = [];
    for (let i = 0; i < 50 && !names.includes('up'); i++) {
      names = (await registration.metricNames(draft(), none)).names;
      if (!names.includes('up')) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(names.includes('up') && names.includes('go_goroutines'), `${names.length} names`);
    const [up] = await registration.metricValues(draft(), ['up'], none);
    assert.equal(up.value, '1');
  });

  it('registers a connection typed by hand: CONNECTED, credential stored, metrics kept; a wrong kind of credential is refused first', async () => {
    const outcome = await registration.register(draft(), none);
    assert.equal(outcome.status, 'connected');
    const saved = connections.get(outcome.connectionId)!;
    assert.deepEqual(saved.metadata.settings, { metrics: ['up'] });
    assert.equal((saved.metadata.insecureCredentialAccepted as { url: string }).url, prometheus.url, 'the choice is recorded on the connection');
    assert.equal(events.query({ actedUpon: saved.id, severities: ['warning'] }).length, 1);
    assert.equal(credentials.get(saved.credentialId!)?.kind, 'prometheus');
    const grafanaCredential = await credentials.create({ name: 'g', kind: 'grafana', type: 'api-key', values: { token: 't' } });
    const count = connections.list().length;
    await assert.rejects(registration.register(draft({ credential: { mode: 'existing', credentialId: grafanaCredential.id } }), none), /is a grafana credential/);
    assert.equal(connections.list().length, count, 'nothing was created');
  });

  it('tests a credential against connections without touching them, and attaches it on register', async () => {
    const target = connections.list()[0];
    const before = JSON.stringify(connections.get(target.id));
    const tested = await registration.testCredential({ name: 'shared', kind: 'prometheus', type: 'basic-auth', values: user, connectionIds: [target.id] }, none);
    assert.equal(tested.results[0].test.reached, true);
    assert.equal(JSON.stringify(connections.get(target.id)), before);
    const registered = await registration.registerCredential({ name: 'shared', kind: 'prometheus', type: 'basic-auth', values: user, connectionIds: [target.id] }, none);
    assert.equal(connections.get(target.id)?.credentialId, registered.credentialId);
  });
});
