import * as fs from 'node:fs';
import { Disposable } from '../common/disposable';
import { Emitter } from '../common/emitter';
import { Logger, errorMessage } from '../common/logger';
import { AtomicWriteHooks, writeFileAtomically } from './atomicFile';
import { FileLockOptions, acquireFileLock, defaultLockOptions } from './fileLock';
import { Migration } from './migrations';
import { SchemaTooNewError, migrate } from './migrate';
import { SqlDatabase, SqlJs, assertReadable } from './sqlEngine';
import { JournalEntry, keepUnsavedChanges } from './unsavedChanges';

export type SqlValue = string | number | null | Uint8Array;

export type SqlParams = SqlValue[] | Record<string, SqlValue>;
export type Row = Record<string, SqlValue>;

/** What a write transaction may do. Reads inside it see its own uncommitted writes. */
export interface WriteContext {
  run(sql: string, params?: SqlParams): number;
  /** One statement prepared once and run for every row: the fast path for bulk writes. */
  runMany(sql: string, rows: readonly SqlParams[]): void;
  all<T = Row>(sql: string, params?: SqlParams): T[];
}

export interface StoreOptions {
  /** The database file; undefined keeps the database in memory only. */
  readonly path: string | undefined;
  readonly migrations: readonly Migration[];
  readonly logger: Logger;
  readonly saveDelayMs: number;
  /** How often the file is checked for writes by another process (another VS Code window). */
  readonly pollIntervalMs?: number;
  readonly lock?: FileLockOptions;
  readonly writeHooks?: AtomicWriteHooks;
  /**
   * The file as it was when the database was read from it (openStore reads, then migrates):
   * another process's write since then is merged at the first save, not overwritten.
   */
  readonly readFrom?: { readonly signature: FileSignature | undefined };
}

export interface StoreChange {
  /** True when the change came from another process's save, merged in from disk. */
  readonly external: boolean;
}

export interface FileSignature {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * The sql.js database with debounced, atomic, multi-process-safe persistence.
 *
 * Two VS Code windows share global storage, so two extension hosts may write the same file.
 * Strategy: reload-and-replay under a lock. Every committed write statement is also kept in a
 * journal until it has been saved. A save takes an inter-process lock, and if the file on disk
 * is no longer the one this process last loaded or wrote (another window saved since), it
 * loads the disk version, replays this process's journal onto it, adopts the result, and only
 * then writes it back. Neither window's writes are lost, and neither needs to be the single
 * writer. Writes are therefore self-contained statements (upserts keyed by UUIDs, deletes by
 * key) so that replaying them on a newer base is correct. Between saves, a file watcher merges
 * other windows' saves in, so each window also sees the other's changes.
 */
export class Store implements Disposable {
  private readonly changeEmitter = new Emitter<StoreChange>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly saveErrorEmitter = new Emitter<Error>();
  /** Fires once per run of failed saves (not on every retry), so reporting it cannot loop. */
  readonly onSaveError = this.saveErrorEmitter.event;

  private journal: JournalEntry[] = [];
  private depth = 0;
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> | undefined;
  private lastSignature: FileSignature | undefined;
  private failing = false;
  private closed = false;
  /** Set when the file must be rewritten although no logical change is pending (after VACUUM). */
  private rewriteRequested = false;
  private lastSaveMs = 0;
  private saveDueAt = 0;
  private readonly pollListener = () => this.onFileTouched();
  private target: string | undefined;
  /** Set by close(): a failed save is not retried any more. */
  private closing = false;

  constructor(
    private readonly sql: SqlJs,
    private db: SqlDatabase,
    private readonly options: StoreOptions,
  ) {
    applyConnectionPragmas(db);
    this.target = options.path;
    if (options.path) {
      this.lastSignature = options.readFrom ? options.readFrom.signature : readSignature(options.path);
      fs.watchFile(options.path, { interval: options.pollIntervalMs ?? 1000, persistent: false }, this.pollListener);
    }
  }

  /** The file, or undefined when the database lives in memory only (from the start, or since it had to stop saving). */
  get path(): string | undefined {
    return this.target;
  }

  /** Writes not yet on disk (for status displays and tests). */
  get pendingWrites(): number {
    return this.journal.length;
  }

  all<T = Row>(sql: string, params?: SqlParams): T[] {
    const statement = this.db.prepare(sql);
    try {
      if (params) {
        statement.bind(params);
      }
      const rows: T[] = [];
      while (statement.step()) {
        rows.push(statement.getAsObject() as T);
      }
      return rows;
    } finally {
      statement.free();
    }
  }

  get<T = Row>(sql: string, params?: SqlParams): T | undefined {
    return this.all<T>(sql, params)[0];
  }

