import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import initSqlJs from 'sql.js';
import { runAtOnce } from '../common/turns';
import { instantiating, warmUp } from './sqlWarmUp';

/**
 * Runs in a worker thread (see compileApart in sqlEngine.ts): compiles SQLite's WebAssembly and
 * runs the warm-up statements here, so that V8 compiles the functions they need (the SQL parser
 * among them, one large function) on this thread. The module is then posted to the thread that
 * asked; V8 shares a module's compiled code between the threads of a process, so that thread's
 * first statements find their code compiled.
 */
async function compileAndWarmUp(wasmPath: string): Promise<WebAssembly.Module> {
  const module = await WebAssembly.compile(fs.readFileSync(wasmPath));
  runAtOnce(warmUp(await initSqlJs(instantiating(module))));
  return module;
}

compileAndWarmUp(String((workerData as { wasmPath: string }).wasmPath)).then(
  (module) => parentPort?.postMessage({ module }),
  (error: unknown) => parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) }),
);
