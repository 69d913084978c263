/**
 * How much of the thread that runs discovery reading list pages takes, in its own process:
 *   node out/scripts/benchPages.js KUBECONFIG RUNS
 * Fetches every page of every type once (as a sync asks for them), then reads them all, at once
 * as a sync's parallel lists deliver them, on this thread (the CLI's way) and through the worker
 * (the extension host's way), interleaved, RUNS times each. For each: the thread's busy time (its
 * event-loop utilization) and its longest turn (what a user of the extension host feels as a
 * stall). Prints one JSON line of medians.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { collectionPath, discoverResourceTypes } from '../src/core/kube/apiDiscovery';
import { KubeClient, acceptJson, acceptMetadataList, acceptMetadataListOnly } from '../src/core/kube/kubeClient';
import { loadKubeconfig } from '../src/core/kube/kubeconfig';
import { ListPageReader, inlinePageReader } from '../src/core/kube/listPageReader';
import { isSecretType, needsSpec } from '../src/core/kube/objectSummary';
import { WorkerPageReader } from '../src/core/kube/workerPageReader';

interface Reading {
  readonly objects: number;
  readonly busyMs: number;
  /** The 99th percentile of the turns, each as long as the watchdog's timer had to wait. */
  readonly p99TurnMs: number;
  readonly longestTurnMs: number;
}

async function fetchPages(kubeconfig: string): Promise<{ body: Buffer; secret: boolean }[]> {
  const access = loadKubeconfig([kubeconfig]).contexts.find((c) => c.ok);
  if (!access?.ok) throw new Error('no usable context');
  const client = new KubeClient(access.access);
  const pages: { body: Buffer; secret: boolean }[] = [];
  for (const type of (await discoverResourceTypes(client)).types) {
    const secret = isSecretType(type);
    const accept = needsSpec(type) ? acceptJson : secret ? acceptMetadataListOnly : acceptMetadataList;
    let continueToken: string | undefined;
    do {
      const query = new URLSearchParams({ limit: '500', ...(continueToken ? { continue: continueToken } : {}) });
      const { body } = await client.request(`${collectionPath(type)}?${query}`, { accept });
      continueToken = (JSON.parse(body.toString('utf8')) as { metadata?: { continue?: string } }).metadata?.continue || undefined;
      pages.push({ body, secret });
    } while (continueToken);
  }
  client.dispose();
  return pages;
}

async function readAll(reader: ListPageReader, pages: { body: Buffer; secret: boolean }[]): Promise<Reading> {
  const turns: number[] = [];
  let last = performance.now();
  const watchdog = setInterval(() => {
    const now = performance.now();
    turns.push(now - last);
    last = now;
  }, 1);
  const before = performance.eventLoopUtilization();
  // Copies: the worker takes over the bytes it is sent.
  const read = await Promise.all(pages.map(({ body, secret }) => reader.read({ body: Buffer.from(body), secret, known: () => undefined })));
  const busyMs = performance.eventLoopUtilization(before).active;
  clearInterval(watchdog);
  turns.sort((a, b) => a - b);
  return { objects: read.reduce((n, page) => n + page.summaries.length, 0), busyMs, p99TurnMs: turns[Math.floor(turns.length * 0.99)], longestTurnMs: turns[turns.length - 1] };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

async function main(): Promise<void> {
  const [kubeconfig, runs] = process.argv.slice(2);
  const pages = await fetchPages(kubeconfig);
  const worker = new WorkerPageReader(path.join(__dirname, '..', 'src', 'core', 'kube', 'pageReaderWorker.js'));
  const readings: Record<'thisThread' | 'worker', Reading[]> = { thisThread: [], worker: [] };
  // One round first, not counted: both ways then run with their code compiled.
  await readAll(inlinePageReader, pages);
  await readAll(worker, pages);
  for (let i = 0; i < Number(runs); i++) {
    readings.thisThread.push(await readAll(inlinePageReader, pages));
    readings.worker.push(await readAll(worker, pages));
  }
  worker.dispose();
  if (worker.pagesRead.onThisThread > 0) throw new Error('the worker could not run');
  const summary = (r: Reading[]) => ({
    objects: r[0].objects,
    busyMs: Math.round(median(r.map((x) => x.busyMs))),
    p99TurnMs: Math.round(median(r.map((x) => x.p99TurnMs))),
    longestTurnMs: Math.round(median(r.map((x) => x.longestTurnMs))),
  });
  const megabytes = pages.reduce((n, p) => n + p.body.length, 0) / 1e6;
  process.stdout.write(JSON.stringify({ pages: pages.length, megabytes: Math.round(megabytes), thisThread: summary(readings.thisThread), worker: summary(readings.worker) }) + '\n');
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`benchPages failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
