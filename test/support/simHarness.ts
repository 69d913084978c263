import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SimCluster, SimUser } from '../../simcluster/apiServer';
import { generateCluster, loadScenario } from '../../simcluster/scenarios';
import { Inventory } from '../../src/core/inventory/inventory';

export interface SimFixture {
  readonly cluster: SimCluster;
  readonly kubeconfig: string;
  readonly dir: string;
  stop(): Promise<void>;
}

export const adminUser = (): SimUser => ({ name: 'admin', token: `admin-${Math.random().toString(36).slice(2)}` });

/** A simulated cluster on 127.0.0.1 with a kubeconfig file for it (contexts sim-<user>). */
export async function startSim(options: {
  scenario?: string;
  generate?: { objects: number; seed: number };
  users?: SimUser[];
  bookmarkIntervalMs?: number;
  historyLimit?: number;
  host?: string;
}): Promise<SimFixture> {
  const cluster = await SimCluster.start({ users: options.users ?? [adminUser()], bookmarkIntervalMs: options.bookmarkIntervalMs ?? 200, historyLimit: options.historyLimit, host: options.host });
  if (options.scenario) loadScenario(cluster, options.scenario);
  if (options.generate) generateCluster(cluster, options.generate);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshery-sim-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, cluster.kubeconfig('sim'));
  return {
    cluster,
    kubeconfig,
    dir,
    stop: async () => {
      await cluster.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every listable object of the server as "group/resource uid rv" lines, sorted. */
export function serverState(cluster: SimCluster, skip: (typeKey: string) => boolean = () => false): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const type of cluster.store.servedTypes()) {
    const key = `${type.group}/${type.resource}`;
    if (!type.verbs.includes('watch') || seen.has(key) || skip(key)) continue;
    seen.add(key);
    for (const o of cluster.store.list(key)) {
      lines.push(`${key} ${JSON.parse(o.json).metadata.uid} ${o.rv}`);
    }
  }
  return lines.sort();
}

export function inventoryState(inventory: Inventory, clusterId: string): string[] {
  const lines: string[] = [];
  for (const bucket of inventory.buckets(clusterId)) {
    for (const o of bucket.objects.values()) lines.push(`${bucket.type.group}/${bucket.type.resource} ${o.uid} ${o.resourceVersion}`);
  }
  return lines.sort();
}

export async function eventually(check: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function diff(expected: string[], actual: string[]): string {
  const a = new Set(actual);
  const e = new Set(expected);
  const missing = expected.filter((x) => !a.has(x));
  const extra = actual.filter((x) => !e.has(x));
  return `${missing.length} missing (${missing.slice(0, 5).join('; ')}), ${extra.length} extra (${extra.slice(0, 5).join('; ')})`;
}
