import { Disposable } from '../common/disposable';
import { Emitter } from '../common/emitter';
import { newId } from '../common/ids';
import { TestResult } from '../connectivity/testers';
import { EventLog } from '../events/eventLog';
import { ConnectionCandidate } from '../registry/connectionCandidates';
import { ConnectionStatus, connectionDefinition } from '../registry/connectionDefinitions';
import { Store } from '../store/store';
import { urlProblem } from './connectionUrl';
import { Actor, checkTransition } from './statusMachine';
import { Connection, ValidationError } from './types';

interface ConnectionRow {
  id: string;
  name: string;
  description: string;
  url: string;
  kind: string;
  type: string;
  sub_type: string;
  credential_id: string | null;
  model_reference: string;
  metadata: string;
  status: ConnectionStatus;
  cluster_id: string | null;
  object_uid: string | null;
  skip_tls_verify: number;
  created_at: number;
  updated_at: number;
  environments: string | null;
}

/**
 * The model and component a discovered connection is assigned to: the connection definition's
 * first component when a custom resource of that model backs the Service, else the plain
 * Service component (a Service found by labels or images is not the operator's resource).
 */
function modelReferenceOf(candidate: ConnectionCandidate): { model: string; component: string } {
  const components = connectionDefinition(candidate.kind)?.components ?? [];
  // A cluster is known by its kube-system Namespace (whose UID identifies it): the definition's component.
  if (candidate.kind === 'kubernetes') return { model: components[0]?.model ?? 'kubernetes', component: components[0]?.kind ?? 'Namespace' };
  const byResource = candidate.signals.some((s) => s.type === 'custom-resource');
  const chosen = (byResource ? components[0] : components.find((c) => c.model === 'kubernetes' && c.kind === 'Service')) ?? components[0];
  return { model: chosen?.model ?? 'kubernetes', component: chosen?.kind ?? 'Service' };
}

/** Who ran a test: a person (every result is an event) or the background health check (a repeated failure is not). */
export type TestSource = 'user' | 'health';

/** Where a discovered connection came from: enough to find it again and to reach it. */
export interface CandidateOrigin {
  readonly context: string;
  readonly server: string;
}

export interface RegisterOptions {
  readonly name?: string;
  /** null: no credential (the one it had is removed). */
  readonly credentialId?: string | null;
  readonly skipTlsVerify?: boolean;
  /** Register without a connectivity test (the connection stays REGISTERED). */
  readonly skipVerification?: boolean;
  /** Runs the connectivity test of this connection (as it will be after registering). */
  readonly test?: (connection: Connection) => Promise<TestResult>;
}

/**
 * Connections and their status machine, enforced for every kind. Candidates from discovery
 * become discovered connections (one per kubeconfig context for clusters); candidates that
 * disappear go to "not found" and come back as "discovered". Every change is an event carrying
 * the previous and the current status.
 */
export class ConnectionService implements Disposable {
  private readonly changeEmitter = new Emitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly storeSubscription: Disposable;

  constructor(
    private readonly store: Store,
    private readonly events: EventLog,
    private readonly now: () => number = Date.now,
  ) {
    // Another window's changes merged in (see Store): the views showing these rows refresh too.
    this.storeSubscription = store.onDidChange((change) => {
      if (change.external) this.changeEmitter.fire();
    });
  }

  list(): Connection[] {
    return this.store
      .all<ConnectionRow>(
        `SELECT c.*, (SELECT group_concat(environment_id) FROM environment_connections e WHERE e.connection_id = c.id) AS environments
         FROM connections c ORDER BY c.kind, c.name`,
      )
      .map(fromRow);
  }

  get(id: string): Connection | undefined {
    return this.list().find((c) => c.id === id);
  }

  /** Connections that reach the same thing (same cluster, or same URL) as another one: shown, never merged. */
  duplicatesOf(connection: Connection, among: readonly Connection[] = this.list()): Connection[] {
    return among.filter(
      (other) =>
        other.id !== connection.id &&
        other.kind === connection.kind &&
        other.status !== 'deleted' &&
        (connection.kind === 'kubernetes' ? !!connection.clusterId && other.clusterId === connection.clusterId : other.url === connection.url),
    );
  }

