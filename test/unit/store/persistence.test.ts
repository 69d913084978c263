import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { silentLogger } from '../../../src/core/common/logger';
import { EventLog } from '../../../src/core/events/eventLog';
import { openStore } from '../../../src/core/store/openStore';
import { useTempDir } from '../../support/tempDir';

const writerProcess = path.join(__dirname, '..', '..', 'support', 'storeWriterProcess.js');

async function open(file: string, saveDelayMs = 10_000) {
  return openStore({ path: file, logger: silentLogger, saveDelayMs });
}

function descriptions(log: EventLog): string[] {
  return log.query({}, { limit: 1000 }).map((e) => e.description).sort();
}

describe('store persistence', () => {
  const tmp = useTempDir();
  const dbFile = () => path.join(tmp.path, 'meshery.db');

  it('creates the file with the schema and keeps what was written across a reopen', async () => {
    const first = await open(dbFile());
    assert.ok(fs.existsSync(dbFile()), 'the migrated schema is saved at once');
    new EventLog(first.store, { retention: 100 }).record({ category: 'c', action: 'a', severity: 'success', description: 'persisted' });
    await first.store.close();

    const second = await open(dbFile());
    assert.deepEqual(descriptions(new EventLog(second.store, { retention: 100 })), ['persisted']);
    assert.deepEqual(second.migrationsApplied, []);
    await second.store.close();
  });

  it('batches writes: nothing reaches the disk before the save delay, then all of it at once', async () => {
    const { store } = await open(dbFile(), 150);
    const log = new EventLog(store, { retention: 100 });
    const savedBytes = fs.readFileSync(dbFile());
    for (let i = 0; i < 20; i++) {
      log.record({ category: 'c', action: 'a', severity: 'debug', description: `e${i}` });
    }
    assert.equal(store.pendingWrites, 20);
    assert.deepEqual(fs.readFileSync(dbFile()), savedBytes, 'not saved yet');
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(store.pendingWrites, 0);
    assert.notDeepEqual(fs.readFileSync(dbFile()), savedBytes, 'saved after the delay');
    const reader = await open(dbFile());
    assert.equal(new EventLog(reader.store, { retention: 100 }).count(), 20);
    await reader.store.close();
    await store.close();
  });

  it('saves derived data (unjournaled) rarely, but a user change brings that save forward', async () => {
    const { store } = await open(dbFile(), 50);
    const before = fs.readFileSync(dbFile());
    store.write(
      (tx) =>
        tx.run(
          "INSERT INTO objects (cluster_id, uid, api_group, api_version, kind, namespace, name, updated_at) VALUES ('c', 'u1', '', 'v1', 'Pod', 'ns', 'p', 1)",
        ),
      { journal: false },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(fs.readFileSync(dbFile()), before, 'derived data alone waits');
    new EventLog(store, { retention: 100 }).record({ category: 'c', action: 'a', severity: 'success', description: 'user change' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const reader = await open(dbFile());
    assert.equal(reader.store.get<{ n: number }>('SELECT count(*) AS n FROM objects')?.n, 1, 'the derived row went out with the user change');
    assert.deepEqual(descriptions(new EventLog(reader.store, { retention: 100 })), ['user change']);
    await reader.store.close();
    await store.close();
  });

  it('rolls back a transaction whose body throws, and journals none of it', async () => {
    const { store } = await open(dbFile());
    assert.throws(() =>
      store.write((tx) => {
        tx.run("INSERT INTO environments (id, name, created_at, updated_at) VALUES ('e', 'dev', 1, 1)");
        throw new Error('boom');
      }),
    );
    assert.equal(store.all('SELECT * FROM environments').length, 0);
    assert.equal(store.pendingWrites, 0);
    await store.close();
  });

  it('loses nothing saved before when a process crashes between the temp write and the rename', async () => {
    const result = spawnSync(process.execPath, [writerProcess, dbFile(), 'crashy', '5', 'crash-after-temp'], { encoding: 'utf8' });
    assert.equal(result.signal, 'SIGKILL', `the writer should have died mid-save: ${result.stderr}`);
    const leftovers = fs.readdirSync(tmp.path).filter((f) => f.includes('.tmp-'));
    assert.equal(leftovers.length, 1, 'the crash left its temporary file behind');

    const { store, recovery } = await open(dbFile());
    assert.equal(recovery, undefined, 'the database file itself is intact');
    const log = new EventLog(store, { retention: 100 });
    assert.deepEqual(descriptions(log), ['crashy-0', 'crashy-1', 'crashy-2', 'crashy-3', 'crashy-4']);
    assert.deepEqual(fs.readdirSync(tmp.path).filter((f) => f.includes('.tmp-')), [], 'the abandoned temp file is cleaned up');
    await store.close();
  });

  for (const [name, damage] of [
    ['garbage bytes', () => Buffer.from('this is not a database, just some text\n'.repeat(200))],
    ['a truncated database', (valid: Buffer) => valid.subarray(0, Math.floor(valid.length / 2))],
  ] as const) {
    it(`keeps a corrupt file aside (${name}) and starts a fresh database`, async () => {
      const first = await open(dbFile());
      new EventLog(first.store, { retention: 100 }).record({ category: 'c', action: 'a', severity: 'error', description: 'old' });
      await first.store.close();
      const damaged = damage(fs.readFileSync(dbFile()));
      fs.writeFileSync(dbFile(), damaged);

      const { store, recovery } = await open(dbFile());
      assert.equal(recovery?.kind, 'corrupt');
      if (recovery?.kind !== 'corrupt') {
        return;
      }
      assert.match(recovery.keptAs, /meshery\.db\.corrupt-/);
      assert.deepEqual(fs.readFileSync(recovery.keptAs), damaged, 'the damaged file is kept byte for byte');
      const log = new EventLog(store, { retention: 100 });
      assert.equal(log.count(), 0);
      log.record({ category: 'c', action: 'a', severity: 'success', description: 'fresh' });
      await store.close();
      const reopened = await open(dbFile());
      assert.equal(reopened.recovery, undefined, 'the fresh database is sound');
      assert.deepEqual(descriptions(new EventLog(reopened.store, { retention: 100 })), ['fresh']);
      await reopened.store.close();
    });
  }
});
