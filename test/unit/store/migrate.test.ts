import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { silentLogger } from '../../../src/core/common/logger';
import { SchemaTooNewError, migrate, migrateInTurns, schemaVersion } from '../../../src/core/store/migrate';
import { Migration, latestSchemaVersion, migrations } from '../../../src/core/store/migrations';
import { openStore } from '../../../src/core/store/openStore';
import { loadSqlEngine } from '../../../src/core/store/sqlEngine';
import { useTempDir } from '../../support/tempDir';
import { turnCounter } from '../../support/turnCounter';

function tableNames(db: { exec(sql: string): { values: unknown[][] }[] }): string[] {
  return (db.exec("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")[0]?.values ?? []).map((r) => String(r[0]));
}

describe('migrations', () => {
  const tmp = useTempDir();

  it('bring a new database to the latest version with every table of the mission', async () => {
    const sql = await loadSqlEngine();
    const db = new sql.Database();
    const applied = migrate(db, migrations);
    assert.deepEqual(applied, migrations.map((m) => m.version));
    assert.equal(schemaVersion(db), latestSchemaVersion);
    assert.deepEqual(tableNames(db), [
      'cluster_contexts',
      'clusters',
      'components',
      'connections',
      'credentials',
      'environment_connections',
      'environments',
      'events',
      'models',
    ]);
    assert.deepEqual(migrate(db, migrations), [], 'a second run applies nothing');
  });

  it('upgrade an older database forward and keep its rows', async () => {
    const sql = await loadSqlEngine();
    const db = new sql.Database();
    migrate(db, migrations.slice(0, 1));
    db.run("INSERT INTO events (id, operation_id, category, action, description, severity, created_at) VALUES ('e1','o','c','a','kept','error',1)");
    assert.deepEqual(migrate(db, migrations), [2, 3, 4, 5]);
    assert.equal(db.exec('SELECT description FROM events')[0].values[0][0], 'kept');
    const indexes = db.exec("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'events_by_severity'");
    assert.equal(indexes.length, 1);
  });

  it('version 4 resolves the duplicates two windows could create, then keeps them unique', async () => {
    const sql = await loadSqlEngine();
    const db = new sql.Database();
    migrate(db, migrations.slice(0, 3));
    db.run(`INSERT INTO environments (id, name, created_at, updated_at) VALUES ('e-first', 'Staging', 1, 1), ('e-second', 'staging', 2, 2), ('e-other', 'prod', 1, 1)`);
    const connection = (id: string, status: string, key: string, createdAt: number, clusterId = 'cluster-a') =>
      db.run(
        `INSERT INTO connections (id, name, description, url, kind, type, sub_type, model_reference, metadata, status, cluster_id, created_at, updated_at)
         VALUES (?, 'p', '', 'http://p', 'prometheus', 'observability', 'monitoring', '{}', ?, ?, ?, ?, ?)`,
        [id, JSON.stringify({ candidateKey: key }), status, clusterId, createdAt, createdAt],
      );
    connection('c-discovered-early', 'discovered', 'prometheus:k1', 1);
    connection('c-registered-late', 'registered', 'prometheus:k1', 2); // acted on: kept
    connection('c-twin-a', 'discovered', 'prometheus:k2', 1); // first: kept
    connection('c-twin-b', 'discovered', 'prometheus:k2', 2);
    connection('c-old-deleted', 'deleted', 'prometheus:k2', 0);
    assert.deepEqual(migrate(db, migrations.slice(0, 4)), [4]);
    const rows = (q: string) => db.exec(q)[0].values.map((r) => r.join(' '));
    assert.deepEqual(rows('SELECT id, name FROM environments ORDER BY id'), ['e-first Staging', 'e-other prod', 'e-second staging (e-second)']);
    assert.deepEqual(rows('SELECT id, status FROM connections ORDER BY id'), [
      'c-discovered-early deleted',
      'c-old-deleted deleted',
      'c-registered-late registered',
      'c-twin-a discovered',
      'c-twin-b deleted',
    ]);
    assert.throws(() => db.run(`INSERT INTO environments (id, name, created_at, updated_at) VALUES ('e-3', 'PROD', 3, 3)`), /UNIQUE/);
    assert.throws(() => connection('c-third', 'discovered', 'prometheus:k2', 3), /UNIQUE/);
    // The same key on another cluster (a kubeconfig context whose cluster was recreated) is another connection.
    connection('c-other-cluster', 'discovered', 'prometheus:k2', 3, 'cluster-b');
    connection('c-after-delete', 'discovered', 'prometheus:k3', 3);
    db.run(`UPDATE connections SET status = 'deleted' WHERE id = 'c-after-delete'`);
    connection('c-proposed-again', 'discovered', 'prometheus:k3', 4); // a deleted row does not block its successor
  });

  it('roll a failing migration back and stay at the last good version', async () => {
    const sql = await loadSqlEngine();
    const db = new sql.Database();
    const list: Migration[] = [
      { version: 1, description: 'one', sql: 'CREATE TABLE a (x)' },
      { version: 2, description: 'broken', sql: 'CREATE TABLE b (y); INSERT INTO missing VALUES (1);' },
    ];
    assert.throws(() => migrate(db, list), /Migration 2 \(broken\) failed/);
    assert.equal(schemaVersion(db), 1);
    assert.deepEqual(tableNames(db), ['a'], 'table b of the failed migration was rolled back');
  });

  it('applied in turns (as the extension opens its database), each migration in a turn of its own, to the same result', async () => {
    const sql = await loadSqlEngine();
    const [inTurns, atOnce] = [new sql.Database(), new sql.Database()];
    const turns = turnCounter();
    const turnsSeen: number[] = [];
    // Each migration notes the turn in which its SQL is read (applied).
    const watched = migrations.map((m) => ({
      ...m,
      get sql() {
        turnsSeen.push(turns.now());
        return m.sql;
      },
    }));
    const applied = await migrateInTurns(inTurns, watched);
    turns.stop();
    assert.deepEqual(applied, migrate(atOnce, migrations));
    assert.equal(new Set(turnsSeen).size, migrations.length, `migrations applied in turns ${turnsSeen.join(', ')}`);
    assert.deepEqual(inTurns.exec('SELECT type, name, sql FROM sqlite_master ORDER BY name'), atOnce.exec('SELECT type, name, sql FROM sqlite_master ORDER BY name'));
    assert.deepEqual(await migrateInTurns(inTurns, migrations), [], 'a second run applies nothing');

    const broken: Migration[] = [
      { version: 1, description: 'one', sql: 'CREATE TABLE a (x)' },
      { version: 2, description: 'broken', sql: 'CREATE TABLE b (y); INSERT INTO missing VALUES (1);' },
    ];
    const db = new sql.Database();
    await assert.rejects(migrateInTurns(db, broken), /Migration 2 \(broken\) failed/);
    assert.equal(schemaVersion(db), 1);
    await assert.rejects(migrateInTurns(inTurns, migrations.slice(0, 2)), SchemaTooNewError);
  });

  it('refuse a database from a newer extension and leave its file untouched', async () => {
    const sql = await loadSqlEngine();
    const db = new sql.Database();
    migrate(db, migrations);
    db.run(`PRAGMA user_version = ${latestSchemaVersion + 5}`);
    assert.throws(() => migrate(db, migrations), SchemaTooNewError);

    const file = path.join(tmp.path, 'meshery.db');
    fs.writeFileSync(file, db.export());
    const before = fs.readFileSync(file);
    const opened = await openStore({ path: file, logger: silentLogger, saveDelayMs: 10 });
    assert.equal(opened.recovery?.kind, 'too-new');
    assert.equal(opened.store.path, undefined, 'this session keeps its data in memory');
    opened.store.write((tx) => tx.run("INSERT INTO environments (id, name, created_at, updated_at) VALUES ('x', 'dev', 1, 1)"));
    await opened.store.close();
    assert.deepEqual(fs.readFileSync(file), before);
  });
});