  /**
   * Makes the candidates of one cluster discovered connections, brings back those that returned,
   * and (when the discovery of that cluster is complete) marks those that are gone as not found.
   */
  syncCandidates(clusterId: string, origin: CandidateOrigin, candidates: readonly ConnectionCandidate[], complete: boolean): void {
    const existing = this.list().filter((c) => c.clusterId === clusterId);
    const keyOf = (c: ConnectionCandidate) => (c.kind === 'kubernetes' ? `kubernetes:${origin.context}` : `${c.kind}:${clusterId}:${c.objectUid}`);
    const present = new Set<string>();
    for (const candidate of candidates) {
      const key = keyOf(candidate);
      present.add(key);
      // A deleted row is final; what is still (or again) in the cluster is proposed as a new connection.
      const found = existing.find((c) => c.metadata.candidateKey === key && c.status !== 'deleted');
      if (!found) {
        this.createDiscovered(candidate, key, clusterId, origin);
      } else if (found.status === 'not found') {
        this.transition(found, 'discovered', 'system', 'it is in the cluster again');
      } else if (found.status === 'discovered') {
        this.refreshDiscovered(found, candidate, origin);
      }
    }
    if (!complete) return;
    for (const connection of existing) {
      const key = connection.metadata.candidateKey;
      const ours = connection.kind !== 'kubernetes' || key === `kubernetes:${origin.context}`;
      if (!ours || typeof key !== 'string' || present.has(key) || connection.status === 'not found' || connection.status === 'deleted') continue;
      if (this.mayBecome(connection, 'not found')) this.transition(connection, 'not found', 'system', 'it is no longer in the cluster');
    }
  }

  /**
   * Cluster connections whose kubeconfig context is gone go to NOT FOUND (their cluster can no
   * longer be reached that way); when the context returns, discovery brings them back to DISCOVERED.
   */
  syncContexts(present: readonly string[]): void {
    const known = new Set(present);
    for (const connection of this.list()) {
      const context = connection.metadata.context;
      if (connection.kind !== 'kubernetes' || typeof context !== 'string' || known.has(context) || connection.metadata.manual) continue;
      if (this.mayBecome(connection, 'not found')) this.transition(connection, 'not found', 'system', `context ${context} is no longer in the kubeconfig`);
    }
  }

  /**
   * Registers a connection: with a passing test it is CONNECTED; skipped or failing, it is
   * REGISTERED and the failure recorded. The transition is checked before anything is written: a
   * refused registration changes nothing and leaves an error event.
   */
  async register(id: string, options: RegisterOptions = {}): Promise<{ connection: Connection; test?: TestResult }> {
    let connection = this.require(id);
    this.checked(connection, 'registered', 'register');
    if (options.name !== undefined || options.credentialId !== undefined || options.skipTlsVerify !== undefined) {
      connection = this.update(id, { name: options.name, credentialId: options.credentialId, skipTlsVerify: options.skipTlsVerify });
    }
    const operationId = newId();
    connection = this.transition(connection, 'registered', 'user', undefined, operationId, 'register');
    if (options.skipVerification || !options.test) {
      return { connection };
    }
    const test = await options.test(connection);
    connection = this.recordTest(connection, test, operationId);
    return { connection: this.require(id), test };
  }

  /**
   * Runs a test and records it. Its result moves the status as CONNECTED means: reached moves
   * REGISTERED or DISCONNECTED to CONNECTED; not reached moves CONNECTED to DISCONNECTED. In
   * maintenance nothing moves and failures are not reported. A health check that fails exactly as
   * the last one did leaves no new event.
   */
  async test(id: string, tester: (connection: Connection) => Promise<TestResult>, source: TestSource = 'user'): Promise<TestResult> {
    const connection = this.require(id);
    const result = await tester(connection);
    this.recordTest(connection, result, newId(), source);
    return result;
  }

