import * as assert from 'node:assert/strict';
import { problems } from '../../../src/core/common/jsonSchema';
import { sectionStates, storableDraft } from '../../../src/core/registration/formModel';
import { ConnectionDraft, KindInfo, parseWebviewMessage } from '../../../src/core/registration/protocol';
import { connectionDefinition } from '../../../src/core/registry/connectionDefinitions';
import { credentialFields } from '../../../src/core/registry/credentialFields';
import { serviceUrls } from '../../../src/core/registry/serviceUrl';

const prometheus = connectionDefinition('prometheus')!;
const kinds: KindInfo[] = [
  {
    kind: 'prometheus',
    displayName: 'Prometheus',
    credentialTypes: prometheus.credentialSchema.map((t) => ({ type: t.type, displayName: t.displayName, schema: t.schema })),
    components: [{ model: 'prometheus-operator', component: 'Prometheus', modelDisplayName: 'Prometheus Operator', componentDisplayName: 'Prometheus', color: '#e6522c', icon: '' }],
  },
];
const draft: ConnectionDraft = {
  connectionId: 'abc',
  kind: 'prometheus',
  name: 'prom',
  url: 'http://127.0.0.1:9090',
  component: { model: 'prometheus-operator', component: 'Prometheus' },
  skipTlsVerify: false,
  acceptInsecureCredential: true,
  credential: { mode: 'new', name: 'cred', type: 'basic-auth', values: { username: 'u', password: 's3cret' } },
  metrics: ['up'],
  boards: [],
  namespaces: [],
  environmentIds: [],
};

describe('registration form model', () => {
  it('renders credential fields from the JSON Schema: secret ones are writeOnly, PEM ones are files', () => {
    const basic = credentialFields(prometheus.credentialSchema.find((t) => t.type === 'basic-auth')!);
    assert.deepEqual(basic.map((f) => [f.name, f.title, f.secret, f.required]), [
      ['username', 'Username', false, true],
      ['password', 'Password', true, true],
    ]);
    const cert = credentialFields(connectionDefinition('kubernetes')!.credentialSchema.find((t) => t.type === 'client-certificate')!);
    assert.deepEqual(cert.filter((f) => f.pem).map((f) => f.name), ['clientCertificate', 'clientKey', 'ca']);
  });

  it('validates values with the same schema the host uses, in sentences', () => {
    const schema = prometheus.credentialSchema.find((t) => t.type === 'basic-auth')!.schema;
    assert.deepEqual(problems(schema, { username: 'u' }).map((p) => p.message), ['Password is required.']);
    assert.deepEqual(problems(schema, { username: 'u', password: 'p', token: 'x' }).map((p) => p.field), ['token']);
    const ca = connectionDefinition('kubernetes')!.credentialSchema.find((t) => t.type === 'bearer-token')!.schema;
    assert.match(problems(ca, { token: 't', ca: 'not a pem' })[0].message, /PEM/);
  });

  it('shows the state of each section and strips secrets from the saved draft', () => {
    const states = sectionStates(draft, kinds);
    assert.deepEqual(Object.values(states).map((s) => s.complete), [true, true, true, true]);
    assert.equal(states.specific.summary, '1 metric chosen');
    const bad = sectionStates({ ...draft, name: '', url: 'ftp://x', credential: { mode: 'new', name: 'c', type: 'basic-auth', values: { username: 'u' } } }, kinds);
    assert.deepEqual(bad.metadata.problems, ['The name is required.', 'The URL starts with http:// or https://.']);
    assert.deepEqual(bad.credential.problems, ['Password is required.']);
    assert.deepEqual(sectionStates({ ...draft, acceptInsecureCredential: false }, kinds).credential.problems, ['Confirm that the credential may be sent unprotected, or use https.']);
    assert.deepEqual(sectionStates({ ...draft, url: 'https://p.example', acceptInsecureCredential: false }, kinds).credential.problems, [], 'https: nothing to confirm');
    const stored = storableDraft(draft, kinds);
    assert.deepEqual(stored.credential, { mode: 'new', name: 'cred', type: 'basic-auth', values: { username: 'u' } });
  });

  it('chooses https for TLS ports and prefers an outside address', () => {
    assert.deepEqual(serviceUrls({ name: 'p', namespace: 'm' }, 9090), { scheme: 'http', port: 9090, inCluster: 'http://p.m.svc:9090' });
    assert.equal(serviceUrls({ name: 'g', namespace: 'm', httpsPorts: [3000] }, 3000).inCluster, 'https://g.m.svc:3000');
    assert.equal(serviceUrls({ name: 'g', namespace: 'm' }, 443).inCluster, 'https://g.m.svc');
    assert.equal(serviceUrls({ name: 'g', namespace: 'm', externalAddress: '10.0.0.5' }, 80).external, 'http://10.0.0.5');
    assert.equal(serviceUrls({ name: 'g', namespace: 'm', externalAddress: 'fd00::1' }, 9090).external, 'http://[fd00::1]:9090');
  });

  it('accepts a valid message and refuses unknown types, extra fields and prototype keys', () => {
    assert.equal(parseWebviewMessage({ type: 'test', id: 1, params: { draft } }).ok, true);
    assert.equal(parseWebviewMessage({ type: 'eval', id: 1, params: {} }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'test', id: 1, params: { draft: { ...draft, extra: 1 } } }).ok, false);
    const polluted = JSON.parse(`{"type":"test","id":1,"params":{"draft":${JSON.stringify({ ...draft, credential: { mode: 'new', name: 'c', type: 'basic-auth', values: {} } }).replace('"values":{}', '"values":{"__proto__":"x"}')}}}`);
    assert.equal(parseWebviewMessage(polluted).ok, false);
    assert.equal(parseWebviewMessage({ type: 'test', id: 1, params: { draft: { ...draft, name: 'x'.repeat(600_000) } } }).ok, false);
  });
});
