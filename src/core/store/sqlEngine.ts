import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import initSqlJs from 'sql.js';
import { runInTurns } from '../common/turns';
import { instantiating, warmUp } from './sqlWarmUp';

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

export interface SqlEngineOptions {
  /**
   * Compile SQLite and run its first statements in a worker thread first (see compileApart):
   * for the extension host, whose every stall freezes all extensions. The first caller in a
   * process decides; the CLI leaves it off (a worker costs it more wall time than it saves).
   */
  readonly compileApart?: boolean;
}

/** Loads the SQLite engine once per process; every store shares it. */
export function loadSqlEngine(options: SqlEngineOptions = {}): Promise<SqlJs> {
  engine ??= (async () => {
    const wasmPath = locateWasm();
    const module = options.compileApart ? await compileApart(wasmPath) : undefined;
    // A Buffer is a Uint8Array, which WebAssembly takes as it is: no copy of its 640 KB.
    const sql = await initSqlJs(module ? instantiating(module) : { wasmBinary: fs.readFileSync(wasmPath) as unknown as ArrayBuffer });
    await warmUpInTurns(sql);
    return sql;
  })();
  return engine;
}

/** The worker's script: beside the bundle (dist/), or beside this file when running from sources. */
export const sqlEngineWorkerScript = path.join(__dirname, 'sqlEngineWorker.js');

/**
 * SQLite's WebAssembly compiled, and its first statements run, in a worker thread
 * (sqlEngineWorker.ts): V8 compiles each function at its first call, and the first statements
 * compile SQLite's parser, 25-30 ms in one piece in plain Node and 58-79 ms on a busy extension
 * host. Undefined when the worker cannot do it (the engine is then compiled on this thread).
 */
export function compileApart(wasmPath: string, script = sqlEngineWorkerScript, timeoutMs = 20_000): Promise<WebAssembly.Module | undefined> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(script, { workerData: { wasmPath } });
    } catch {
      resolve(undefined);
      return;
    }
    const done = (module: WebAssembly.Module | undefined) => {
      clearTimeout(timer);
      worker.removeAllListeners();
      // Errors after the answer (there should be none) must not reach the process.
      worker.on('error', () => undefined);
      void worker.terminate();
      resolve(module);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    worker.once('message', (message: { module?: WebAssembly.Module }) => done(message.module instanceof WebAssembly.Module ? message.module : undefined));
    worker.once('error', () => done(undefined));
    worker.once('exit', () => done(undefined));
  });
}

/**
 * V8 compiles SQLite's WebAssembly and sql.js's glue as they are first used, so a process's
 * first statements cost about 100 ms in one go (more on a busy machine), which at startup is a
 * freeze of the extension host. Run one small statement per turn on a scratch database first,
 * and that cost comes in pieces of 5-35 ms with the event loop running between them (less when
 * the worker compiled them: what is left is sql.js's glue, compiled per thread).
 */
function warmUpInTurns(sql: SqlJs): Promise<void> {
  return runInTurns(warmUp(sql));
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
