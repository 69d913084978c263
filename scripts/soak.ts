/**
 * `npm run soak`: does discovery's memory stay flat while a cluster churns for a long time?
 * A simulated cluster of `--objects` churns `--rate` changes a second, as many deletes as
 * creates so its size holds, for `--rounds` rounds of `--round-seconds`. In this process, what
 * the extension host keeps: the inventory, its files, the kinds' sketches and their sorted
 * lists, every kind expanded (its list made, then forgotten when it changes, as the Discovered
 * tree does). For the first half of the rounds the view is hidden: VS Code asks a hidden tree
 * for its rows' counts, not for the objects under them, so nothing asks for the lists. Then it
 * shows: every kind's objects asked each second, as its repaints do. After each round: the heap
 * after a full collection. Exits 1 when a round's heap is more than 25% over the first round's.
 *   node --expose-gc out/scripts/soak.js [--objects 100000] [--rate 5000] [--rounds 10] [--round-seconds 30]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '../src/core/common/logger';
import { FilteredKinds } from '../src/core/inventory/filteredKinds';
import { Inventory } from '../src/core/inventory/inventory';
import { InventoryPersister } from '../src/core/inventory/inventoryPersister';
import { InventorySnapshots } from '../src/core/inventory/inventorySnapshots';
import { KindSketches } from '../src/core/inventory/kindSketches';
import { resourceTypeKey } from '../src/core/kube/apiDiscovery';
import { Discovery } from '../src/core/kube/discovery';
import { loadKubeconfig } from '../src/core/kube/kubeconfig';
import { KubeClient } from '../src/core/kube/kubeClient';
import { numberOption } from './scriptOptions';
import { startSimProcess } from './simProcess';

const objects = numberOption('objects', 100_000);
const rate = numberOption('rate', 5000);
const rounds = Math.max(2, numberOption('rounds', 10));
const roundSeconds = numberOption('round-seconds', 30);
/** How far a round's heap may exceed the first round's (which already holds what a churn adds for good: shared strings, sketches' bits). */
const allowedGrowth = 1.25;

function heapAfterCollectionMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run soak does)');
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshery-soak-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  process.stderr.write(`starting a simulated cluster of ${objects} objects…\n`);
  const sim = await startSimProcess(objects, kubeconfig);
  const inventory = new Inventory();
  const persister = new InventoryPersister(inventory, new InventorySnapshots(path.join(dir, 'inventory')), silentLogger);
  const sketches = new KindSketches(inventory);
  const lists = new FilteredKinds(inventory, sketches);
  const discovery = new Discovery(inventory, () => undefined);
  const forgetChanged = inventory.onDidChange((change) => {
    for (const [clusterId, typeKeys] of change.types) for (const typeKey of typeKeys) lists.forget(clusterId, typeKey);
  });
  const expandAll = () => {
    for (const clusterId of inventory.clusterIds()) for (const bucket of inventory.buckets(clusterId)) lists.objects(clusterId, resourceTypeKey(bucket.type));
  };
  let control: KubeClient | undefined;
  try {
    discovery.start({ kubeconfigFiles: [kubeconfig] });
    await discovery.whenInitiallySynced();
    expandAll();
    const access = loadKubeconfig([kubeconfig]).contexts.find((c) => c.ok);
    if (!access?.ok) throw new Error('no usable context');
    control = new KubeClient(access.access);
    const rows: { round: number; view: string; changes: number; objects: number; heapMb: number; rssMb: number }[] = [];
    const syncedHeap = heapAfterCollectionMb();
    process.stderr.write(`synced ${inventory.count()} objects; heap after a full collection ${syncedHeap.toFixed(0)} MB\n`);
    for (let round = 1; round <= rounds; round++) {
      const shown = round > rounds / 2;
      const asking = shown ? setInterval(expandAll, 1000) : undefined;
      const result = await control.getJson<{ created: number; updated: number; deleted: number }>(`/_sim/churn?rate=${rate}&seconds=${roundSeconds}&seed=${round}&steady=true`, { timeoutMs: roundSeconds * 1000 + 600_000 });
      // The last changes reach the inventory (and, shown, the lists).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      clearInterval(asking);
      const row = {
        round,
        view: shown ? 'shown' : 'hidden',
        changes: result.created + result.updated + result.deleted,
        objects: inventory.count(),
        heapMb: heapAfterCollectionMb(),
        rssMb: process.memoryUsage().rss / 1024 / 1024,
      };
      rows.push(row);
      process.stderr.write(`round ${round} (${row.view}): ${row.changes} changes, ${row.objects} objects, heap ${row.heapMb.toFixed(0)} MB, RSS ${row.rssMb.toFixed(0)} MB\n`);
    }
    const first = rows[0].heapMb;
    const most = Math.max(...rows.map((r) => r.heapMb));
    const changes = rows.reduce((n, r) => n + r.changes, 0);
    process.stdout.write('\n| round | view | changes | objects | heap after a full collection MB | RSS MB |\n|---:|---|---:|---:|---:|---:|\n');
    process.stdout.write(`| sync | | | ${objects} | ${syncedHeap.toFixed(0)} | |\n`);
    for (const r of rows) process.stdout.write(`| ${r.round} | ${r.view} | ${r.changes} | ${r.objects} | ${r.heapMb.toFixed(0)} | ${r.rssMb.toFixed(0)} |\n`);
    const met = most <= first * allowedGrowth;
    process.stdout.write(
      `\n${changes} changes in ${rounds} rounds: the heap was ${first.toFixed(0)} MB after the first round, at most ${most.toFixed(0)} MB after the others; ` +
        `goal: at most ${Math.round((allowedGrowth - 1) * 100)}% more: ${met ? 'met' : 'MISSED'}\n`,
    );
    process.exitCode = met ? 0 : 1;
  } finally {
    control?.dispose();
    forgetChanged.dispose();
    discovery.dispose();
    lists.dispose();
    sketches.dispose();
    await persister.close();
    sim.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error) + '\n');
  process.exit(1);
});
