import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { silentLogger } from '../../../src/core/common/logger';
import { EventLog } from '../../../src/core/events/eventLog';
import { openStore } from '../../../src/core/store/openStore';
import { useTempDir } from '../../support/tempDir';

const writerProcess = path.join(__dirname, '..', '..', 'support', 'storeWriterProcess.js');

function runWriter(db: string, label: string, count: number): Promise<{ seen: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerProcess, db, label, String(count)]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`writer ${label} exited ${code}: ${err}`))));
  });
}

describe('two processes writing one database file (two VS Code windows)', function () {
  this.timeout(60_000);
  const tmp = useTempDir();

  it('keeps every write of both processes', async () => {
    const db = path.join(tmp.path, 'meshery.db');
    const count = 150;
    const [a, b] = await Promise.all([runWriter(db, 'window-a', count), runWriter(db, 'window-b', count)]);

    const { store } = await openStore({ path: db, logger: silentLogger, saveDelayMs: 1000 });
    const log = new EventLog(store, { retention: 1_000_000 });
    const seen = new Set(log.query({}, { limit: 10_000 }).map((e) => e.description));
    for (const label of ['window-a', 'window-b']) {
      for (let i = 0; i < count; i++) {
        assert.ok(seen.has(`${label}-${i}`), `${label}-${i} was lost`);
      }
    }
    assert.equal(log.count(), 2 * count, 'no write was duplicated either');
    // The process that finished last had merged the other's writes before it exited.
    assert.equal(Math.max(a.seen, b.seen), 2 * count);
    await store.close();
  });
});
