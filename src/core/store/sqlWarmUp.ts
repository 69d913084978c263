import type initSqlJs from 'sql.js';

/** Small statements that together run most of what opening, migrating and saving a store runs. */
const warmUpSteps: readonly ((db: initSqlJs.Database) => unknown)[] = [
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
 * The warm-up statements on a scratch database, as steps (see runAtOnce and runInTurns in
 * common/turns.ts): it yields before each statement.
 */
export function* warmUp(sql: initSqlJs.SqlJsStatic): Generator<void, void> {
  const db = new sql.Database();
  try {
    for (const step of warmUpSteps) {
      yield;
      step(db);
    }
  } finally {
    db.close();
  }
}

/** sql.js's hook for a module compiled elsewhere: instantiate it rather than compile the bytes. */
export function instantiating(module: WebAssembly.Module): initSqlJs.SqlJsConfig {
  return {
    instantiateWasm: (imports, done) => {
      void WebAssembly.instantiate(module, imports).then(done);
      // Emscripten waits for done(); an empty exports object says so.
      return {};
    },
  };
}
