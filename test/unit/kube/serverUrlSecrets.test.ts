import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadKubeconfig } from '../../../src/core/kube/kubeconfig';
import { SimFixture, adminUser, startSim } from '../../support/simHarness';

const cli = path.join(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
const secret = 'url-Pass-9f8e7d';

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [cli, ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })),
  );
}

describe('a kubeconfig server URL with user:password', function () {
  this.timeout(60_000);
  let sim: SimFixture;
  before(async () => {
    sim = await startSim({ scenario: 'demo', users: [adminUser()] });
  });
  after(async () => sim?.stop());

  const withSecret = (server: RegExp, replacement: string) => {
    const file = path.join(sim.dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
    fs.writeFileSync(file, fs.readFileSync(sim.kubeconfig, 'utf8').replace(server, replacement));
    return file;
  };

  it('is used as basic auth and shown nowhere: not in the access, the CLI output, the events or the database', async () => {
    const file = withSecret(/server: https:\/\/127\.0\.0\.1:(\d+)/, `server: https://ops:${secret}@127.0.0.1:$1`);
    const [context] = loadKubeconfig([file]).contexts;
    assert.ok(context.ok);
    assert.equal(context.access.server, sim.cluster.url);
    assert.deepEqual(context.access.basicAuth, { username: 'ops', password: secret });

    const db = path.join(sim.dir, 'secret-url.db');
    const { code, stdout, stderr } = await run(['discover', '--kubeconfig', file, '--db', db, '--json']);
    assert.equal(code, 0, stderr);
    assert.equal(JSON.parse(stdout).clusters[0].server, sim.cluster.url);
    for (const [what, text] of [['stdout', stdout], ['stderr', stderr], ['database', fs.readFileSync(db).toString('latin1')]]) {
      assert.equal(text.includes(secret), false, `the password is in the ${what}`);
    }
  });

  it('is not shown when the cluster cannot be reached or the URL is broken either', async () => {
    const down = withSecret(/server: https:\/\/127\.0\.0\.1:\d+/, `server: https://ops:${secret}@127.0.0.1:9`);
    const unreachable = await run(['discover', '--kubeconfig', down]);
    assert.notEqual(unreachable.code, 0);
    assert.match(unreachable.stderr + unreachable.stdout, /127\.0\.0\.1:9/);
    assert.equal((unreachable.stderr + unreachable.stdout).includes(secret), false);

    const broken = withSecret(/server: https:\/\/127\.0\.0\.1:\d+/, `server: "https://ops:${secret}@[bad"`);
    const invalid = await run(['discover', '--kubeconfig', broken]);
    assert.notEqual(invalid.code, 0);
    assert.match(invalid.stderr, /invalid server URL/);
    assert.equal((invalid.stderr + invalid.stdout).includes(secret), false);
  });
});
