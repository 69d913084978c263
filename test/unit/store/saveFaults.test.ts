import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { silentLogger } from '../../../src/core/common/logger';
import { EventLog } from '../../../src/core/events/eventLog';
import { AtomicWriteHooks } from '../../../src/core/store/atomicFile';
import { acquireFileLock } from '../../../src/core/store/fileLock';
import { openStore } from '../../../src/core/store/openStore';
import { eventually } from '../../support/simHarness';
import { useTempDir } from '../../support/tempDir';

function open(file: string, options: { saveDelayMs?: number; writeHooks?: AtomicWriteHooks } = {}) {
  return openStore({ path: file, logger: silentLogger, saveDelayMs: options.saveDelayMs ?? 60_000, pollIntervalMs: 50, writeHooks: options.writeHooks });
}

const record = (log: EventLog, description: string) => log.record({ category: 'c', action: 'a', severity: 'success', description });
const tempFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.includes('.tmp-'));

describe('store saves under faults', function () {
  this.timeout(30_000);
  const tmp = useTempDir();
  const dbFile = () => path.join(tmp.path, 'meshery.db');

  it('saves a change whose timer fired while another window\'s save was being merged', async () => {
    await (await open(dbFile())).store.close();
    const a = await open(dbFile(), { saveDelayMs: 20 });
    const aLog = new EventLog(a.store, { retention: 100 });
    // Another window's save, prepared on a copy and put in place while the lock is held, so that
    // a's watcher starts a merge that has to wait for the lock.
    const other = path.join(tmp.path, 'other.db');
    fs.copyFileSync(dbFile(), other);
    const b = await open(other);
    record(new EventLog(b.store, { retention: 100 }), 'from b');
    await b.store.close();
    const release = await acquireFileLock(`${dbFile()}.lock`);
    fs.renameSync(other, dbFile());
    await new Promise((resolve) => setTimeout(resolve, 300));
    record(aLog, 'from a'); // its save timer fires while the merge waits, and joins it
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await eventually(() => a.store.pendingWrites === 0, 5_000, () => `a's change is still waiting in memory (${a.store.pendingWrites} pending)`);
    const reader = await open(dbFile());
    assert.deepEqual(new EventLog(reader.store, { retention: 100 }).query({}).map((e) => e.description).sort(), ['from a', 'from b']);
    for (const s of [reader.store, a.store]) await s.close();
  });

  const created = async () => (await open(dbFile())).store.close();

  it('leaves no temporary file when writing or flushing fails, however often it is retried', async () => {
    await created();
    let failing = true;
    const { store } = await open(dbFile(), {
      saveDelayMs: 20,
      writeHooks: {
        beforeSync: () => {
          if (failing) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
      },
    });
    const before = fs.readFileSync(dbFile());
    const log = new EventLog(store, { retention: 100 });
    record(log, 'waits for space');
    await assert.rejects(store.flush(), /ENOSPC/);
    await assert.rejects(store.flush(), /ENOSPC/);
    assert.deepEqual(tempFiles(tmp.path), []);
    assert.deepEqual(fs.readFileSync(dbFile()), before, 'the previous file is intact');
    failing = false;
    await store.flush();
    assert.equal(store.pendingWrites, 0);
    await store.close();
  });

  it('keeps the changes a failed last save could not write, and brings them back at the next start', async () => {
    await created();
    let failing = true;
    const hooks = { beforeSync: () => { if (failing) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }); } };
    const first = await open(dbFile(), { writeHooks: hooks });
    record(new EventLog(first.store, { retention: 100 }), 'made just before the window closed');
    await assert.rejects(first.store.close(), /EIO/);
    const kept = fs.readdirSync(tmp.path).filter((f) => f.includes('.unsaved-'));
    assert.equal(kept.length, 1, 'the unsaved changes are kept beside the database');
    failing = false;

    const second = await open(dbFile());
    assert.deepEqual(new EventLog(second.store, { retention: 100 }).query({}).map((e) => e.description), ['made just before the window closed']);
    assert.equal(second.recoveredChanges, 1);
    assert.deepEqual(fs.readdirSync(tmp.path).filter((f) => f.includes('.unsaved-')), [], 'replayed and saved, the side file goes');
    await second.store.close();
  });

  it('a lock is released only by its owner, and a stale lock is broken by only one taker', async () => {
    const lock = `${dbFile()}.lock`;
    const releaseA = await acquireFileLock(lock, { staleMs: 30_000, timeoutMs: 1_000 });
    // a hangs past the stale age; b breaks its lock and takes it.
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    const releaseB = await acquireFileLock(lock, { staleMs: 30_000, timeoutMs: 1_000 });
    // a wakes up and releases "its" lock: b's must stay.
    releaseA();
    assert.ok(fs.existsSync(lock), "b's lock survives a's release");
    await assert.rejects(acquireFileLock(lock, { staleMs: 30_000, timeoutMs: 200 }), /Timed out/);
    releaseB();
    assert.equal(fs.existsSync(lock), false);

    // Two takers race to break the same stale lock: exactly one gets it.
    const releaseC = await acquireFileLock(lock);
    fs.utimesSync(lock, old, old);
    void releaseC;
    const results = await Promise.allSettled([acquireFileLock(lock, { staleMs: 30_000, timeoutMs: 300 }), acquireFileLock(lock, { staleMs: 30_000, timeoutMs: 300 })]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    for (const r of results) if (r.status === 'fulfilled') r.value();
  });

  it('marks read exactly the events it showed, not the other window\'s newer ones, when merged', async () => {
    const a = await open(dbFile());
    const b = await open(dbFile());
    const aLog = new EventLog(a.store, { retention: 100 });
    const bLog = new EventLog(b.store, { retention: 100 });
    record(aLog, 'old');
    await a.store.flush();
    await eventually(() => bLog.count() === 1, 5_000, () => 'b never merged');
    aLog.setStatusWhere({}, 'read'); // "mark all read" in a: the one event a shows
    record(bLog, 'new in b');
    await b.store.flush();
    await a.store.flush(); // a merges b's file and replays its own change on it
    const statuses = Object.fromEntries(aLog.query({}).map((e) => [e.description, e.status]));
    assert.deepEqual(statuses, { old: 'read', 'new in b': 'unread' });
    await a.store.close();
    await b.store.close();
  });

  it('a window whose file another, newer version rewrote goes on in memory and says so, instead of failing every save', async () => {
    const a = await open(dbFile());
    const errors: Error[] = [];
    a.store.onSaveError((e) => errors.push(e));
    record(new EventLog(a.store, { retention: 100 }), 'before the upgrade');
    // Another window of a newer Meshery migrates the file past what this one knows.
    const newer = await open(dbFile());
    newer.store.write((tx) => tx.run('PRAGMA user_version = 999'));
    await newer.store.close();
    await assert.rejects(a.store.flush(), /newer version/);
    assert.equal(a.store.path, undefined, 'in memory from now on');
    assert.equal(errors.length, 1);
    await a.store.flush(); // nothing more to fail
    record(new EventLog(a.store, { retention: 100 }), 'after');
    const stat = fs.statSync(dbFile());
    await a.store.close();
    assert.equal(fs.statSync(dbFile()).mtimeMs, stat.mtimeMs, "the newer window's file is left untouched");
  });

  it('opens in memory with a clear reason when the storage folder cannot be written', async () => {
    const blocker = path.join(tmp.path, 'not-a-folder');
    fs.writeFileSync(blocker, 'a file where the storage folder should be');
    const opened = await openStore({ path: path.join(blocker, 'meshery.db'), logger: silentLogger, saveDelayMs: 1000, fallbackToMemory: true });
    assert.equal(opened.store.path, undefined);
    assert.equal(opened.recovery?.kind, 'unwritable');
    assert.match(opened.recovery?.reason ?? '', /ENOTDIR|EEXIST/);
    record(new EventLog(opened.store, { retention: 100 }), 'works in memory');
    await opened.store.close();
    await assert.rejects(openStore({ path: path.join(blocker, 'meshery.db'), logger: silentLogger, saveDelayMs: 1000 }), /ENOTDIR|EEXIST/, 'without the fallback (the CLI), it fails');
  });
});
