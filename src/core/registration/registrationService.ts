import { ConnectionService } from '../connections/connectionService';
import { CredentialService } from '../connections/credentialService';
import { EnvironmentService } from '../connections/environmentService';
import { Connection, ValidationError } from '../connections/types';
import { TesterContext, serviceTargetOf, testConnection } from '../connectivity/connectionTester';
import { grafanaBoards } from '../connectivity/grafanaApi';
import { currentValues, metricNames, recentSeries } from '../connectivity/prometheusApi';
import { ServiceTarget } from '../connectivity/serviceRequest';
import { CredentialValues, TestResult } from '../connectivity/testers';
import { EventLog } from '../events/eventLog';
import { ConnectionStatus, connectionDefinition } from '../registry/connectionDefinitions';
import { Registry } from '../registry/registry';
import { modelIconSvg } from '../registry/iconSvg';
import { connectionInfo } from './connectionInfo';
import { urlProblem } from '../connections/connectionUrl';
import { newCredentialProblems, sendsCredentialInsecurely } from './formModel';
import {
  ConnectionDraft,
  CredentialDraft,
  CredentialTestOutcome,
  KindInfo,
  MetricValueView,
  RegisterOutcome,
  SeriesView,
  TestView,
  BoardRef,
} from './protocol';

export interface RegistrationDeps {
  readonly connections: ConnectionService;
  readonly credentials: CredentialService;
  readonly environments: EnvironmentService;
  readonly events: EventLog;
  readonly registry: Registry;
  /** Timeouts, CA, kubeconfig files and cluster clients, as the settings are now. */
  readonly testerContext: (signal?: AbortSignal) => TesterContext;
}

/** PEM files picked in the host for a form, by field name: their content never goes to the webview. */
export type PickedFiles = ReadonlyMap<string, string>;

/** Statuses from which Register first moves a connection to REGISTERED. */
const registrable: readonly ConnectionStatus[] = ['discovered', 'ignored'];

export function testView(result: TestResult, at?: number): TestView {
  return {
    reached: result.reached,
    path: result.path,
    latencyMs: result.latencyMs,
    ...(result.serverVersion ? { version: result.serverVersion } : {}),
    ...(result.failure ? { failure: { class: result.failure.class, message: result.failure.message, advice: result.failure.advice } } : {}),
    steps: result.steps,
    ...(at ? { at } : {}),
  };
}

/**
 * What the registration panel asks of the core: test a draft without saving it, read what a
 * Prometheus or Grafana offers, and register (or update) a connection or a credential. The draft
 * has been validated against the message schemas; here it is checked against the data.
 */
export class RegistrationService {
  constructor(private readonly deps: RegistrationDeps) {}

  kinds(): KindInfo[] {
    return ['kubernetes', 'prometheus', 'grafana'].map((kind) => {
      const definition = connectionDefinition(kind)!;
      const components = definition.components;
      return {
        kind,
        displayName: definition.displayName,
        credentialTypes: definition.credentialSchema.map((t) => ({ type: t.type, displayName: t.displayName, schema: t.schema })),
        components: components.map((c) => {
          const model = this.deps.registry.model(c.model);
          const component = model?.components.find((k) => k.kind === c.kind);
          return {
            model: c.model,
            component: c.kind,
            modelDisplayName: model?.displayName ?? c.model,
            componentDisplayName: component?.displayName ?? c.kind,
            color: model?.primaryColor ?? '#808080',
            icon: model ? `data:image/svg+xml;base64,${Buffer.from(modelIconSvg(model)).toString('base64')}` : '',
          };
        }),
      };
    });
  }

