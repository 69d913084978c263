import { Disposable, DisposableStore } from '../common/disposable';
import { Emitter } from '../common/emitter';
import { newId } from '../common/ids';
import { Logger, silentLogger } from '../common/logger';
import { SqlValue, Store } from '../store/store';
import { eventWhereClause } from './eventQuery';
import { EventChange, EventFilter, EventPage, EventStatus, MesheryEvent, NewEvent, Severity } from './types';

export interface EventLogOptions {
  /** The most events kept; older ones are removed as new ones arrive. */
  readonly retention: number;
  readonly logger?: Logger;
  readonly now?: () => number;
}

interface EventRow {
  id: string;
  operation_id: string;
  category: string;
  action: string;
  description: string;
  severity: Severity;
  status: EventStatus;
  acted_upon: string | null;
  metadata: string;
  created_at: number;
}

export const defaultEventRetention = 5000;

/**
 * The event log behind the Notification Center: every operation a user may want to look back on.
 * Events are persisted in the store; a change feed tells views exactly what changed.
 */
export class EventLog implements Disposable {
  private readonly changeEmitter = new Emitter<EventChange>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly disposables = new DisposableStore();
  private retention: number;
  /** Where events are also written (the Meshery log channel in the extension). */
  readonly logger: Logger;
  private readonly now: () => number;
  private lastCreatedAt = 0;
  private storedCount: number;

  constructor(
    private readonly store: Store,
    options: EventLogOptions,
  ) {
    this.retention = sanitizeRetention(options.retention);
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.storedCount = this.count({});
    this.disposables.add(
      store.onDidChange(({ external }) => {
        if (external) {
          this.storedCount = this.count({});
          this.changeEmitter.fire({ kind: 'reset' });
        }
      }),
    );
  }

  /**
   * Records an event. `onlyIf` is an SQL condition the insert is made under, so that an event
   * describing a guarded change (a status transition) is dropped with it when another window's
   * save makes the change not apply on replay.
   */
  record(input: NewEvent, onlyIf?: { readonly condition: string; readonly params: SqlValue[] }): MesheryEvent {
    // Strictly increasing times keep "newest first" exact for events recorded in the same millisecond.
    const createdAt = Math.max(this.now(), this.lastCreatedAt + 1);
    this.lastCreatedAt = createdAt;
    const event: MesheryEvent = {
      id: newId(),
      operationId: input.operationId ?? newId(),
      category: input.category,
      action: input.action,
      description: input.description,
      severity: input.severity,
      status: 'unread',
      actedUpon: input.actedUpon,
      metadata: input.metadata ?? {},
      createdAt,
    };
    const trimmed = this.store.write((tx) => {
      this.storedCount += tx.run(
        `INSERT INTO events (id, operation_id, category, action, description, severity, status, acted_upon, metadata, created_at)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ${onlyIf?.condition ?? '1'}`,
        [
          event.id,
          event.operationId,
          event.category,
          event.action,
          event.description,
          event.severity,
          event.status,
          event.actedUpon ?? null,
          JSON.stringify(event.metadata),
          event.createdAt,
          ...(onlyIf?.params ?? []),
        ],
      );
      return this.storedCount > this.retention ? this.trim(tx.run) : [];
    });
    this.log(event);
    this.changeEmitter.fire({ kind: 'added', events: [event] });
    if (trimmed.length > 0) {
      this.changeEmitter.fire({ kind: 'removed', ids: trimmed });
    }
    return event;
  }

