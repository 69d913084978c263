import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { compileApart, sqlEngineWorkerScript } from '../../../src/core/store/sqlEngine';
import { instantiating } from '../../../src/core/store/sqlWarmUp';
import { useTempDir } from '../../support/tempDir';

const wasmPath = require.resolve('sql.js/dist/sql-wasm.wasm');

describe('the SQLite engine compiled in a worker thread', () => {
  const tmp = useTempDir();

  it('comes back as a module this thread instantiates and runs statements with', async () => {
    assert.ok(fs.existsSync(sqlEngineWorkerScript), `the worker script is built beside the engine: ${sqlEngineWorkerScript}`);
    const module = await compileApart(wasmPath);
    assert.ok(module instanceof WebAssembly.Module, 'the worker posted the compiled module');
    const sql = await initSqlJs(instantiating(module));
    const db = new sql.Database();
    db.run('CREATE TABLE t (name TEXT)');
    db.run('INSERT INTO t VALUES (?), (?)', ['a', 'b']);
    assert.deepEqual(db.exec('SELECT name FROM t ORDER BY name')[0].values, [['a'], ['b']]);
    // A database written by this engine opens in another one: it is SQLite as usual.
    const reopened = new sql.Database(db.export());
    assert.deepEqual(reopened.exec('SELECT count(*) FROM t')[0].values, [[2]]);
    reopened.close();
    db.close();
  });

  it('gives nothing, without an error reaching the process, when the worker cannot start or fails', async () => {
    assert.equal(await compileApart(wasmPath, path.join(tmp.path, 'missing.js')), undefined);
    const failing = path.join(tmp.path, 'failing.js');
    fs.writeFileSync(failing, "throw new Error('broken worker');");
    assert.equal(await compileApart(wasmPath, failing), undefined);
    // A worker that posts something else than a module (as a broken build could).
    const wrong = path.join(tmp.path, 'wrong.js');
    fs.writeFileSync(wrong, "require('node:worker_threads').parentPort.postMessage({ error: 'no module' });");
    assert.equal(await compileApart(wasmPath, wrong), undefined);
    // The worker's own error path: bytes that are not WebAssembly.
    const notWasm = path.join(tmp.path, 'not.wasm');
    fs.writeFileSync(notWasm, 'not webassembly');
    assert.equal(await compileApart(notWasm), undefined);
  });

  it('gives up on a worker that never answers', async () => {
    const silent = path.join(tmp.path, 'silent.js');
    fs.writeFileSync(silent, 'setInterval(() => undefined, 1000);');
    assert.equal(await compileApart(wasmPath, silent, 300), undefined);
  });

  it('serves a store opened with it, in a process of its own (the engine is loaded once per process)', () => {
    const script = path.join(tmp.path, 'open.js');
    const openStoreModule = require.resolve('../../../src/core/store/openStore');
    const loggerModule = require.resolve('../../../src/core/common/logger');
    fs.writeFileSync(
      script,
      `const { openStore } = require(${JSON.stringify(openStoreModule)});
       const { silentLogger } = require(${JSON.stringify(loggerModule)});
       (async () => {
         const { store } = await openStore({ path: process.argv[2], logger: silentLogger, saveDelayMs: 10, compileEngineApart: true });
         store.write((tx) => tx.run("INSERT INTO environments (id, name, created_at, updated_at) VALUES ('e1', 'staging', 0, 0)"));
         await store.close();
         const again = await openStore({ path: process.argv[2], logger: silentLogger, saveDelayMs: 10, compileEngineApart: true });
         process.stdout.write(JSON.stringify(again.store.all('SELECT name FROM environments')));
         await again.store.close();
       })().catch((error) => { console.error(error); process.exit(1); });`,
    );
    const result = spawnSync(process.execPath, [script, path.join(tmp.path, 'meshery.db')], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), [{ name: 'staging' }]);
  });
});
