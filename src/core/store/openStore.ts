import * as fs from 'node:fs';
import * as path from 'node:path';
import { Logger, errorMessage } from '../common/logger';
import { removeAbandonedTempFiles } from './atomicFile';
import { acquireFileLock, defaultLockOptions } from './fileLock';
import { SchemaTooNewError, migrateInTurns } from './migrate';
import { Migration, migrations as shippedMigrations } from './migrations';
import { SqlDatabase, assertReadable, loadSqlEngine } from './sqlEngine';
import { FileSignature, Store, StoreOptions, readSignature } from './store';
import { applyUnsavedChanges } from './unsavedChanges';

/** What happened to a database file that could not be used as it was. */
export type StoreRecovery =
  | { readonly kind: 'corrupt'; readonly keptAs: string; readonly reason: string }
  | { readonly kind: 'too-new'; readonly path: string; readonly reason: string }
  | { readonly kind: 'unwritable'; readonly path: string; readonly reason: string };

export interface OpenedStore {
  readonly store: Store;
  readonly recovery: StoreRecovery | undefined;
  readonly migrationsApplied: number[];
  /** Changes an earlier session could not save (see unsavedChanges.ts), applied now. */
  readonly recoveredChanges: number;
}

export interface OpenStoreOptions extends Omit<StoreOptions, 'migrations' | 'logger'> {
  readonly logger: Logger;
  readonly migrations?: readonly Migration[];
  /**
   * When the file cannot be created or written (read-only or full storage), open an in-memory
   * database and say why (recovery 'unwritable') instead of failing: the extension must activate.
   * The CLI leaves it off: a script asked for that file.
   */
  readonly fallbackToMemory?: boolean;
  /** Compile SQLite in a worker thread first (see loadSqlEngine): for the extension host. */
  readonly compileEngineApart?: boolean;
}

export async function openStore(options: OpenStoreOptions): Promise<OpenedStore> {
  try {
    return await openFileStore(options);
  } catch (error) {
    if (!options.fallbackToMemory || !options.path) throw error;
    const reason = errorMessage(error);
    options.logger.error(`The database ${options.path} cannot be opened for writing (${reason}); this session keeps its data in memory only.`);
    const opened = await openFileStore({ ...options, path: undefined });
    return { ...opened, recovery: { kind: 'unwritable', path: options.path, reason } };
  }
}

/**
 * Opens (or creates) the database file. A file that is not a readable SQLite database is moved
 * aside, never deleted, and a fresh database takes its place; a file written by a newer version
 * of the extension is left untouched and the session runs on an in-memory database instead.
 */
async function openFileStore(options: OpenStoreOptions): Promise<OpenedStore> {
  const sql = await loadSqlEngine({ compileApart: options.compileEngineApart });
  const list = options.migrations ?? shippedMigrations;
  const target = options.path;
  let recovery: StoreRecovery | undefined;
  let db: SqlDatabase | undefined;
  let signatureAtRead: FileSignature | undefined;

  if (target) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // Read-only storage (EROFS) is found now, not at the first save: a window must know it runs
    // in memory (fallbackToMemory) and the CLI must fail before it does anything.
    fs.accessSync(path.dirname(target), fs.constants.W_OK);
    removeAbandonedTempFiles(target);
    // Taken before the bytes: a write by another window from here on is merged at the first save.
    signatureAtRead = readSignature(target);
    const bytes = readIfExists(target);
    if (bytes) {
      try {
        db = new sql.Database(bytes);
        assertReadable(db);
      } catch (error) {
        db?.close();
        db = undefined;
        const keptAs = await moveAside(target, options);
        signatureAtRead = undefined;
        recovery = { kind: 'corrupt', keptAs, reason: errorMessage(error) };
        options.logger.error(`The database ${target} could not be read (${errorMessage(error)}); it was kept as ${keptAs} and a new one was created.`);
      }
    }
  }
  db ??= new sql.Database();

  let migrationsApplied: number[];
  let persistTo = target;
  try {
    migrationsApplied = await migrateInTurns(db, list);
  } catch (error) {
    if (!(error instanceof SchemaTooNewError) || !target) {
      db.close();
      throw error;
    }
    db.close();
    db = new sql.Database();
    migrationsApplied = await migrateInTurns(db, list);
    persistTo = undefined;
    recovery = { kind: 'too-new', path: target, reason: error.message };
    options.logger.error(`${error.message} This session keeps its data in memory only; ${target} is left untouched.`);
  }

  const store = new Store(sql, db, { ...options, path: persistTo, migrations: list, readFrom: { signature: signatureAtRead } });
  try {
    if (persistTo && (migrationsApplied.length > 0 || recovery)) {
      await store.flush();
    }
    const recoveredChanges = persistTo ? await applyUnsavedChanges(store, persistTo, options.logger) : 0;
    return { store, recovery, migrationsApplied, recoveredChanges };
  } catch (error) {
    store.dispose();
    throw error;
  }
}

function readIfExists(file: string): Buffer | undefined {
  try {
    const bytes = fs.readFileSync(file);
    // SQLite treats an empty file as an empty database: nothing to keep aside.
    return bytes.length > 0 ? bytes : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}

async function moveAside(target: string, options: OpenStoreOptions): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const keptAs = `${target}.corrupt-${stamp}`;
  const release = await acquireFileLock(`${target}.lock`, options.lock ?? defaultLockOptions);
  try {
    fs.renameSync(target, keptAs);
  } finally {
    release();
  }
  return keptAs;
}