  /**
   * Runs `body` in one transaction (nested calls join the outer one) and schedules a save.
   * If `body` throws, everything it wrote is rolled back and nothing reaches the journal.
   * (Only users' data is written here: the discovered objects live in their own files, see
   * InventorySnapshots, so a save stays small and fast whatever the size of the clusters.)
   */
  write<T>(body: (tx: WriteContext) => T): T {
    this.assertOpen();
    const outermost = this.depth === 0;
    const journalMark = this.journal.length;
    if (outermost) {
      this.db.run('BEGIN');
    }
    this.depth++;
    try {
      const result = body({
        run: (sql, params) => {
          this.db.run(sql, params);
          this.journal.push({ sql, params });
          return this.db.getRowsModified();
        },
        runMany: (sql, rows) => {
          const statement = this.db.prepare(sql);
          try {
            for (const row of rows) {
              statement.run(row);
              this.journal.push({ sql, params: row });
            }
          } finally {
            statement.free();
          }
        },
        all: (sql, params) => this.all(sql, params),
      });
      this.depth--;
      if (outermost) {
        this.db.run('COMMIT');
        this.scheduleSave();
        this.changeEmitter.fire({ external: false });
      }
      return result;
    } catch (error) {
      this.depth--;
      if (outermost) {
        this.db.run('ROLLBACK');
        this.journal.length = journalMark;
      }
      throw error;
    }
  }

  /** Saves now (waiting for a save in progress first). Resolves once everything written so far is on disk. */
  async flush(): Promise<void> {
    this.clearSaveTimer();
    while (this.saving) {
      await this.saving.catch(() => undefined);
    }
    if (!this.target || (this.journal.length === 0 && this.lastSignature && !this.rewriteRequested)) {
      return;
    }
    await this.runSave();
  }

  /** VACUUM cannot run in a transaction and is not journaled: it changes no content. */
  async compact(): Promise<void> {
    this.assertOpen();
    await this.flush();
    this.db.run('VACUUM');
    applyConnectionPragmas(this.db);
    this.rewriteRequested = true;
    await this.flush();
  }

  sizeInBytes(): number {
    const pages = this.all<{ page_count: number }>('PRAGMA page_count')[0]?.page_count ?? 0;
    const pageSize = this.all<{ page_size: number }>('PRAGMA page_size')[0]?.page_size ?? 0;
    return Number(pages) * Number(pageSize);
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closing = true;
    try {
      await this.flush();
    } catch (error) {
      if (this.target) keepUnsavedChanges(this.target, this.journal, error, this.options.logger);
      throw error;
    } finally {
      this.closed = true;
      this.dispose();
    }
  }

  dispose(): void {
    this.closed = true;
    this.clearSaveTimer();
    if (this.target) {
      fs.unwatchFile(this.target, this.pollListener);
    }
    this.changeEmitter.dispose();
    this.saveErrorEmitter.dispose();
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new Error('The Meshery database is closed.');
    }
  }

