import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { draftFromConnection } from '../../src/core/registration/formModel';
import { ConnectionDraft, HostMessage } from '../../src/core/registration/protocol';
import { MesheryExtensionApi } from '../../src/ui/api';
import { mesheryApi } from './mesheryApi';
import { DemoBackends, startDemoBackends } from '../support/demoBackends';
import { SimFixture, eventually, startSim } from '../support/simHarness';

/** Malformed or hostile messages, built from a valid one: wrong types, missing fields, huge strings, unknown types, prototype keys. */
function hostileMessages(valid: Record<string, unknown>, count: number): unknown[] {
  const huge = 'x'.repeat(600_000);
  const bases: unknown[] = [
    null,
    42,
    'register',
    [],
    { type: 'unknownCommand', id: 1, params: {} },
    { type: 'register' },
    { type: 'register', id: -1, params: valid.params },
    { type: 'register', id: 'a', params: valid.params },
    { type: 'register', id: 1, params: { draft: { ...(valid.params as { draft: object }).draft, kind: 7 } } },
    { type: 'register', id: 1, params: { draft: { ...(valid.params as { draft: object }).draft, name: huge } } },
    { type: 'register', id: 1, params: { draft: { ...(valid.params as { draft: object }).draft, extra: true } } },
    JSON.parse('{"type":"register","id":1,"params":{"__proto__":{"polluted":true}}}'),
    JSON.parse('{"__proto__":{"type":"register"},"id":1}'),
    { type: 'register', id: 1, params: { draft: { ...(valid.params as { draft: object }).draft, credential: JSON.parse('{"mode":"new","name":"x","type":"basic-auth","values":{"__proto__":"y","constructor":"z"}}') } } },
    { type: 'changeStatus', id: 1, params: { to: { toString: 1 } } },
    { type: 'createEnvironment', id: 1, params: { name: ['staging'] } },
    { type: 'reveal', params: { what: 'everything' } },
    { type: 'openBoard', params: { url: 5 } },
    { type: 'ready', params: { constructor: { prototype: { polluted: true } } } },
    { type: 'pickPemFile', id: 1, params: { field: '__proto__', secret: false } },
    { type: 'test', id: 1, params: { draft: 'hello' } },
    { type: 'loadMetricValues', id: 1, params: { draft: (valid.params as { draft: object }).draft, names: new Array(1000).fill('up') } },
    { type: 'register', id: 2 ** 40, params: valid.params },
  ];
  return Array.from({ length: count }, (_, i) => bases[i % bases.length]);
}