  /**
   * CONNECTED only through a passing test: the test runs, and the connection moves only if it
   * reached; otherwise it stays, and the error says why.
   */
  async connect(id: string, tester: (connection: Connection) => Promise<TestResult>): Promise<{ connection: Connection; test: TestResult }> {
    const connection = this.require(id);
    this.checked(connection, 'connected', 'status');
    const operationId = newId();
    const test = await tester(connection);
    let current = this.recordTest(connection, test, operationId);
    if (!test.reached) {
      throw new ValidationError(`${current.name} stays ${current.status}: the test did not reach it (${test.failure?.class ?? 'unknown'}). ${test.failure?.advice ?? ''}`.trim());
    }
    if (current.status !== 'connected') current = this.transition(current, 'connected', 'user', 'the connectivity test reached it', operationId);
    return { connection: current, test };
  }

  /**
   * A status a user chose: CONNECTED goes through connect(); leaving maintenance runs a test (its
   * result is recorded and moves the status as any test does).
   */
  async setStatus(id: string, to: ConnectionStatus, tester: (connection: Connection) => Promise<TestResult>): Promise<Connection> {
    if (to === 'connected') return (await this.connect(id, tester)).connection;
    const before = this.require(id);
    const changed = this.changeStatus(id, to);
    if (before.status === 'maintenance' && to !== 'deleted') {
      await this.test(id, tester);
      return this.require(id);
    }
    return changed;
  }

  /** A status change without a test. CONNECTED is refused here for a user: it needs a passing test (connect()). */
  changeStatus(id: string, to: ConnectionStatus, actor: Actor = 'user'): Connection {
    const connection = this.require(id);
    this.checked(connection, to, 'status', actor);
    if (to === 'connected' && actor === 'user') {
      const error = new ValidationError(`${connection.name}: CONNECTED means reached; choose it to run the connectivity test, which connects it only when it passes.`);
      this.refused(connection, to, 'status', error);
      throw error;
    }
    return this.transition(connection, to, actor);
  }

  /** Whether the status machine has a way from the connection's status to this one. */
  private mayBecome(connection: Connection, to: ConnectionStatus): boolean {
    return !!connectionDefinition(connection.kind)?.transitions.some((t) => t.from === connection.status && t.to === to);
  }

  /** The transition, or an error event and the refusal (nothing written). */
  private checked(connection: Connection, to: ConnectionStatus, action: string, actor: Actor = 'user'): void {
    const definition = connectionDefinition(connection.kind);
    try {
      if (!definition) throw new ValidationError(`Unknown connection kind ${connection.kind}.`);
      checkTransition(definition, connection.status, to, actor);
    } catch (error) {
      this.refused(connection, to, action, error as Error);
      throw error;
    }
  }

  private refused(connection: Connection, to: ConnectionStatus, action: string, error: Error): void {
    this.events.record({
      category: 'connection',
      action,
      severity: 'error',
      actedUpon: connection.id,
      description: `${connection.name}: ${error.message}`,
      metadata: { previous: connection.status, requested: to },
    });
  }

  /** A connection typed by hand (e.g. a Prometheus outside any cluster): it starts as discovered, like a candidate. */
  createManual(input: { kind: string; name: string; url: string }): Connection {
    const definition = connectionDefinition(input.kind);
    if (!definition) throw new ValidationError(`Unknown connection kind "${input.kind}".`);
    const name = input.name.trim();
    if (!name) throw new ValidationError('A connection needs a name.');
    const url = checkedUrl(input.url);
    const id = newId();
    const now = this.now();
    const component = definition.components.find((c) => c.model !== 'kubernetes') ?? definition.components[0];
    this.store.write((tx) =>
      tx.run(
        `INSERT INTO connections (id, name, description, url, kind, type, sub_type, model_reference, metadata, status, created_at, updated_at)
         VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, 'discovered', ?, ?)`,
        [id, name, url, input.kind, definition.type, definition.subType, JSON.stringify({ model: component?.model ?? input.kind, component: component?.kind ?? input.kind }), JSON.stringify({ manual: true, url }), now, now],
      ),
    );
    this.events.record({
      category: 'connection',
      action: 'create',
      severity: 'informational',
      actedUpon: id,
      description: `Added a ${definition.displayName} connection by hand: ${name} (${url}).`,
      metadata: { previous: null, current: 'discovered', kind: input.kind },
    });
    this.changeEmitter.fire();
    return this.require(id);
  }

