import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';

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
  engine ??= initSqlJs({ wasmBinary: toArrayBuffer(fs.readFileSync(locateWasm())) });
  return engine;
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
