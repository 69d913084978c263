/**
 * `npm run bench`: discovery on the simulated cluster at 10k, 50k and 100k objects (50+ types).
 * For each size, in one run:
 *   ours   - our full sync: every type listed (paged, metadata-only where the spec is not
 *            needed), summarized, committed to the database (a separate process: its own RSS)
 *   kubectl- `kubectl get <every type> -A -o json` of the same types
 *   floor  - plain parallel HTTP lists of the same types with JSON.parse and nothing else
 *   watch  - events applied per second under churn, and server-to-inventory latency p50/p99
 * The simulated API server runs in its own process too. Prints a table with the ratios.
 *   node out/scripts/bench.js [--sizes 10000,50000,100000] [--churn-rate 3000] [--churn-seconds 5]
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverResourceTypes, collectionPath } from '../src/core/kube/apiDiscovery';
import { loadKubeconfig } from '../src/core/kube/kubeconfig';
import { KubeClient } from '../src/core/kube/kubeClient';

const root = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const sizes = option('sizes', '10000,50000,100000').split(',').map(Number);
const churnRate = Number(option('churn-rate', '3000'));
const churnSeconds = Number(option('churn-seconds', '5'));

function startSim(objects: number, kubeconfig: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=8192', path.join(root, 'out', 'simcluster', 'main.js'), '--generate', String(objects), '--seed', '1', '--kubeconfig', kubeconfig], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`simulated cluster exited with ${code}`)));
  });
}

function run(command: string, argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ ms: number; stdout: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(command, argv, { env, maxBuffer: 2 * 1024 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${stderr || error.message}`));
      else resolve({ ms: performance.now() - started, stdout });
    });
  });
}

async function floor(kubeconfig: string, paths: string[]): Promise<{ ms: number; objects: number }> {
  const access = loadKubeconfig([kubeconfig]).contexts.find((c) => c.ok);
  if (!access?.ok) throw new Error('no usable context');
  const agent = new https.Agent({ keepAlive: true, ca: access.access.ca });
  const started = performance.now();
  const counts = await Promise.all(
    paths.map(
      (p) =>
        new Promise<number>((resolve, reject) => {
          https
            .get(`${access.access.server}${p}`, { agent, headers: { Authorization: `Bearer ${access.access.token}`, Accept: 'application/json' } }, (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => resolve((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { items: unknown[] }).items.length));
              res.on('error', reject);
            })
            .on('error', reject);
        }),
    ),
  );
  agent.destroy();
  return { ms: performance.now() - started, objects: counts.reduce((a, b) => a + b, 0) };
}

interface Row {
  objects: number;
  types: number;
  oursMs: number;
  listedMs: number;
  saveMs: number;
  floorMs: number;
  kubectlMs: number;
  rssMb: number;
  watchPerSecond: number;
  p50: number;
  p99: number;
}

async function measure(size: number): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshery-bench-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  process.stderr.write(`\n[${size}] starting the simulated cluster…\n`);
  const sim = await startSim(size, kubeconfig);
  try {
    const access = loadKubeconfig([kubeconfig]).contexts.find((c) => c.ok);
    if (!access?.ok) throw new Error('no usable context');
    const client = new KubeClient(access.access);
    const { types } = await discoverResourceTypes(client);
    client.dispose();
    const paths = types.map(collectionPath);

    process.stderr.write(`[${size}] floor: ${types.length} parallel lists + JSON.parse…\n`);
    const floorRun = await floor(kubeconfig, paths);

    process.stderr.write(`[${size}] kubectl get <${types.length} types> -A -o json…\n`);
    const names = types.map((t) => (t.group ? `${t.resource}.${t.group}` : t.resource)).join(',');
    const kubectl = await run('kubectl', ['get', names, '-A', '-o', 'json'], { ...process.env, KUBECONFIG: kubeconfig, HOME: dir });
    const kubectlObjects = (JSON.parse(kubectl.stdout) as { items: unknown[] }).items.length;
    if (kubectlObjects !== floorRun.objects) process.stderr.write(`  note: kubectl saw ${kubectlObjects} objects, the floor ${floorRun.objects}\n`);

    process.stderr.write(`[${size}] ours: full sync in a separate process…\n`);
    const ours = JSON.parse(
      (await run(process.execPath, [path.join(root, 'out', 'scripts', 'benchSync.js'), kubeconfig, path.join(dir, 'bench.db'), String(churnRate), String(churnSeconds)])).stdout,
    );

    return {
      objects: ours.syncedObjects,
      types: types.length,
      oursMs: ours.syncMs,
      listedMs: ours.listedMs,
      saveMs: ours.saveMs,
      floorMs: floorRun.ms,
      kubectlMs: kubectl.ms,
      rssMb: ours.peakRssMb,
      watchPerSecond: ours.watch.perSecond,
      p50: ours.watch.p50Ms,
      p99: ours.watch.p99Ms,
    };
  } finally {
    sim.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const size of sizes) rows.push(await measure(size));
  const f = (n: number, digits = 0) => n.toFixed(digits);
  const lines = [
    `Discovery benchmark (${os.cpus().length} cores, Node ${process.version}; churn ${churnRate}/s for ${churnSeconds}s)`,
    '',
    '| objects | types | ours sync ms | (listing) | floor ms | ours/floor | kubectl ms | kubectl/ours | peak RSS MB | file save ms | watch events/s | p50 ms | p99 ms |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.objects} | ${r.types} | ${f(r.oursMs)} | ${f(r.listedMs)} | ${f(r.floorMs)} | ${f(r.oursMs / r.floorMs, 2)} | ${f(r.kubectlMs)} | ${f(r.kubectlMs / r.oursMs, 1)} | ${f(r.rssMb)} | ${f(
          r.saveMs,
        )} | ${f(r.watchPerSecond)} | ${f(r.p50)} | ${f(r.p99)} |`,
    ),
    '',
    'Targets: ours/floor <= 1.5, kubectl/ours >= 3, peak RSS < 500 MB at 100k, >= 2000 watch events/s with p99 < 500 ms.',
    '"ours sync" = every type listed and summarized + the inventory written to its files beside the database; "file save" is the atomic write of the database file (users\' data only) after it.',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