  /**
   * The connectivity test of what is on the form; nothing is saved and no status changes. When the
   * address speaks the other scheme (TLS to a plain server, or plain to a TLS one), the test says
   * so with the corrected URL for the form to offer.
   */
  async test(draft: ConnectionDraft, files: PickedFiles, signal?: AbortSignal): Promise<TestView> {
    const { connection, values } = await this.resolve(draft, files);
    const context = this.deps.testerContext(signal);
    const result = await testConnection(connection, values, context);
    const other = connection.kind === 'kubernetes' ? undefined : otherSchemeUrl(connection.url, result);
    if (other) {
      const retried = await testConnection({ ...connection, url: other }, values, context);
      if (retried.reached) return { ...testView(result), suggestedUrl: other };
    }
    return testView(result);
  }

  async metricNames(draft: ConnectionDraft, files: PickedFiles, signal?: AbortSignal): Promise<{ names: string[]; path: string }> {
    return metricNames(await this.serviceTarget(draft, files, 'prometheus', signal));
  }

  async metricValues(draft: ConnectionDraft, names: readonly string[], files: PickedFiles, signal?: AbortSignal): Promise<MetricValueView[]> {
    return currentValues(await this.serviceTarget(draft, files, 'prometheus', signal), names);
  }

  async boards(draft: ConnectionDraft, files: PickedFiles, signal?: AbortSignal): Promise<{ boards: BoardRef[]; path: string }> {
    return grafanaBoards(await this.serviceTarget(draft, files, 'grafana', signal));
  }

  /** How to reach the service the form describes, with the credential it would use. */
  private async serviceTarget(draft: ConnectionDraft, files: PickedFiles, kind: string, signal?: AbortSignal): Promise<ServiceTarget> {
    const { connection, values } = await this.resolve(draft, files, kind);
    return serviceTargetOf(connection, values, this.deps.testerContext(signal));
  }

  /** The values of a saved connection's own credential. */
  private async ownValues(connection: Connection): Promise<CredentialValues | undefined> {
    return connection.credentialId ? this.deps.credentials.values(connection.credentialId) : undefined;
  }

  /** A status chosen on the details page: CONNECTED and leaving maintenance run the test, with the connection's own credential. */
  async setStatus(connectionId: string, to: ConnectionStatus, signal?: AbortSignal): Promise<string> {
    const connection = this.deps.connections.get(connectionId);
    if (!connection) throw new ValidationError('This connection no longer exists.');
    const values = await this.ownValues(connection);
    return (await this.deps.connections.setStatus(connectionId, to, (c) => testConnection(c, values, this.deps.testerContext(signal)))).status;
  }

  /** The last 15 minutes of a registered Prometheus connection's chosen metrics, for its sparklines. */
  async series(connectionId: string, signal?: AbortSignal): Promise<SeriesView[]> {
    const connection = this.deps.connections.get(connectionId);
    if (!connection || connection.kind !== 'prometheus') return [];
    const names = connectionInfo(connection).metrics;
    if (!names.length) return [];
    const values = await this.ownValues(connection);
    return recentSeries(serviceTargetOf(connection, values, this.deps.testerContext(signal)), names, 15, Math.floor(Date.now() / 1000));
  }

