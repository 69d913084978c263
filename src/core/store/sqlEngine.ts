import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { nextTurn } from '../common/turns';

export type SqlJs = initSqlJs.SqlJsStatic;
export type SqlDatabase = initSqlJs.Database;

let engine: Promise<SqlJs> | undefined;

/**
 * Finds sql.js's WebAssembly next to the running bundle (the packaged extension and the CLI
 * ship it in dist/) or, when running from sources, in node_modules.
 */
function locateWasm(): string {
  const bundled = path.join(__dirname, 'sql-wasm.wasm');
  if (fs.existsSync(bundled)) {
    return bundled;
  }
  return require.resolve('sql.js/dist/sql-wasm.wasm');
}

/** Loads the SQLite engine once per process; every store shares it. */
export function loadSqlEngine(): Promise<SqlJs> {
  engine ??= initSqlJs({ wasmBinary: toArrayBuffer(fs.readFileSync(locateWasm())) }).then(async (sql) => {
    await warmUpInTurns(sql);
    return sql;
  });
  return engine;
}

/** Small statements that together run most of what opening, migrating and saving a store runs. */
const warmUpSteps: readonly ((db: SqlDatabase) => unknown)[] = [
  (db) => db.exec('SELECT 1'),
  (db) => db.exec('PRAGMA user_version'),
  (db) => db.exec('CREATE TABLE warm (id INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER)'),
  (db) => db.exec('CREATE INDEX warm_by_name ON warm (name)'),
  (db) => db.run('INSERT INTO warm (name, n) VALUES (?, ?)', ['a', 1]),
  (db) => db.exec("SELECT * FROM warm WHERE name = 'a'"),
  (db) => db.run('UPDATE warm SET n = 2 WHERE name = ?', ['a']),
  (db) => db.run('DELETE FROM warm'),
  (db) => db.export(),
];

/**
 * V8 compiles SQLite's WebAssembly and sql.js's glue as they are first used, so a process's
 * first statements cost about 100 ms in one go (more on a busy machine), which at startup is a
 * freeze of the extension host. Run one small statement per turn on a scratch database first,
 * and that cost comes in pieces of 5-35 ms with the event loop running between them.
 */
async function warmUpInTurns(sql: SqlJs): Promise<void> {
  const db = new sql.Database();
  try {
    for (const step of warmUpSteps) {
      await nextTurn();
      step(db);
    }
  } finally {
    db.close();
  }
}

function toArrayBuffer(buffer: Buffer): ArrayBuffer {
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
}

/** sql.js opens any bytes lazily; a real read finds out whether they are a database. */
export function assertReadable(db: SqlDatabase): void {
  const check = db.exec('PRAGMA quick_check');
  const verdict = String(check[0]?.values[0]?.[0] ?? '');
  if (verdict !== 'ok') {
    throw new Error(`integrity check failed: ${verdict}`);
  }
  db.exec('SELECT count(*) FROM sqlite_master');
}
