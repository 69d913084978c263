/**
 * One measured run of OUR full sync, in its own process so its peak RSS is its own:
 *   node out/scripts/benchSync.js KUBECONFIG DBFILE CONTROL_URL CHURN_RATE CHURN_SECONDS
 * Lists every type (discovery, paging, summaries), writes the inventory's files beside the
 * database and saves the database; then measures watch throughput and latency under churn.
 * Prints one JSON line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { churnTimestampAnnotation } from '../simcluster/churn';
import { silentLogger } from '../src/core/common/logger';
import { Inventory } from '../src/core/inventory/inventory';
import { InventoryPersister } from '../src/core/inventory/inventoryPersister';
import { InventorySnapshots, inventoryFolderOf } from '../src/core/inventory/inventorySnapshots';
import { Discovery } from '../src/core/kube/discovery';
import { openStore } from '../src/core/store/openStore';
import { loadKubeconfig } from '../src/core/kube/kubeconfig';
import { KubeClient } from '../src/core/kube/kubeClient';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * The shipped build loads dist/client-node.js (KubeConfig's module only, about 200 KB), not the
 * whole package; measure what users run, so its memory counts, not the full library's.
 */
function useShippedClientNode(): void {
  const shipped = path.join(__dirname, '..', '..', 'dist', 'client-node.js');
  if (!fs.existsSync(shipped)) throw new Error(`${shipped} is missing: the benchmark builds first (npm run bench)`);
  const resolved = require.resolve('@kubernetes/client-node');
  require.cache[resolved] = { id: resolved, filename: resolved, loaded: true, exports: require(shipped) } as NodeJS.Module;
}

/**
 * This process's own peak RSS. Not getrusage's maxRSS: Linux carries the high-water mark of the
 * process image an exec replaced into it, and this process is forked from the benchmark's, which
 * has just parsed every list whole (the floor): its RSS was reported as ours (292-369 MB against
 * 232-252 MB sampled from /proc during the same runs).
 */
function peakRssMb(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux: getrusage is what there is
  }
  return process.resourceUsage().maxRSS / 1024;
}

async function main(): Promise<void> {
  useShippedClientNode();
  const [kubeconfig, dbFile, churnRate, churnSeconds] = process.argv.slice(2);
  const { store } = await openStore({ path: dbFile, logger: silentLogger, saveDelayMs: 3_600_000 });
  // The extension's own coalescing (what the tree repaints on).
  const inventory = new Inventory();
  // Written once the lists are in (as the CLI does): "committed" = listed + on disk.
  const persister = new InventoryPersister(inventory, new InventorySnapshots(inventoryFolderOf(dbFile)), silentLogger, { firstWriteMs: 3_600_000, intervalMs: 3_600_000 });
  const discovery = new Discovery(inventory, () => undefined);

  const started = performance.now();
  discovery.start({ kubeconfigFiles: [kubeconfig] });
  await discovery.whenInitiallySynced();
  const listedMs = performance.now() - started;
  await persister.flush();
  const syncMs = performance.now() - started;
  const saveStarted = performance.now();
  await store.flush();
  const saveMs = performance.now() - saveStarted;
  const status = discovery.clusters()[0].status();
  const syncedObjects = inventory.count();

  const peakAfterSyncMb = peakRssMb();

  // Watch: churn on the server; latency from the server's commit to the coalesced change the
  // tree repaints on (inventory.onDidChange), which is what a person sees.
  const latencies: number[] = [];
  // From the commit to our client's handing the change to the inventory: the server's and the
  // network's part (the server generates the churn on the same cores), before our coalescing.
  const receipts: number[] = [];
  const waiting: number[] = [];
  let applied = 0;
  let firstAt = 0;
  let lastAt = 0;
  inventory.addSink((m) => {
    const now = Date.now();
    applied++;
    if (!firstAt) firstAt = now;
    lastAt = now;
    if (m.op === 'upsert') {
      const at = Number(m.object.annotations[churnTimestampAnnotation]);
      if (at) {
        waiting.push(at);
        receipts.push(now - at);
      }
    }
  });
  inventory.onDidChange(() => {
    const now = Date.now();
    for (const at of waiting) latencies.push(now - at);
    waiting.length = 0;
  });
  let churn: { created: number; updated: number; deleted: number } | undefined;
  let control: KubeClient | undefined;
  const cpuBefore = process.cpuUsage();
  // Our own event loop over the watch: a late receipt with a free loop is the server's lateness.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  if (Number(churnSeconds) > 0) {
    const access = loadKubeconfig([kubeconfig]).contexts.find((c) => c.ok);
    if (!access?.ok) throw new Error('no usable context');
    control = new KubeClient(access.access);
    churn = await control.getJson<{ created: number; updated: number; deleted: number }>(`/_sim/churn?rate=${churnRate}&seconds=${churnSeconds}&seed=3`, { timeoutMs: 600_000 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  loopDelay.disable();
  latencies.sort((a, b) => a - b);
  receipts.sort((a, b) => a - b);
  process.stdout.write(
    JSON.stringify({
      syncedObjects,
      objects: inventory.count(),
      types: status.types.length,
      listedMs,
      syncMs,
      saveMs,
      peakRssMb: peakAfterSyncMb,
      churn,
      watch: churn
        ? {
            applied,
            seconds: (lastAt - firstAt) / 1000,
            perSecond: applied / Math.max(0.001, (lastAt - firstAt) / 1000),
            p50Ms: percentile(latencies, 50),
            p99Ms: percentile(latencies, 99),
            receiptP99Ms: percentile(receipts, 99),
            loopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e6),
            // Our CPU over the watch, as a share of one core: low while latency grows means the simulated server (generator) is the limit.
            cpuPercent: (() => {
              const used = process.cpuUsage(cpuBefore);
              return ((used.user + used.system) / 1000 / Math.max(1, lastAt - firstAt)) * 100;
            })(),
          }
        : null,
    }) + '\n',
  );
  control?.dispose();
  discovery.dispose();
  await persister.close();
  await store.close();
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error) + '\n');
  process.exit(1);
});