  /**
   * Saves the form: a connection typed by hand is created, a new credential is stored (values in
   * the secret store), metadata, component, settings and environments are written, then the
   * connection is registered and tested: CONNECTED when the test passes now, REGISTERED (with the
   * reason) otherwise. A registered connection is updated and tested again.
   */
  async register(draft: ConnectionDraft, files: PickedFiles, signal?: AbortSignal): Promise<RegisterOutcome> {
    const { connections, credentials, environments } = this.deps;
    const existing = draft.connectionId ? connections.get(draft.connectionId) : undefined;
    if (draft.connectionId && !existing) throw new ValidationError('This connection no longer exists.');
    if (existing && existing.kind !== draft.kind) throw new ValidationError(`This connection is a ${existing.kind} connection; its kind cannot change.`);
    // Checked before anything is written: a refused registration changes nothing.
    if (existing && (existing.status === 'deleted' || existing.status === 'not found')) {
      throw new ValidationError(`${existing.name} is ${existing.status}: it cannot be registered.`);
    }
    const { values } = await this.resolve(draft, files);
    for (const environmentId of draft.environmentIds) {
      if (!environments.get(environmentId)) throw new ValidationError('One of the chosen environments no longer exists.');
    }

    const connection = existing ?? connections.createManual({ kind: draft.kind, name: draft.name, url: draft.url });
    let credentialId: string | null = null;
    if (draft.credential.mode === 'existing') credentialId = draft.credential.credentialId;
    if (draft.credential.mode === 'new') {
      credentialId = (await credentials.create({ name: draft.credential.name, kind: draft.kind, type: draft.credential.type, values: values ?? {} })).id;
    }
    connections.update(connection.id, { name: draft.name, url: connection.kind === 'kubernetes' ? undefined : draft.url, credentialId, skipTlsVerify: draft.skipTlsVerify });
    connections.configure(connection.id, { component: draft.component, settings: settingsOf(draft) });
    if (sendsCredentialInsecurely(draft) && !connection.metadata.insecureCredentialAccepted) connections.acceptInsecureCredential(connection.id, draft.url);
    for (const id of draft.environmentIds.filter((e) => !connection.environments.includes(e))) environments.assign(id, [connection.id]);
    for (const id of connection.environments.filter((e) => !draft.environmentIds.includes(e))) environments.unassign(id, [connection.id]);

    const tester = (c: Connection) => testConnection(c, values, this.deps.testerContext(signal));
    const current = connections.get(connection.id)!;
    let result: TestResult;
    if (registrable.includes(current.status)) {
      const registered = await connections.register(connection.id, { test: tester });
      result = registered.test!;
    } else {
      result = await connections.test(connection.id, tester);
    }
    const after = connections.get(connection.id)!;
    return {
      connectionId: connection.id,
      status: after.status,
      test: testView(result),
      ...(after.status === 'connected'
        ? {}
        : { reason: result.reached ? `It was reached, and stays ${after.status}.` : `${result.failure?.message ?? 'Not reached.'} ${result.failure?.advice ?? ''}`.trim() }),
    };
  }

  /** Tests a credential being written against connections of its kind: nothing is saved, no status or last test changes. */
  async testCredential(draft: CredentialDraft, files: PickedFiles, signal?: AbortSignal): Promise<CredentialTestOutcome> {
    const values = this.credentialValues(draft, files);
    const targets = this.connectionsOfKind(draft);
    const results = await Promise.all(
      targets.map(async (connection) => ({ connectionId: connection.id, name: connection.name, test: testView(await testConnection(connection, values, this.deps.testerContext(signal))) })),
    );
    return { results };
  }

  async registerCredential(draft: CredentialDraft, files: PickedFiles): Promise<{ credentialId: string; attached: number }> {
    const values = this.credentialValues(draft, files);
    const targets = this.connectionsOfKind(draft);
    const credential = await this.deps.credentials.create({ name: draft.name, kind: draft.kind, type: draft.type, values });
    if (targets.length) this.deps.credentials.attach(credential.id, targets.map((c) => c.id));
    return { credentialId: credential.id, attached: targets.length };
  }

  private connectionsOfKind(draft: CredentialDraft): Connection[] {
    return draft.connectionIds.map((id) => {
      const connection = this.deps.connections.get(id);
      if (!connection || connection.status === 'deleted') throw new ValidationError('One of the chosen connections no longer exists.');
      if (connection.kind !== draft.kind) throw new ValidationError(`${connection.name} is a ${connection.kind} connection; a ${draft.kind} credential cannot be attached to it.`);
      return connection;
    });
  }

  private credentialValues(draft: CredentialDraft, files: PickedFiles): CredentialValues {
    const values = withFiles(draft.values, files);
    const kind = this.kinds().find((k) => k.kind === draft.kind);
    const found = newCredentialProblems(kind, { ...draft, values });
    if (found.length) throw new ValidationError(found.join(' '));
    return values;
  }