  /** Newest first. */
  query(filter: EventFilter = {}, page: EventPage = { limit: 200 }): MesheryEvent[] {
    const { where, params } = eventWhereClause(filter);
    return this.store
      .all<EventRow>(`SELECT * FROM events ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, [
        ...params,
        page.limit,
        page.offset ?? 0,
      ])
      .map(fromRow);
  }

  get(id: string): MesheryEvent | undefined {
    const row = this.store.get<EventRow>('SELECT * FROM events WHERE id = ?', [id]);
    return row ? fromRow(row) : undefined;
  }

  count(filter: EventFilter = {}): number {
    const { where, params } = eventWhereClause(filter);
    return Number(this.store.get<{ n: number }>(`SELECT count(*) AS n FROM events ${where}`, params)?.n ?? 0);
  }

  unreadCount(filter: EventFilter = {}): number {
    return this.count({ ...filter, status: 'unread' });
  }

  categories(): string[] {
    return this.store.all<{ category: string }>('SELECT DISTINCT category FROM events ORDER BY category').map((r) => r.category);
  }

  /** The actions events were recorded with (register, test, status, ...), for the action filter. */
  actions(): string[] {
    return this.store.all<{ action: string }>('SELECT DISTINCT action FROM events ORDER BY action').map((r) => r.action);
  }

  setStatus(ids: readonly string[], status: EventStatus): number {
    if (ids.length === 0) {
      return 0;
    }
    const changed = this.store.write((tx) =>
      ids.reduce((n, id) => n + tx.run('UPDATE events SET status = ? WHERE id = ? AND status <> ?', [status, id, status]), 0),
    );
    if (changed > 0) {
      this.changeEmitter.fire({ kind: 'updated', ids });
    }
    return changed;
  }

  /**
   * The ids of the events matching a filter. Bulk operations are written as these ids, not as the
   * filter: replayed onto another window's save (see Store), "mark all read" must mark what this
   * window showed, not the other window's newer events.
   */
  private idsWhere(filter: EventFilter): string[] {
    const { where, params } = eventWhereClause(filter);
    return this.store.all<{ id: string }>(`SELECT id FROM events ${where}`, params).map((r) => r.id);
  }

  /** Marks every event matching the filter (all events by default). */
  setStatusWhere(filter: EventFilter, status: EventStatus): number {
    const ids = this.idsWhere({ ...filter, status: status === 'read' ? 'unread' : 'read' });
    const changed = this.store.write((tx) => {
      tx.runMany('UPDATE events SET status = ? WHERE id = ?', ids.map((id) => [status, id]));
      return ids.length;
    });
    if (changed > 0) {
      this.changeEmitter.fire({ kind: 'reset' });
    }
    return changed;
  }

  delete(ids: readonly string[]): number {
    if (ids.length === 0) {
      return 0;
    }
    const removed = this.store.write((tx) => ids.reduce((n, id) => n + tx.run('DELETE FROM events WHERE id = ?', [id]), 0));
    this.storedCount -= removed;
    if (removed > 0) {
      this.changeEmitter.fire({ kind: 'removed', ids });
    }
    return removed;
  }

  /** Deletes every event matching the filter (all events by default). */
  deleteWhere(filter: EventFilter = {}): number {
    const ids = this.idsWhere(filter);
    const removed = this.store.write((tx) => {
      tx.runMany('DELETE FROM events WHERE id = ?', ids.map((id) => [id]));
      return ids.length;
    });
    this.storedCount -= removed;
    if (removed > 0) {
      this.changeEmitter.fire({ kind: 'reset' });
    }
    return removed;
  }

  setRetention(retention: number): void {
    this.retention = sanitizeRetention(retention);
    if (this.storedCount > this.retention) {
      const removed = this.store.write((tx) => this.trim(tx.run));
      if (removed.length > 0) {
        this.changeEmitter.fire({ kind: 'removed', ids: removed });
      }
    }
  }

  dispose(): void {
    this.disposables.dispose();
    this.changeEmitter.dispose();
  }

  /**
   * Keeps the newest `retention` events. Written as "keep the newest N" rather than "delete these
   * ids" so that replaying it on another window's newer save is still right.
   */
  private trim(run: (sql: string, params: (string | number)[]) => number): string[] {
    const doomed = this.store
      .all<{ id: string }>('SELECT id FROM events ORDER BY created_at DESC, id DESC LIMIT -1 OFFSET ?', [this.retention])
      .map((r) => r.id);
    run('DELETE FROM events WHERE id NOT IN (SELECT id FROM events ORDER BY created_at DESC, id DESC LIMIT ?)', [this.retention]);
    this.storedCount = this.count({});
    return doomed;
  }

  private log(event: MesheryEvent): void {
    const line = `[${event.category}/${event.action}] ${event.description}`;
    switch (event.severity) {
      case 'emergency':
      case 'alert':
      case 'critical':
      case 'error':
        this.logger.error(line);
        break;
      case 'warning':
        this.logger.warn(line);
        break;
      case 'debug':
        this.logger.debug(line);
        break;
      default:
        this.logger.info(line);
    }
  }
}

function sanitizeRetention(value: number): number {
  return Number.isFinite(value) && value >= 1 ? Math.floor(value) : defaultEventRetention;
}

function fromRow(row: EventRow): MesheryEvent {
  return {
    id: row.id,
    operationId: row.operation_id,
    category: row.category,
    action: row.action,
    description: row.description,
    severity: row.severity,
    status: row.status,
    actedUpon: row.acted_upon ?? undefined,
    metadata: parseMetadata(row.metadata),
    createdAt: Number(row.created_at),
  };
}

function parseMetadata(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
