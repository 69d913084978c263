import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '../../../src/core/common/logger';
import { ConnectionService } from '../../../src/core/connections/connectionService';
import { EnvironmentService } from '../../../src/core/connections/environmentService';
import { EventLog } from '../../../src/core/events/eventLog';
import { openStore } from '../../../src/core/store/openStore';
import { PrometheusFixture, startPrometheus } from '../../support/prometheusServer';
import { eventually } from '../../support/simHarness';

const cli = path.join(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
const password = 'cli-Prom-pass-5e1d';

describe('headless CLI: connections and environments', function () {
  this.timeout(60_000);
  let prometheus: PrometheusFixture;
  let dir: string;
  let db: string;

  before(async () => {
    prometheus = await startPrometheus({ username: 'ci', password });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshery-cli-'));
    db = path.join(dir, 'meshery.db');
  });
  after(async () => {
    await prometheus?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [cli, ...args], { env: { ...process.env, PROM_AUTH: `ci:${password}`, PROM_WRONG: 'ci:wrong', ...env } }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  const ok = async (args: string[], env?: Record<string, string>) => {
    const result = await run([...args, '--db', db], env);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    return result;
  };
  const json = async (args: string[], env?: Record<string, string>) => JSON.parse((await ok([...args, '--json'], env)).stdout);

  let prometheusId: string;

  it('creates environments; a name taken in any case is refused (exit 1)', async () => {
    const staging = await json(['environments', 'create', 'staging', '--description', 'pre-production']);
    assert.equal(staging.name, 'staging');
    const again = await run(['environments', 'create', 'Staging', '--db', db]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /refused: An environment named "Staging" already exists/);
    const listed = await ok(['environments', 'list']);
    assert.match(listed.stdout, /^ID\s+NAME\s+CONNECTIONS\s+DESCRIPTION\n\S{8}\s+staging\s+0\s+pre-production\n$/);
  });

  it('registers a real Prometheus with basic auth: tested, CONNECTED, in its environment, the credential used and not stored', async () => {
    const plainHttp = await run(['connections', 'register', '--kind', 'prometheus', '--url', prometheus.url, '--basic-env', 'PROM_AUTH', '--db', db]);
    assert.equal(plainHttp.code, 2, 'a credential over plain http needs an explicit choice');
    assert.match(plainHttp.stderr, /credential would travel unprotected to http:\/\/127\.0\.0\.1:\d+ \(plain http\); pass --send-credential-insecurely/);

    const registered = await ok(['connections', 'register', '--kind', 'prometheus', '--url', prometheus.url, '--name', 'CI Prometheus', '--basic-env', 'PROM_AUTH', '--environment', 'STAGING', '--send-credential-insecurely']);
    assert.match(registered.stdout, /^CONNECTED  \S+  CI Prometheus  http:\/\/127\.0\.0\.1:\d+\n  test: reached directly in \d+ ms, version \d+\.\d+\.\d+\S*\n  environments: staging\n/);
    assert.match(registered.stdout, /credential from \$PROM_AUTH was used for this test only and is not stored/);

    const [connection] = await json(['connections', 'list', '--kind', 'prometheus']);
    prometheusId = connection.id;
    assert.equal(connection.status, 'connected');
    assert.deepEqual(connection.environments.map((e: { name: string }) => e.name), ['staging']);
    assert.equal(connection.credentialId, null);
    assert.equal(connection.lastTest.reached, true);
    assert.equal(fs.readFileSync(db).includes(password), false, 'the password is nowhere in the database');

    const duplicate = await run(['connections', 'register', '--kind', 'prometheus', '--url', prometheus.url, '--db', db]);
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.stderr, new RegExp(`already a Prometheus connection: ${prometheusId}`));
  });

  it('registers with a wrong password: REGISTERED with the reason, exit 0 (the registration was done)', async () => {
    const url = prometheus.url.replace('127.0.0.1', 'localhost');
    const result = await json(['connections', 'register', '--kind', 'prometheus', '--url', url, '--basic-env', 'PROM_WRONG', '--send-credential-insecurely']);
    assert.equal(result.connection.status, 'registered');
    assert.equal(result.test.reached, false);
    assert.equal(result.test.failure.class, 'unauthorized');
    assert.equal(result.credentialStored, false);
  });

  it('moves along the status machine; a transition it does not allow exits 1 with the allowed ones', async () => {
    const refused = await run(['connections', 'status', prometheusId.slice(0, 8), '--to', 'registered', '--db', db]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /refused: A Prometheus connection cannot go from "connected" to "registered"\. From "connected" it can go to: .*"maintenance"/);

    const maintenance = await ok(['connections', 'status', prometheusId.slice(0, 8), '--to', 'maintenance']);
    assert.equal(maintenance.stdout, 'CI Prometheus: CONNECTED → MAINTENANCE\n');

    // CONNECTED only through a passing test: with a wrong password it stays, and says why.
    const failing = await run(['connections', 'status', 'ci prometheus', '--to', 'connected', '--basic-env', 'PROM_WRONG', '--db', db]);
    assert.equal(failing.code, 1);
    assert.match(failing.stderr, /refused: CI Prometheus stays maintenance: the test did not reach it \(unauthorized\)/);

    const connected = await json(['connections', 'status', 'CI Prometheus', '--to', 'connected', '--basic-env', 'PROM_AUTH']);
    assert.equal(connected.previous, 'maintenance');
    assert.equal(connected.connection.status, 'connected');
    assert.equal(connected.test.reached, true);

    const events = await eventsOf(prometheusId);
    assert.ok(events.some((e) => e.severity === 'error' && e.action === 'status' && /cannot go from "connected" to "registered"/.test(e.description)), 'a refused transition leaves an error event');
  });

  it('assigns connections to an environment', async () => {
    const connections = await json(['connections', 'list']);
    const other = connections.find((c: { id: string }) => c.id !== prometheusId);
    const staging = await json(['environments', 'assign', 'staging', '--connection', other.id]);
    assert.deepEqual([...staging.connectionIds].sort(), [prometheusId, other.id].sort());
  });

  it('refuses bad input with exit 2 and a clear message, writing nothing', async () => {
    const before = fs.readFileSync(db);
    const cases: [string[], RegExp][] = [
      [['connections', 'status', prometheusId, '--to', 'online'], /--to must be one of discovered, registered, connected/],
      [['connections', 'status', 'no-such-connection', '--to', 'maintenance'], /there is no connection "no-such-connection"/],
      [['connections', 'list', 'stray'], /unexpected argument "stray"/],
      [['connections', 'list', '--colour'], /unknown option --colour/],
      [['connections', 'register', '--kind', 'kubernetes', '--url', 'https://127.0.0.1:6443', '--basic-env', 'PROM_AUTH'], /bearer token: use --token-env, not --basic-env/],
      [['connections', 'register', '--kind', 'prometheus', '--url', prometheus.url, '--timeout', '0'], /--timeout must be greater than 0/],
      [['connections', 'register', '--kind', 'consul', '--url', prometheus.url], /--kind must be one of kubernetes, prometheus, grafana/],
      [['connections', 'register', '--kind', 'prometheus', '--url', 'http://u:p@example.com'], /Put the user and password in a credential/],
      [['connections', 'register', '--kind', 'prometheus', '--url', prometheus.url, '--environment', 'prod'], /there is no environment "prod"/],
      [['environments', 'assign', 'staging'], /usage: cli\.js environments assign/],
    ];
    for (const [args, message] of cases) {
      const result = await run([...args, '--db', db]);
      assert.equal(result.code, 2, `${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
    const noDb = await run(['connections', 'list']);
    assert.equal(noDb.code, 2);
    assert.match(noDb.stderr, /--db FILE is required/);
    assert.deepEqual(fs.readFileSync(db), before);
  });

  it('is safe with a window open on the same database: neither loses the other\'s changes', async () => {
    const { store } = await openStore({ path: db, logger: silentLogger, saveDelayMs: 60_000 });
    const events = new EventLog(store, { retention: 10_000 });
    const windowConnections = new ConnectionService(store, events);
    const windowEnvironments = new EnvironmentService(store, events);
    try {
      // The window changes something and has not saved yet when the CLI writes.
      windowEnvironments.create('from-the-window');
      await ok(['environments', 'create', 'from-the-cli']);
      await eventually(() => windowEnvironments.list().some((e) => e.name === 'from-the-cli'), 10_000, () => 'the window never merged the CLI\'s save');
      await store.flush();
      const names = (await json(['environments', 'list'])).map((e: { name: string }) => e.name);
      assert.deepEqual(names, ['from-the-cli', 'from-the-window', 'staging']);
      assert.equal(windowConnections.get(prometheusId)?.status, 'connected');
    } finally {
      windowConnections.dispose();
      windowEnvironments.dispose();
      await store.close();
    }
  });

  async function eventsOf(id: string) {
    const { store } = await openStore({ path: db, logger: silentLogger, saveDelayMs: 60_000 });
    try {
      return new EventLog(store, { retention: 10_000 }).query({ actedUpon: id }, { limit: 100 });
    } finally {
      store.dispose();
    }
  }
});