  /**
   * What a connection is (its model and component) and what to follow on it (Prometheus metrics,
   * Grafana boards, Kubernetes namespaces): kept in its metadata, shown on its details page.
   */
  configure(id: string, change: { component?: { model: string; component: string }; settings?: Record<string, unknown> }): Connection {
    this.require(id);
    this.store.write((tx) => {
      if (change.component) tx.run('UPDATE connections SET model_reference = ?, updated_at = ? WHERE id = ?', [JSON.stringify(change.component), this.now(), id]);
      if (change.settings) {
        tx.run(`UPDATE connections SET metadata = json_set(metadata, '$.settings', json(?)), updated_at = ? WHERE id = ?`, [JSON.stringify(change.settings), this.now(), id]);
      }
    });
    this.changeEmitter.fire();
    return this.require(id);
  }

  /** Records, once per connection, the choice to send its credential unprotected (a warning event says so). */
  acceptInsecureCredential(id: string, url: string): void {
    const connection = this.require(id);
    this.store.write((tx) =>
      tx.run(`UPDATE connections SET metadata = json_set(metadata, '$.insecureCredentialAccepted', json(?)), updated_at = ? WHERE id = ?`, [
        JSON.stringify({ at: this.now(), url }),
        this.now(),
        id,
      ]),
    );
    this.events.record({
      category: 'connection',
      action: 'update',
      severity: 'warning',
      actedUpon: id,
      description: `${connection.name}: its credential is sent unprotected to ${url} (plain http or unverified TLS), as chosen.`,
    });
    this.changeEmitter.fire();
  }

  update(id: string, change: { name?: string; description?: string; credentialId?: string | null; skipTlsVerify?: boolean; url?: string }): Connection {
    const connection = this.require(id);
    if (change.name !== undefined && !change.name.trim()) throw new ValidationError('A connection needs a name.');
    if (change.url !== undefined) checkedUrl(change.url);
    this.store.write((tx) =>
      tx.run(
        `UPDATE connections SET name = coalesce(?, name), description = coalesce(?, description), url = coalesce(?, url),
         credential_id = CASE WHEN ? THEN ? ELSE credential_id END, skip_tls_verify = coalesce(?, skip_tls_verify), updated_at = ? WHERE id = ?`,
        [
          change.name?.trim() ?? null,
          change.description ?? null,
          change.url ?? null,
          change.credentialId !== undefined ? 1 : 0,
          change.credentialId ?? null,
          change.skipTlsVerify === undefined ? null : change.skipTlsVerify ? 1 : 0,
          this.now(),
          id,
        ],
      ),
    );
    if (change.skipTlsVerify !== undefined && change.skipTlsVerify !== connection.skipTlsVerify) {
      this.events.record({
        category: 'connection',
        action: 'update',
        severity: change.skipTlsVerify ? 'warning' : 'informational',
        actedUpon: id,
        description: `${connection.name}: TLS verification ${change.skipTlsVerify ? 'is skipped (explicitly chosen)' : 'is on again'}.`,
      });
    }
    this.changeEmitter.fire();
    return this.require(id);
  }

  dispose(): void {
    this.storeSubscription.dispose();
    this.changeEmitter.dispose();
  }

  private require(id: string): Connection {
    const connection = this.get(id);
    if (!connection) throw new ValidationError(`There is no connection ${id}.`);
    return connection;
  }

