import { nextTurn } from '../common/turns';
import { Migration } from './migrations';
import { SqlDatabase } from './sqlEngine';

export class SchemaTooNewError extends Error {
  constructor(readonly found: number, readonly supported: number) {
    super(
      `The database has schema version ${found}, but this version of the extension knows versions up to ${supported}. ` +
        'It was written by a newer version of the extension; update the extension to use it.',
    );
  }
}

export function schemaVersion(db: SqlDatabase): number {
  const result = db.exec('PRAGMA user_version');
  return Number(result[0]?.values[0]?.[0] ?? 0);
}

/**
 * Applies the migrations newer than the database's version, each in its own transaction, so a
 * failing migration leaves the database at the last version that fully applied. Returns the
 * versions applied.
 */
export function migrate(db: SqlDatabase, list: readonly Migration[]): number[] {
  const steps = migrationSteps(db, list);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * migrate() with each migration in a turn of its own: a new database's first statements and
 * migrations (SQLite's code compiled on first use) held the extension host for one long stretch
 * as the window started.
 */
export async function migrateInTurns(db: SqlDatabase, list: readonly Migration[]): Promise<number[]> {
  const steps = migrationSteps(db, list);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await nextTurn();
  }
}

/** Pauses (yields) before each migration it applies. */
function* migrationSteps(db: SqlDatabase, list: readonly Migration[]): Generator<void, number[]> {
  const current = schemaVersion(db);
  const latest = list.length > 0 ? list[list.length - 1].version : 0;
  if (current > latest) {
    throw new SchemaTooNewError(current, latest);
  }
  const applied: number[] = [];
  for (const migration of list) {
    if (migration.version <= current) {
      continue;
    }
    yield;
    db.run('BEGIN');
    try {
      db.exec(migration.sql);
      db.run(`PRAGMA user_version = ${migration.version}`);
      db.run('COMMIT');
    } catch (error) {
      db.run('ROLLBACK');
      throw new Error(`Migration ${migration.version} (${migration.description}) failed: ${(error as Error).message}`);
    }
    applied.push(migration.version);
  }
  return applied;
}
