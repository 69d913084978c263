import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConnectionService } from '../../../src/core/connections/connectionService';
import { HealthMonitor } from '../../../src/core/connections/healthMonitor';
import { Connection } from '../../../src/core/connections/types';
import { TestResult } from '../../../src/core/connectivity/testers';
import { EventLog } from '../../../src/core/events/eventLog';
import { openStore } from '../../../src/core/store/openStore';
import { Store } from '../../../src/core/store/store';

const silent = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('background health checks', () => {
  let dir: string;
  let store: Store;
  let events: EventLog;
  let connections: ConnectionService;
  let clock = 1_000_000;
  let up = true;
  const tested: string[] = [];
  const tester = async (c: Connection): Promise<TestResult> => {
    tested.push(c.name);
    return up
      ? { reached: true, kind: c.kind, url: c.url, path: 'direct', latencyMs: 1, steps: [] }
      : { reached: false, kind: c.kind, url: c.url, path: 'direct', latencyMs: 1, steps: [], failure: { class: 'refused', message: `${c.url}: connect ECONNREFUSED`, advice: 'start it' } };
  };
  let active = true;
  const options = { intervalMs: () => 60_000, maxConcurrent: 2, maxBackoffMs: 600_000, isActive: () => active, now: () => clock };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshery-health-'));
    ({ store } = await openStore({ path: path.join(dir, 'meshery.db'), logger: silent, saveDelayMs: 20 }));
    events = new EventLog(store, { retention: 10_000, logger: silent });
    connections = new ConnectionService(store, events);
    for (const name of ['a', 'b', 'c', 'kept']) {
      const c = connections.createManual({ kind: 'prometheus', name, url: `http://127.0.0.1:1/${name}` });
      await connections.register(c.id, { test: tester });
    }
    connections.changeStatus(connections.list().find((c) => c.name === 'kept')!.id, 'maintenance');
  });
  after(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('tests connected ones at the interval, a few at a time, never in maintenance; a failure disconnects once and backs off; a pass reconnects', async () => {
    const monitor = new HealthMonitor(connections, tester, options);
    const status = (name: string) => connections.list().find((c) => c.name === name)!.status;
    tested.length = 0;
    assert.equal((await Promise.all(monitor.tick())).length, 0, 'first seen: checked one interval later');
    clock += 60_000;
    await Promise.all(monitor.tick());
    assert.equal(tested.length, 2, 'at most two at once');
    await Promise.all(monitor.tick());
    assert.deepEqual([...tested].sort(), ['a', 'b', 'c'], 'the third on the next tick; maintenance never');

    up = false;
    clock += 60_000;
    tested.length = 0;
    await Promise.all(monitor.tick());
    await Promise.all(monitor.tick());
    assert.deepEqual(['a', 'b', 'c', 'kept'].map(status), ['disconnected', 'disconnected', 'disconnected', 'maintenance']);
    const failures = () => events.query({ actions: ['test'], severities: ['error'] }, { limit: 1000 }).length;
    const count = failures();

    clock += 60_000; // the wait has doubled: nothing is due yet
    tested.length = 0;
    await Promise.all(monitor.tick());
    assert.equal(tested.length, 0);
    clock += 60_000;
    await Promise.all(monitor.tick());
    await Promise.all(monitor.tick());
    assert.equal(tested.length, 3);
    assert.equal(failures(), count, 'the same failure again: no new event');

    active = false;
    clock += 10 * 60_000;
    tested.length = 0;
    await Promise.all(monitor.tick());
    assert.equal(tested.length, 0, 'paused while the window is left alone');
    active = true;
    up = true;
    await Promise.all(monitor.tick());
    await Promise.all(monitor.tick());
    assert.deepEqual(['a', 'b', 'c'].map(status), ['connected', 'connected', 'connected']);
    monitor.dispose();
  });
});
