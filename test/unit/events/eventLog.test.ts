import * as assert from 'node:assert/strict';
import { silentLogger } from '../../../src/core/common/logger';
import { EventLog } from '../../../src/core/events/eventLog';
import { EventChange, NewEvent } from '../../../src/core/events/types';
import { openStore } from '../../../src/core/store/openStore';
import { Store } from '../../../src/core/store/store';

describe('event log', () => {
  let store: Store;
  let log: EventLog;
  let clock: number;
  let changes: EventChange[];

  beforeEach(async () => {
    ({ store } = await openStore({ path: undefined, logger: silentLogger, saveDelayMs: 1000 }));
    clock = 1_000_000;
    log = new EventLog(store, { retention: 100, now: () => clock++ });
    changes = [];
    log.onDidChange((c) => changes.push(c));
  });
  afterEach(async () => {
    log.dispose();
    await store.close();
  });

  const sample: NewEvent[] = [
    { category: 'connection', action: 'register', severity: 'success', description: 'Registered prometheus-k8s', actedUpon: 'conn-1' },
    { category: 'connection', action: 'update', severity: 'error', description: 'Prometheus unreachable: 401', actedUpon: 'conn-1' },
    { category: 'discovery', action: 'sync', severity: 'informational', description: 'Synced 42 types of kind-dev' },
    { category: 'discovery', action: 'watch', severity: 'debug', description: 'Watch restarted for pods' },
    { category: 'credential', action: 'create', severity: 'warning', description: 'Credential "50%_off" has no CA' },
  ];

  it('records events with every field and returns them newest first', () => {
    const recorded = sample.map((e) => log.record(e));
    const listed = log.query();
    assert.deepEqual(listed.map((e) => e.id), recorded.map((e) => e.id).reverse());
    const first = log.get(recorded[0].id);
    assert.ok(first);
    assert.equal(first.status, 'unread');
    assert.equal(first.category, 'connection');
    assert.equal(first.actedUpon, 'conn-1');
    assert.ok(first.operationId.length > 0);
    assert.deepEqual(first.metadata, {});
    assert.equal(changes.filter((c) => c.kind === 'added').length, sample.length);
  });

  it('filters by severity, category, action, status, acted-upon and text', () => {
    sample.forEach((e) => log.record(e));
    const descriptionsOf = (filter: Parameters<EventLog['query']>[0]) => log.query(filter).map((e) => e.description);

    assert.deepEqual(descriptionsOf({ severities: ['error', 'warning'] }), ['Credential "50%_off" has no CA', 'Prometheus unreachable: 401']);
    assert.deepEqual(descriptionsOf({ severities: [] }), [], 'an empty severity list matches nothing');
    assert.deepEqual(descriptionsOf({ categories: ['discovery'] }), ['Watch restarted for pods', 'Synced 42 types of kind-dev']);
    assert.deepEqual(descriptionsOf({ categories: ['connection'], actions: ['update'] }), ['Prometheus unreachable: 401']);
    assert.deepEqual(descriptionsOf({ actedUpon: 'conn-1', severities: ['success'] }), ['Registered prometheus-k8s']);
    assert.deepEqual(descriptionsOf({ text: 'PROMETHEUS' }), ['Prometheus unreachable: 401', 'Registered prometheus-k8s'], 'text is case-insensitive');
    assert.deepEqual(descriptionsOf({ text: '50%_' }), ['Credential "50%_off" has no CA'], '% and _ are literal');
    assert.deepEqual(descriptionsOf({ text: '%' }), ['Credential "50%_off" has no CA']);
    assert.deepEqual(descriptionsOf({ text: 'sync' }), ['Synced 42 types of kind-dev'], 'text also matches the action');

    const [newest] = log.query();
    log.setStatus([newest.id], 'read');
    assert.deepEqual(descriptionsOf({ status: 'read' }), [newest.description]);
    assert.equal(log.unreadCount(), sample.length - 1);
    assert.equal(log.count({ status: 'unread', categories: ['discovery'] }), 2);
  });

  it('pages with limit and offset', () => {
    for (let i = 0; i < 30; i++) {
      log.record({ category: 'c', action: 'a', severity: 'informational', description: `e${i}` });
    }
    assert.deepEqual(
      log.query({}, { limit: 3, offset: 5 }).map((e) => e.description),
      ['e24', 'e23', 'e22'],
    );
  });

  it('marks one, some and all read or unread, and reports what changed', () => {
    const ids = sample.map((e) => log.record(e).id);
    assert.equal(log.setStatus([ids[0], ids[1]], 'read'), 2);
    assert.equal(log.setStatus([ids[0]], 'read'), 0, 'already read: nothing changes');
    assert.equal(log.unreadCount(), 3);
    assert.equal(log.setStatusWhere({ categories: ['discovery'] }, 'read'), 2);
    assert.equal(log.unreadCount(), 1);
    assert.equal(log.setStatusWhere({}, 'read'), 1);
    assert.equal(log.unreadCount(), 0);
    assert.equal(log.setStatusWhere({}, 'unread'), 5);
    assert.ok(changes.some((c) => c.kind === 'updated' && c.ids.includes(ids[0])));
  });

  it('deletes one, a filtered set, and all', () => {
    const ids = sample.map((e) => log.record(e).id);
    assert.equal(log.delete([ids[2]]), 1);
    assert.equal(log.get(ids[2]), undefined);
    assert.equal(log.deleteWhere({ severities: ['debug'] }), 1);
    assert.equal(log.count(), 3);
    assert.equal(log.deleteWhere(), 3);
    assert.equal(log.count(), 0);
    assert.deepEqual(log.categories(), []);
  });

  it('never keeps more than the retention cap, dropping the oldest first', () => {
    for (let i = 0; i < 250; i++) {
      log.record({ category: 'c', action: 'a', severity: 'informational', description: `e${i}` });
    }
    assert.equal(log.count(), 100);
    const kept = log.query({}, { limit: 1000 }).map((e) => e.description);
    assert.equal(kept[0], 'e249');
    assert.equal(kept[99], 'e150');
    const removed = changes.filter((c) => c.kind === 'removed');
    assert.equal(removed.length, 150, 'every trimmed event is announced');

    log.setRetention(10);
    assert.deepEqual(
      log.query({}, { limit: 1000 }).map((e) => e.description),
      Array.from({ length: 10 }, (_, i) => `e${249 - i}`),
    );
  });

  it('lists the categories present', () => {
    sample.forEach((e) => log.record(e));
    assert.deepEqual(log.categories(), ['connection', 'credential', 'discovery']);
  });
});
