/**
 * Runs the simulated Kubernetes API server as a process (the demo, kubectl tests, the benchmark).
 *
 *   node out/simcluster/main.js [--scenario demo|FILE] [--generate N] [--seed S] [--port P] [--http]
 *     [--kubeconfig FILE] [--context-prefix NAME] [--user NAME[:forbidden-res,group/res...]]...
 *     [--bookmark-ms N] [--proxy NS/SERVICE:PORT=URL]... [--no-managed-fields]
 *
 * Prints one JSON line ({"url", "kubeconfig", "kubeSystemUid", "objects"}) when ready and runs
 * until SIGINT/SIGTERM. The first user is the admin; control endpoints live under /_sim/.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { SimCluster, SimUser } from './apiServer';
import { generateCluster, loadScenario } from './scenarios';

function parseUser(spec: string): SimUser {
  const [name, denied] = spec.split(':');
  const forbidden = (denied ?? '')
    .split(',')
    .filter(Boolean)
    .map((r) => (r.includes('/') ? { group: r.split('/')[0], resource: r.split('/')[1] } : { group: '', resource: r }));
  return { name, token: randomBytes(16).toString('hex'), forbidden };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const all = (flag: string) => args.flatMap((a, i) => (a === flag && args[i + 1] !== undefined ? [args[i + 1]] : []));
  const one = (flag: string) => all(flag)[0];
  const users = all('--user').map(parseUser);
  const cluster = await SimCluster.start({
    tls: !args.includes('--http'),
    port: Number(one('--port') ?? 0),
    users: users.length ? users : undefined,
    bookmarkIntervalMs: one('--bookmark-ms') ? Number(one('--bookmark-ms')) : undefined,
    managedFields: !args.includes('--no-managed-fields'),
  });
  const scenario = one('--scenario');
  if (scenario) loadScenario(cluster, scenario);
  const generate = one('--generate');
  if (generate) generateCluster(cluster, { objects: Number(generate), seed: Number(one('--seed') ?? 1) });
  for (const proxy of all('--proxy')) {
    const m = /^([^/]+)\/([^:]+):([^=]+)=(.+)$/.exec(proxy);
    if (!m) throw new Error(`--proxy expects NS/SERVICE:PORT=URL, got ${proxy}`);
    cluster.setProxyTarget(m[1], m[2], m[3], m[4]);
  }
  const kubeconfig = one('--kubeconfig');
  if (kubeconfig) fs.writeFileSync(kubeconfig, cluster.kubeconfig(one('--context-prefix') ?? 'sim'), { mode: 0o600 });
  process.stdout.write(JSON.stringify({ url: cluster.url, kubeconfig, kubeSystemUid: cluster.kubeSystemUid, objects: cluster.store.count() }) + '\n');
  const stop = () => void cluster.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`simcluster: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