  /** The connection as the form describes it (not saved), and the credential values it would use. */
  private async resolve(draft: ConnectionDraft, files: PickedFiles, kind?: string): Promise<{ connection: Connection; values: CredentialValues | undefined }> {
    if (kind && draft.kind !== kind) throw new ValidationError(`This is a ${draft.kind} connection, not ${kind}.`);
    const definition = connectionDefinition(draft.kind);
    if (!definition) throw new ValidationError(`Unknown connection kind "${draft.kind}".`);
    if (!draft.name.trim()) throw new ValidationError('The connection needs a name.');
    const problem = urlProblem(draft.url);
    if (problem) throw new ValidationError(problem);
    if (sendsCredentialInsecurely(draft) && !draft.acceptInsecureCredential) {
      throw new ValidationError(`${draft.url} is not protected by verified TLS: confirm on the form that the credential may be sent this way, or use https.`);
    }
    const existing = draft.connectionId ? this.deps.connections.get(draft.connectionId) : undefined;
    if (draft.connectionId && !existing) throw new ValidationError('This connection no longer exists.');
    let values: CredentialValues | undefined;
    const choice = draft.credential;
    if (choice.mode === 'existing') {
      const credential = this.deps.credentials.get(choice.credentialId);
      if (!credential) throw new ValidationError('The chosen credential no longer exists.');
      if (credential.kind !== draft.kind) throw new ValidationError(`"${credential.name}" is a ${credential.kind} credential; this is a ${draft.kind} connection.`);
      values = await this.deps.credentials.values(credential.id);
    } else if (choice.mode === 'new') {
      values = this.credentialValues({ name: choice.name, kind: draft.kind, type: choice.type, values: choice.values, connectionIds: [] }, files);
    }
    const now = Date.now();
    const connection: Connection = existing
      ? { ...existing, name: draft.name, url: existing.kind === 'kubernetes' ? existing.url : draft.url.trim(), skipTlsVerify: draft.skipTlsVerify }
      : {
          id: 'draft',
          name: draft.name,
          description: '',
          url: draft.url.trim(),
          kind: draft.kind,
          type: definition.type,
          subType: definition.subType,
          credentialId: undefined,
          modelReference: draft.component,
          metadata: {},
          status: 'discovered',
          environments: [],
          clusterId: undefined,
          objectUid: undefined,
          skipTlsVerify: draft.skipTlsVerify,
          createdAt: now,
          updatedAt: now,
        };
    return { connection, values };
  }
}

/** The URL with the other scheme, when the failure says the scheme is wrong. */
function otherSchemeUrl(url: string, result: TestResult): string | undefined {
  if (result.reached || result.path !== 'direct' || !result.failure) return undefined;
  const text = `${result.failure.message}`;
  const plainServer = url.startsWith('https:') && /wrong version number|EPROTO|packet length too long|ssl3_get_record/i.test(text);
  const tlsServer = url.startsWith('http:') && (/HTTP request to an HTTPS server|plain HTTP request was sent to HTTPS/i.test(text) || /socket hang up|ECONNRESET/.test(text));
  if (plainServer) return url.replace(/^https:/, 'http:');
  if (tlsServer) return url.replace(/^http:/, 'https:');
  return undefined;
}

function withFiles(values: Readonly<Record<string, string>>, files: PickedFiles): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== '') out[k] = v;
  for (const [field, content] of files) if (!out[field]) out[field] = content;
  return out;
}

function settingsOf(draft: ConnectionDraft): Record<string, unknown> {
  if (draft.kind === 'prometheus') return { metrics: draft.metrics };
  if (draft.kind === 'grafana') return { boards: draft.boards };
  if (draft.kind === 'kubernetes') return { namespaces: draft.namespaces };
  return {};
}