  /**
   * Until a user registers it, a discovered connection follows what discovery learns: signals
   * that arrive later (the operator's resource is listed after the Service), a new outside
   * address, a changed port. Written only when something changed.
   */
  private refreshDiscovered(connection: Connection, candidate: ConnectionCandidate, origin: CandidateOrigin): void {
    const derived = derivedFields(candidate, String(connection.metadata.candidateKey), origin);
    const metadata = { ...connection.metadata, ...derived.metadata };
    const same =
      derived.url === connection.url &&
      JSON.stringify(derived.modelReference) === JSON.stringify(connection.modelReference) &&
      JSON.stringify(metadata) === JSON.stringify(connection.metadata);
    if (same) return;
    this.store.write((tx) =>
      tx.run('UPDATE connections SET url = ?, model_reference = ?, metadata = ?, updated_at = ? WHERE id = ?', [
        derived.url,
        JSON.stringify(derived.modelReference),
        JSON.stringify(metadata),
        this.now(),
        connection.id,
      ]),
    );
    this.changeEmitter.fire();
  }

  private createDiscovered(candidate: ConnectionCandidate, key: string, clusterId: string, origin: CandidateOrigin): void {
    const definition = connectionDefinition(candidate.kind)!;
    const now = this.now();
    const id = newId();
    const name = candidate.kind === 'kubernetes' ? origin.context : `${candidate.name} (${candidate.namespace})`;
    const { url, metadata, modelReference } = derivedFields(candidate, key, origin);
    // OR IGNORE, and the event only with the row: replayed onto another window's save that
    // already proposed this thing (the unique candidate index), neither is stored twice.
    this.store.write((tx) => {
      tx.run(
        `INSERT OR IGNORE INTO connections (id, name, description, url, kind, type, sub_type, model_reference, metadata, status, cluster_id, object_uid, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'discovered', ?, ?, ?, ?)`,
        [id, name, '', url, candidate.kind, definition.type, definition.subType, JSON.stringify(modelReference), JSON.stringify(metadata), clusterId, candidate.objectUid ?? null, now, now],
      );
      this.events.record(
        {
          category: 'connection',
          action: 'discover',
          severity: 'informational',
          actedUpon: id,
          description: `Discovered a ${definition.displayName} connection: ${name} (${candidate.signals.map((s) => s.detail).join('; ')}).`,
          metadata: { previous: null, current: 'discovered', kind: candidate.kind },
        },
        { condition: 'EXISTS (SELECT 1 FROM connections WHERE id = ?)', params: [id] },
      );
    });
    this.changeEmitter.fire();
  }

  private transition(connection: Connection, to: ConnectionStatus, actor: Actor, why?: string, operationId?: string, action = 'status'): Connection {
    const definition = connectionDefinition(connection.kind);
    if (!definition) throw new ValidationError(`Unknown connection kind ${connection.kind}.`);
    const transition = checkTransition(definition, connection.status, to, actor);
    // Written as "from this status to that one": replayed onto another window's save (see Store),
    // a transition checked against a status that window has since changed does not apply, and
    // neither does its event; the other window's choice stands and the machine holds.
    const stamp = this.now();
    const applied = { condition: 'EXISTS (SELECT 1 FROM connections WHERE id = ? AND status = ? AND updated_at = ?)', params: [connection.id, to, stamp] };
    this.store.write((tx) => {
      tx.run('UPDATE connections SET status = ?, updated_at = ? WHERE id = ? AND status = ?', [to, stamp, connection.id, connection.status]);
      if (to === 'deleted') tx.run(`DELETE FROM environment_connections WHERE connection_id = ? AND EXISTS (SELECT 1 FROM connections WHERE id = ? AND status = 'deleted')`, [connection.id, connection.id]);
      this.events.record(
        {
          category: 'connection',
          action,
          severity: to === 'not found' || to === 'disconnected' ? 'warning' : to === 'connected' ? 'success' : 'informational',
          actedUpon: connection.id,
          operationId,
          description: `${connection.name}: ${connection.status} → ${to}${why ? ` (${why})` : ''}. ${transition.sentence}`,
          metadata: { previous: connection.status, current: to, actor },
        },
        applied,
      );
    });
    this.changeEmitter.fire();
    return this.require(connection.id);
  }

