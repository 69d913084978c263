import { Disposable } from '../common/disposable';
import { Emitter } from '../common/emitter';
import { newId } from '../common/ids';
import { CredentialValues } from '../connectivity/testers';
import { EventLog } from '../events/eventLog';
import { problems } from '../common/jsonSchema';
import { connectionDefinition } from '../registry/connectionDefinitions';
import { Store } from '../store/store';
import { CredentialInfo, SecretStore, ValidationError } from './types';

interface CredentialRow {
  id: string;
  name: string;
  kind: string;
  fields: string;
  created_at: number;
  updated_at: number;
  connections: string | null;
}

const secretKey = (id: string) => `meshery.credential.${id}`;

/**
 * Credentials: their values go to the SecretStore (VS Code SecretStorage) only; the database keeps
 * the id, name, kind, type and the names of the fields that are set. Events name credentials,
 * never their values.
 */
export class CredentialService implements Disposable {
  private readonly changeEmitter = new Emitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly storeSubscription: Disposable;

  constructor(
    private readonly store: Store,
    private readonly secrets: SecretStore,
    private readonly events: EventLog,
    private readonly now: () => number = Date.now,
  ) {
    // Another window's changes merged in (see Store): the views showing these rows refresh too.
    this.storeSubscription = store.onDidChange((change) => {
      if (change.external) this.changeEmitter.fire();
    });
  }

  list(): CredentialInfo[] {
    return this.store
      .all<CredentialRow>(
        `SELECT c.*, (SELECT group_concat(id) FROM connections k WHERE k.credential_id = c.id AND k.status <> 'deleted') AS connections FROM credentials c ORDER BY c.name`,
      )
      .map((r) => {
        const fields = JSON.parse(r.fields) as { type: string; set: string[] };
        return { id: r.id, name: r.name, kind: r.kind, type: fields.type, fields: fields.set, connectionIds: r.connections ? r.connections.split(',') : [], createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) };
      });
  }

  get(id: string): CredentialInfo | undefined {
    return this.list().find((c) => c.id === id);
  }

  /** Validates the values against the kind's credential schema, stores them as a secret, records the metadata. */
  async create(input: { name: string; kind: string; type: string; values: CredentialValues }): Promise<CredentialInfo> {
    const name = input.name.trim();
    if (!name) throw new ValidationError('A credential needs a name.');
    const definition = connectionDefinition(input.kind);
    if (!definition) throw new ValidationError(`Unknown connection kind "${input.kind}".`);
    const schema = definition.credentialSchema.find((s) => s.type === input.type);
    if (!schema) throw new ValidationError(`A ${definition.displayName} credential cannot be of type "${input.type}" (one of: ${definition.credentialSchema.map((s) => s.type).join(', ')}).`);
    // Empty fields are unset ones; what is left must satisfy the type's JSON Schema (the form uses the same one).
    const values: Record<string, string> = Object.fromEntries(Object.entries(input.values).filter(([, v]) => v !== ''));
    const found = problems(schema.schema, values);
    if (found.length) throw new ValidationError(`The ${schema.displayName} credential is not valid: ${found.map((p) => p.message).join(' ')}`);
    const id = newId();
    await this.secrets.store(secretKey(id), JSON.stringify(values));
    const now = this.now();
    this.store.write((tx) =>
      tx.run('INSERT INTO credentials (id, name, kind, fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', [
        id,
        name,
        input.kind,
        JSON.stringify({ type: input.type, set: Object.keys(values).sort() }),
        now,
        now,
      ]),
    );
    this.record('create', 'success', id, `Credential "${name}" (${definition.displayName}, ${schema.displayName}) created; its values are in the secret store.`);
    return this.get(id)!;
  }

  /** The values, for a connectivity test; undefined if the secret store lost them. */
  async values(id: string): Promise<CredentialValues | undefined> {
    const text = await this.secrets.get(secretKey(id));
    return text ? (JSON.parse(text) as CredentialValues) : undefined;
  }

  /** Attaches the credential to connections of its kind only (checked here, whatever the caller). */
  attach(id: string, connectionIds: readonly string[]): void {
    const credential = this.require(id);
    const kinds = new Map(
      this.store.all<{ id: string; kind: string; name: string }>(`SELECT id, kind, name FROM connections WHERE status <> 'deleted'`).map((c) => [c.id, c] as const),
    );
    for (const connectionId of connectionIds) {
      const connection = kinds.get(connectionId);
      if (!connection) throw new ValidationError(`There is no connection ${connectionId}.`);
      if (connection.kind !== credential.kind) throw new ValidationError(`"${credential.name}" is a ${credential.kind} credential; ${connection.name} is a ${connection.kind} connection.`);
    }
    this.store.write((tx) => tx.runMany('UPDATE connections SET credential_id = ?, updated_at = ? WHERE id = ?', connectionIds.map((c) => [id, this.now(), c])));
    this.record('attach', 'success', id, `Credential "${credential.name}" attached to ${connectionIds.length} connection(s).`, { connectionIds });
  }

  /** An ad hoc test of the credential against connections: one event for the credential, nothing on the connections. */
  recordTest(id: string, results: readonly { name: string; reached: boolean; failure?: string }[]): void {
    const credential = this.require(id);
    const reached = results.filter((r) => r.reached).length;
    this.events.record({
      category: 'credential',
      action: 'test',
      severity: reached === results.length ? 'success' : 'warning',
      actedUpon: id,
      description: `Credential "${credential.name}" tested against ${results.length} connection(s): ${results.map((r) => `${r.name} ${r.reached ? 'reached' : `not reached (${r.failure ?? 'unknown'})`}`).join('; ')}.`,
    });
  }

  /** Deletes the credential and its secret; the connections using it lose it. Returns those connections. */
  async delete(id: string): Promise<readonly string[]> {
    const credential = this.require(id);
    await this.secrets.delete(secretKey(id));
    this.store.write((tx) => {
      tx.run('UPDATE connections SET credential_id = NULL WHERE credential_id = ?', [id]);
      tx.run('DELETE FROM credentials WHERE id = ?', [id]);
    });
    this.record(
      'delete',
      'warning',
      id,
      `Credential "${credential.name}" deleted${credential.connectionIds.length ? `; ${credential.connectionIds.length} connection(s) no longer have a credential` : ''}.`,
    );
    return credential.connectionIds;
  }

  dispose(): void {
    this.storeSubscription.dispose();
    this.changeEmitter.dispose();
  }

  private require(id: string): CredentialInfo {
    const credential = this.get(id);
    if (!credential) throw new ValidationError(`There is no credential ${id}.`);
    return credential;
  }

  private record(action: string, severity: 'success' | 'warning', id: string, description: string, metadata?: Record<string, unknown>): void {
    this.events.record({ category: 'credential', action, severity, actedUpon: id, description, metadata });
    this.changeEmitter.fire();
  }
}