  private scheduleSave(): void {
    // A throttle, not a debounce: a steady stream of writes must still reach disk regularly.
    if (!this.target || this.closed) {
      return;
    }
    // A large database takes a while to export and write: keep saving to at most ~10% of the time.
    let delay = Math.min(60_000, Math.max(this.options.saveDelayMs, this.lastSaveMs * 10));
    if (this.failing) delay = Math.max(delay, 5_000);
    const dueAt = Date.now() + delay;
    if (this.saveTimer && this.saveDueAt <= dueAt) {
      return;
    }
    // A save already due sooner stands; a later one is brought forward to this due time.
    this.clearSaveTimer();
    this.saveDueAt = dueAt;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.runSave().catch(() => undefined);
    }, delay);
    this.saveTimer.unref?.();
  }

  private hasPendingWork(): boolean {
    return this.journal.length > 0 || this.rewriteRequested;
  }

  private clearSaveTimer(): void {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
  }

  private runSave(): Promise<void> {
    if (this.saving) {
      // Joining a save or merge that is already running: what was written after its snapshot
      // (or all of it, for a merge) still needs a save, so the timer is armed again.
      return this.saving.finally(() => {
        if (this.hasPendingWork()) this.scheduleSave();
      });
    }
    this.saving = this.save().finally(() => {
      this.saving = undefined;
    });
    return this.saving;
  }

  private async save(): Promise<void> {
    const target = this.target;
    if (!target || this.closed) {
      return;
    }
    let release: (() => void) | undefined;
    try {
      release = await acquireFileLock(`${target}.lock`, this.options.lock ?? defaultLockOptions);
      if (this.closed) {
        return;
      }
      this.mergeIfChangedOnDisk(target);
      const savedUpTo = this.journal.length;
      const started = Date.now();
      const bytes = this.db.export();
      // export() closes and reopens the connection, which resets per-connection pragmas.
      applyConnectionPragmas(this.db);
      await writeFileAtomically(target, bytes, this.options.writeHooks);
      this.lastSaveMs = Date.now() - started;
      this.lastSignature = readSignature(target);
      this.journal.splice(0, savedUpTo);
      this.rewriteRequested = false;
      if (this.failing) {
        this.options.logger.info(`Database saved again to ${target}.`);
      }
      this.failing = false;
    } catch (error) {
      const wasFailing = this.failing;
      this.failing = true;
      if (error instanceof SchemaTooNewError) {
        this.stopSaving(target, error);
      } else if (!this.closing) {
        this.options.logger.error(`Saving the database to ${target} failed (will retry; nothing is lost): ${errorMessage(error)}`);
      }
      if (!wasFailing) {
        this.saveErrorEmitter.fire(error instanceof Error ? error : new Error(String(error)));
      }
      if (!this.closing) this.scheduleSave();
      throw error;
    } finally {
      release?.();
    }
  }

  /**
   * Another window of a newer Meshery rewrote the file with a schema this one does not know:
   * writing it would fail forever (or damage it). This window goes on in memory, as openStore
   * does for such a file, and says so once (onSaveError).
   */
  private stopSaving(target: string, error: SchemaTooNewError): void {
    fs.unwatchFile(target, this.pollListener);
    this.target = undefined;
    this.clearSaveTimer();
    this.journal = [];
    this.rewriteRequested = false;
    this.options.logger.error(`${error.message} This window keeps its data in memory only from now on; ${target} is left untouched. Reload the window after updating Meshery.`);
  }

  /** Called with the lock held. Adopts another process's save, with this process's unsaved writes replayed on top. */
  private mergeIfChangedOnDisk(target: string): boolean {
    const onDisk = readSignature(target);
    if (!onDisk || sameSignature(onDisk, this.lastSignature)) {
      return false;
    }
    let merged: SqlDatabase | undefined;
    try {
      merged = new this.sql.Database(fs.readFileSync(target));
      assertReadable(merged);
    } catch (error) {
      // What is on disk is not a database any more: keep a copy, and this window's good one replaces it.
      merged?.close();
      const keptAs = `${target}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      fs.copyFileSync(target, keptAs);
      this.options.logger.error(`${target} was changed on disk and cannot be read (${errorMessage(error)}); it was kept as ${keptAs} and this window's database replaces it.`);
      this.lastSignature = onDisk;
      return false;
    }
    try {
      migrate(merged, this.options.migrations);
      applyConnectionPragmas(merged);
      merged.run('BEGIN');
      let skipped = 0;
      for (const entry of this.journal) {
        try {
          merged.run(entry.sql, entry.params);
        } catch (error) {
          // A write that no longer applies (its row was deleted by the other window) is dropped, and said so.
          skipped++;
          this.options.logger.warn(`A change could not be merged with another window's save and was dropped: ${errorMessage(error)}`);
        }
      }
      merged.run('COMMIT');
      this.options.logger.debug(`Merged another window's save with ${this.journal.length - skipped} local change(s).`);
    } catch (error) {
      merged.close();
      if (error instanceof SchemaTooNewError) throw error;
      throw new Error(`Could not merge another window's changes from ${target}: ${errorMessage(error)}`);
    }
    this.db.close();
    this.db = merged;
    this.lastSignature = onDisk;
    this.changeEmitter.fire({ external: true });
    return true;
  }

  private onFileTouched(): void {
    const target = this.target;
    if (!target || this.closed || this.saving) {
      return;
    }
    const onDisk = readSignature(target);
    if (!onDisk || sameSignature(onDisk, this.lastSignature)) {
      return;
    }
    // Another window saved. Take the lock so the file cannot change while it is read, then merge.
    this.saving = (async () => {
      const release = await acquireFileLock(`${target}.lock`, this.options.lock ?? defaultLockOptions);
      try {
        if (!this.closed) {
          this.mergeIfChangedOnDisk(target);
        }
      } finally {
        release();
      }
    })()
      .catch((error) => this.options.logger.warn(errorMessage(error)))
      .finally(() => {
        this.saving = undefined;
      });
  }
}

/**
 * The database lives in sql.js's in-memory file system; durability comes from the atomic save of
 * the whole file, not from SQLite's journal. So the rollback journal stays in memory (rollback
 * still works) and nothing waits on a sync: a bulk write of 100,000 rows is several times faster.
 */
function applyConnectionPragmas(db: SqlDatabase): void {
  db.exec('PRAGMA foreign_keys = ON; PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16000');
}

export function readSignature(file: string): FileSignature | undefined {
  try {
    const stat = fs.statSync(file);
    return { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs };
  } catch {
    return undefined;
  }
}

function sameSignature(a: FileSignature, b: FileSignature | undefined): boolean {
  return !!b && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}
