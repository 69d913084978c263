import { Disposable } from '../common/disposable';
import { Emitter } from '../common/emitter';
import { newId } from '../common/ids';
import { EventLog } from '../events/eventLog';
import { Store } from '../store/store';
import { Environment, ValidationError } from './types';

interface EnvironmentRow {
  id: string;
  name: string;
  description: string;
  created_at: number;
  updated_at: number;
  connections: string | null;
}

/** Environments (name <= 100, description <= 1000, as in Meshery) and their many-to-many connections. */
export class EnvironmentService implements Disposable {
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

  list(): Environment[] {
    return this.store
      .all<EnvironmentRow>(
        `SELECT e.*, (SELECT group_concat(connection_id) FROM environment_connections m WHERE m.environment_id = e.id) AS connections
         FROM environments e ORDER BY e.name`,
      )
      .map((r) => ({ id: r.id, name: r.name, description: r.description, connectionIds: r.connections ? r.connections.split(',') : [], createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) }));
  }

  get(id: string): Environment | undefined {
    return this.list().find((e) => e.id === id);
  }

  create(name: string, description = ''): Environment {
    const clean = validateName(name);
    validateDescription(description);
    if (this.list().some((e) => e.name.toLowerCase() === clean.toLowerCase())) throw new ValidationError(`An environment named "${clean}" already exists.`);
    const id = newId();
    const now = this.now();
    // OR IGNORE, and the event only with the row: replayed onto another window's save that
    // created the same name meanwhile (unique, any case), neither is stored twice.
    this.store.write((tx) => {
      tx.run('INSERT OR IGNORE INTO environments (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', [id, clean, description, now, now]);
      this.record('create', id, `Environment "${clean}" created.`, undefined, { condition: 'EXISTS (SELECT 1 FROM environments WHERE id = ?)', params: [id] });
    });
    return this.get(id)!;
  }

  rename(id: string, name: string): Environment {
    const environment = this.require(id);
    const clean = validateName(name);
    if (this.list().some((e) => e.id !== id && e.name.toLowerCase() === clean.toLowerCase())) throw new ValidationError(`An environment named "${clean}" already exists.`);
    this.store.write((tx) => tx.run('UPDATE environments SET name = ?, updated_at = ? WHERE id = ?', [clean, this.now(), id]));
    this.record('rename', id, `Environment "${environment.name}" renamed to "${clean}".`);
    return this.get(id)!;
  }

  describe(id: string, description: string): Environment {
    const environment = this.require(id);
    validateDescription(description);
    this.store.write((tx) => tx.run('UPDATE environments SET description = ?, updated_at = ? WHERE id = ?', [description, this.now(), id]));
    this.record('update', id, `Environment "${environment.name}" description updated.`);
    return this.get(id)!;
  }

  /** Deletes an environment; its assignments go with it (the connections stay). Returns how many were unassigned. */
  delete(id: string): number {
    const environment = this.require(id);
    this.store.write((tx) => {
      tx.run('DELETE FROM environment_connections WHERE environment_id = ?', [id]);
      tx.run('DELETE FROM environments WHERE id = ?', [id]);
    });
    this.record('delete', id, `Environment "${environment.name}" deleted; ${environment.connectionIds.length} connection(s) were unassigned from it (the connections themselves are kept).`);
    return environment.connectionIds.length;
  }

  assign(id: string, connectionIds: readonly string[]): void {
    const environment = this.require(id);
    this.store.write((tx) =>
      tx.runMany('INSERT OR IGNORE INTO environment_connections (environment_id, connection_id, created_at) VALUES (?, ?, ?)', connectionIds.map((c) => [id, c, this.now()])),
    );
    this.record('assign', id, `${connectionIds.length} connection(s) assigned to environment "${environment.name}".`, { connectionIds });
  }

  unassign(id: string, connectionIds: readonly string[]): void {
    const environment = this.require(id);
    this.store.write((tx) => tx.runMany('DELETE FROM environment_connections WHERE environment_id = ? AND connection_id = ?', connectionIds.map((c) => [id, c])));
    this.record('unassign', id, `${connectionIds.length} connection(s) unassigned from environment "${environment.name}".`, { connectionIds });
  }

  dispose(): void {
    this.storeSubscription.dispose();
    this.changeEmitter.dispose();
  }

  private require(id: string): Environment {
    const environment = this.get(id);
    if (!environment) throw new ValidationError(`There is no environment ${id}.`);
    return environment;
  }

  private record(action: string, id: string, description: string, metadata?: Record<string, unknown>, onlyIf?: Parameters<EventLog['record']>[1]): void {
    this.events.record({ category: 'environment', action, severity: action === 'delete' ? 'warning' : 'success', actedUpon: id, description, metadata }, onlyIf);
    this.changeEmitter.fire();
  }
}

function validateName(name: string): string {
  const clean = name.trim();
  if (!clean) throw new ValidationError('An environment needs a name.');
  if (clean.length > 100) throw new ValidationError('An environment name has at most 100 characters.');
  return clean;
}

function validateDescription(description: string): void {
  if (description.length > 1000) throw new ValidationError('An environment description has at most 1000 characters.');
}