  private recordTest(connection: Connection, result: TestResult, operationId: string, source: TestSource = 'user'): Connection {
    const previous = connection.metadata.lastTest as { reached?: boolean; failure?: { class?: string; message?: string } } | undefined;
    const lastTest = {
      at: this.now(),
      reached: result.reached,
      path: result.path,
      latencyMs: result.latencyMs,
      serverVersion: result.serverVersion,
      failure: result.failure,
      source,
    };
    this.store.write((tx) =>
      tx.run(`UPDATE connections SET metadata = json_set(metadata, '$.lastTest', json(?)), updated_at = ? WHERE id = ?`, [JSON.stringify(lastTest), this.now(), connection.id]),
    );
    const inMaintenance = connection.status === 'maintenance';
    const repeated =
      source === 'health' && !result.reached && previous?.reached === false && previous.failure?.class === result.failure?.class && previous.failure?.message === result.failure?.message;
    if (!repeated) {
      this.events.record({
        category: 'connection',
        action: 'test',
        // In maintenance, failures are not reported (kept as debug, hidden unless asked for).
        severity: result.reached ? 'success' : inMaintenance ? 'debug' : 'error',
        actedUpon: connection.id,
        operationId,
        description: result.reached
          ? `${connection.name}: reached ${result.path === 'service-proxy' ? "through the API server's service proxy" : 'directly'} in ${result.latencyMs} ms${result.serverVersion ? ` (version ${result.serverVersion})` : ''}.`
          : `${connection.name}: not reached (${result.failure?.class}): ${result.failure?.message}. ${result.failure?.advice}`,
        metadata: { reached: result.reached, path: result.path, failureClass: result.failure?.class ?? null, source },
      });
    }
    const current = this.require(connection.id);
    if (result.reached && (current.status === 'registered' || current.status === 'disconnected')) {
      return this.transition(current, 'connected', 'system', current.status === 'registered' ? 'the connectivity test reached it' : 'the connectivity test reaches it again', operationId);
    }
    if (!result.reached && current.status === 'connected') {
      return this.transition(current, 'disconnected', 'system', `the connectivity test failed: ${result.failure?.class ?? 'unknown'}`, operationId);
    }
    this.changeEmitter.fire();
    return current;
  }
}

/** What a discovered connection takes from its candidate: its address, where it was found and why, its component. */
function derivedFields(candidate: ConnectionCandidate, key: string, origin: CandidateOrigin) {
  const url = candidate.kind === 'kubernetes' ? origin.server : (candidate.urls.external ?? candidate.urls.inCluster ?? '');
  const metadata: Record<string, unknown> = {
    candidateKey: key,
    context: origin.context,
    server: origin.server,
    namespace: candidate.namespace,
    proxyPath: candidate.urls.proxyPath,
    signals: candidate.signals.map((s) => s.detail),
    ...(candidate.kind === 'kubernetes' ? {} : { name: candidate.name, url, inClusterUrl: candidate.urls.inCluster, port: candidate.port }),
  };
  return { url, metadata, modelReference: modelReferenceOf(candidate) };
}

/** The URL, trimmed, or a ValidationError with the sentence that says what is wrong with it. */
function checkedUrl(text: string): string {
  const problem = urlProblem(text);
  if (problem) throw new ValidationError(problem);
  return text.trim();
}

function fromRow(row: ConnectionRow): Connection {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    url: row.url,
    kind: row.kind,
    type: row.type,
    subType: row.sub_type,
    credentialId: row.credential_id ?? undefined,
    modelReference: JSON.parse(row.model_reference),
    metadata: JSON.parse(row.metadata),
    status: row.status,
    environments: row.environments ? row.environments.split(',') : [],
    clusterId: row.cluster_id ?? undefined,
    objectUid: row.object_uid ?? undefined,
    skipTlsVerify: row.skip_tls_verify === 1,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
