import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { silentLogger } from '../../../src/core/common/logger';
import { EventLog } from '../../../src/core/events/eventLog';
import { Inventory } from '../../../src/core/inventory/inventory';
import { InventoryPersister } from '../../../src/core/inventory/inventoryPersister';
import { InventorySnapshots, inventoryFolderOf } from '../../../src/core/inventory/inventorySnapshots';
import { openStore } from '../../../src/core/store/openStore';
import { eventually } from '../../support/simHarness';
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
    await eventually(() => store.pendingWrites === 0, 5_000, () => `${store.pendingWrites} writes still pending`);
    assert.notDeepEqual(fs.readFileSync(dbFile()), savedBytes, 'saved after the delay');
    const reader = await open(dbFile());
    assert.equal(new EventLog(reader.store, { retention: 100 }).count(), 20);
    await reader.store.close();
    await store.close();
  });

  it("keeps the discovered inventory out of the database, so a user's change is saved at the save delay whatever its size", async () => {
    const { store } = await open(dbFile(), 50);
    const inventory = new Inventory();
    const type = { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true };
    for (let i = 0; i < 20_000; i++) {
      inventory.upsert('cluster-1', type, { uid: `u${i}`, name: `cm-${i}`, namespace: 'ns', resourceVersion: String(i), createdAt: undefined, labels: { app: 'x' }, annotations: {}, greenfield: false });
    }
    const persister = new InventoryPersister(inventory, new InventorySnapshots(inventoryFolderOf(dbFile())), silentLogger, { firstWriteMs: 0, intervalMs: 0 });
    inventory.upsert('cluster-1', type, { uid: 'last', name: 'cm-last', namespace: 'ns', resourceVersion: '1', createdAt: undefined, labels: {}, annotations: {}, greenfield: false });
    await persister.close();
    new EventLog(store, { retention: 100 }).record({ category: 'c', action: 'a', severity: 'success', description: 'user change' });
    await eventually(() => store.pendingWrites === 0, 5_000, () => 'the user change never reached the disk');
    assert.ok(fs.statSync(dbFile()).size < 512 * 1024, `the database holds users' data only (${fs.statSync(dbFile()).size} bytes)`);
    const reader = await open(dbFile());
    assert.deepEqual(descriptions(new EventLog(reader.store, { retention: 100 })), ['user change']);
    const restored = new Inventory();
    assert.equal(await new InventoryPersister(restored, new InventorySnapshots(inventoryFolderOf(dbFile()))).restore(), 20_001);
    restored.dispose();
    inventory.dispose();
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