describe('the registration panel in the real extension host', function () {
  this.timeout(180_000);
  let api: MesheryExtensionApi;
  let sim: SimFixture;
  let backends: DemoBackends;
  const posted: HostMessage[] = [];

  before(async () => {
    api = await mesheryApi();
    sim = await startSim({ scenario: 'demo' });
    backends = await startDemoBackends(sim.cluster);
    api.panels.onDidPost((m) => posted.push(m));
    await vscode.workspace.getConfiguration('meshery.kubeconfig').update('paths', [sim.kubeconfig], vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('meshery.kubeconfig').update('paths', undefined, vscode.ConfigurationTarget.Global);
    await Promise.all([sim?.stop(), backends?.stop()]);
  });

  it('ignores 1,000 malformed or hostile messages: no exception, nothing written beyond debug events', async () => {
    const find = () => api.connections.list().find((c) => c.name === 'grafana (monitoring)' && c.clusterId === sim.cluster.kubeSystemUid);
    await eventually(() => !!find(), 30_000, () => 'the demo Grafana was not proposed');
    await vscode.commands.executeCommand('meshery.connections.register', find()!.id);
    const panel = api.panels.get({ panel: 'connection', connectionId: find()!.id });
    assert.ok(panel, 'the plug opened the panel');
    const valid = {
      type: 'register',
      id: 1,
      params: {
        // The draft a person starts from, as the form model makes it.
        draft: { ...draftFromConnection(panel!.state().connection!), name: 'g', url: backends.grafana.url },
      },
    };
    await api.store.flush();
    const before = {
      connections: JSON.stringify(api.connections.list()),
      credentials: api.credentials.list().length,
      environments: api.environments.list().length,
      events: api.events.query({ severities: ['emergency', 'alert', 'critical', 'error', 'warning', 'informational', 'success'] }, { limit: 100000 }).length,
    };
    const debugBefore = api.events.query({ severities: ['debug'], categories: ['registration'] }, { limit: 100000 }).length;
    for (const message of hostileMessages(valid, 1000)) await panel!.handle(message);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted');
    assert.deepEqual(
      {
        connections: JSON.stringify(api.connections.list()),
        credentials: api.credentials.list().length,
        environments: api.environments.list().length,
        events: api.events.query({ severities: ['emergency', 'alert', 'critical', 'error', 'warning', 'informational', 'success'] }, { limit: 100000 }).length,
      },
      before,
    );
    const refused = api.events.query({ severities: ['debug'], categories: ['registration'] }, { limit: 100000 }).length - debugBefore;
    assert.ok(refused >= 900, `refused messages are debug events (${refused})`);
  });

  it('registers Grafana with a board through the handler; secrets never reach the database, the log or a webview message', async () => {
    const grafana = api.connections.list().find((c) => c.name === 'grafana (monitoring)' && c.clusterId === sim.cluster.kubeSystemUid)!;
    const panel = api.panels.get({ panel: 'connection', connectionId: grafana.id })!;
    const password = backends.grafanaUser.password;
    let draft: ConnectionDraft = {
      ...draftFromConnection(panel.state().connection!),
      acceptInsecureCredential: true,
      credential: { mode: 'new', name: 'grafana admin', type: 'basic-auth', values: { username: backends.grafanaUser.user, password } },
    };
    await panel.handle({ type: 'loadBoards', id: 10, params: { draft } });
    const boards = posted.find((m) => m.type === 'response' && m.id === 10) as { ok: boolean; result: { boards: { uid: string; title: string; url: string }[] } };
    assert.ok(boards?.ok, `${JSON.stringify(boards)} ${api.events.query({ categories: ['registration'] }, { limit: 1 }).map((e) => e.description)}`);
    draft = { ...draft, boards: boards.result.boards.slice(0, 1).map((b) => ({ uid: b.uid, title: b.title, url: b.url })) };
    await panel.handle({ type: 'register', id: 11, params: { draft } });
    const outcome = posted.find((m) => m.type === 'response' && m.id === 11) as { ok: boolean; result: { status: string } };
    assert.deepEqual({ ok: outcome.ok, status: outcome.result?.status }, { ok: true, status: 'connected' }, JSON.stringify(outcome));
    const saved = api.connections.get(grafana.id)!;
    assert.deepEqual((saved.metadata.settings as { boards: unknown[] }).boards, draft.boards);

    // One panel per connection; Register again on its details page updates it (and tests it again).
    assert.equal(api.panels.open({ panel: 'connection', connectionId: grafana.id }), panel, 'opening it again reveals the same panel');
    const credentialId = saved.credentialId!;
    await panel.handle({ type: 'register', id: 12, params: { draft: { ...draft, name: 'grafana (renamed)', credential: { mode: 'existing', credentialId } } } });
    const again = posted.find((m) => m.type === 'response' && m.id === 12) as { ok: boolean; result: { status: string } };
    assert.deepEqual({ ok: again.ok, status: again.result?.status, name: api.connections.get(grafana.id)?.name }, { ok: true, status: 'connected', name: 'grafana (renamed)' });
    assert.equal(panel.webviewPanel.title, 'grafana (renamed)');

    await api.store.flush();
    const secret = Buffer.from(password);
    assert.equal(fs.readFileSync(api.store.path!).includes(secret), false, 'not in the database file');
    assert.equal(JSON.stringify(posted).includes(password), false, 'not in any message sent to a webview');
    assert.equal(JSON.stringify(api.events.query({}, { limit: 100000 })).includes(password), false, 'not in any event');
  });

  it('registers a Kubernetes cluster with its kubeconfig context and namespaces; its panel shows the cluster identity', async () => {
    const cluster = api.connections.list().find((c) => c.kind === 'kubernetes' && c.clusterId === sim.cluster.kubeSystemUid && c.status === 'discovered')!;
    const panel = api.panels.open({ panel: 'connection', connectionId: cluster.id });
    const found = panel.state().connection!.found;
    assert.deepEqual(found.find((f) => f.label.startsWith('Cluster identity'))?.value, sim.cluster.kubeSystemUid);
    const draft = { ...draftFromConnection(panel.state().connection!), namespaces: ['default', 'monitoring'] };
    assert.deepEqual(draft.component, { model: 'kubernetes', component: 'Namespace' }, "the definition's component");
    await panel.handle({ type: 'register', id: 20, params: { draft } });
    const outcome = posted.find((m) => m.type === 'response' && m.id === 20) as { ok: boolean; result: { status: string; test: { version?: string } } };
    assert.equal(outcome.result?.status, 'connected', JSON.stringify(outcome));
    assert.ok(outcome.result.test.version, 'the API server version is shown');
    assert.deepEqual(panel.state().connection!.namespaces, ['default', 'monitoring']);
    assert.ok(panel.state().details!.nextStatuses.some((t) => t.to === 'disconnected'), 'the details page offers the next statuses');
    await panel.handle({ type: 'changeStatus', id: 21, params: { to: 'disconnected' } });
    assert.equal(api.connections.get(cluster.id)?.status, 'disconnected');
    // Choosing CONNECTED runs the test; the cluster answers, so it moves.
    const tests = () => api.events.query({ actions: ['test'], actedUpon: cluster.id }, { limit: 100 }).length;
    const testsBefore = tests();
    await panel.handle({ type: 'changeStatus', id: 22, params: { to: 'connected' } });
    const back = posted.find((m) => m.type === 'response' && m.id === 22) as { ok: boolean; result?: { status: string }; error?: string };
    assert.equal(tests(), testsBefore + 1, 'a test was run and recorded');
    assert.deepEqual({ ok: back.ok, status: back.result?.status }, { ok: true, status: 'connected' }, JSON.stringify(back));
    panel.dispose();
  });
});
