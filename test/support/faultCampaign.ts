/**
 * The fault campaign: processes killed at random moments of their saves, seeded faults against
 * discovery, two writers interleaving at random, a full and a read-only disk. Each function runs
 * one kind of fault a given number of times and returns what it found; `npm run faults` runs the
 * long version and prints the figures, a unit test runs a short one.
 */
import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { churn } from '../../simcluster/churn';
import { seededRandom } from '../../simcluster/random';
import { silentLogger } from '../../src/core/common/logger';
import { EventLog } from '../../src/core/events/eventLog';
import { Inventory } from '../../src/core/inventory/inventory';
import { inventoryFolderOf } from '../../src/core/inventory/inventorySnapshots';
import { defaultClusterSyncOptions } from '../../src/core/kube/clusterSync';
import { Discovery } from '../../src/core/kube/discovery';
import { openStore } from '../../src/core/store/openStore';
import { diff, eventually, inventoryState, serverState, startSim } from './simHarness';

const writer = path.join(__dirname, 'userChangeWriter.js');
const cli = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');

export interface KillReport {
  readonly kills: number;
  /** Runs after which the file opened, passed PRAGMA integrity_check and was not moved aside. */
  readonly intact: number;
  /** Changes reported saved before the kill, and how many of them were found afterwards. */
  readonly reportedSaved: number;
  readonly found: number;
  /** Temporary files left after the next open (removed as abandoned). */
  readonly tempFilesLeft: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

/** Opens the file as the extension would and checks it: readable, not moved aside, integrity ok. */
async function checkDatabase(db: string): Promise<{ intact: boolean; descriptions: Set<string> }> {
  const { store, recovery } = await openStore({ path: db, logger: silentLogger, saveDelayMs: 60_000 });
  try {
    const verdict = store.get<{ integrity_check: string }>('PRAGMA integrity_check')?.integrity_check;
    const descriptions = new Set(store.all<{ description: string }>('SELECT description FROM events').map((r) => r.description));
    return { intact: !recovery && verdict === 'ok', descriptions };
  } finally {
    store.dispose();
  }
}

function tempFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.includes('.tmp-'));
}

/** Kills a process making user changes at random moments (kill -9), `kills` times on one file. */
export async function killUserChangeWriters(kills: number, dir: string): Promise<KillReport> {
  const db = path.join(dir, 'user-changes.db');
  let intact = 0;
  let reportedSaved = 0;
  let found = 0;
  let tempFilesLeft = 0;
  for (let run = 0; run < kills; run++) {
    const label = `run${run}`;
    const child = spawn(process.execPath, [writer, db, label, 'forever']);
    let saved = -1;
    let firstSave: () => void = () => undefined;
    const firstSaved = new Promise<void>((resolve) => (firstSave = resolve));
    child.stdout.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/saved (\d+)/g)) saved = Number(m[1]);
      if (saved >= 0) firstSave();
    });
    // Started (sql.js loaded, the file open, one save done: slow on a busy machine), then killed
    // at a random moment of its saves.
    await Promise.race([firstSaved, exited(child)]);
    await sleep(Math.random() * 600);
    child.kill('SIGKILL');
    await exited(child);
    const check = await checkDatabase(db);
    if (check.intact) intact++;
    reportedSaved += saved + 1;
    for (let i = 0; i <= saved; i++) if (check.descriptions.has(`${label}-${i}`)) found++;
    tempFilesLeft += tempFiles(dir).length;
  }
  return { kills, intact, reportedSaved, found, tempFilesLeft };
}

export interface DiscoverKillReport {
  readonly kills: number;
  readonly intact: number;
  /** Runs after which every inventory file was complete (every line parsed). */
  readonly inventoryComplete: number;
  readonly tempFilesLeft: number;
}

/** Kills `cli discover --watch --db` at random moments while the cluster churns, `kills` times on one file. */
export async function killDiscoverUnderChurn(kills: number, dir: string): Promise<DiscoverKillReport> {
  const sim = await startSim({ generate: { objects: 4000, seed: 21 } });
  const db = path.join(dir, 'discover.db');
  const folder = inventoryFolderOf(db);
  let intact = 0;
  let inventoryComplete = 0;
  let tempFilesLeft = 0;
  try {
    for (let run = 0; run < kills; run++) {
      const child = spawn(process.execPath, [cli, 'discover', '--kubeconfig', sim.kubeconfig, '--db', db, '--watch', '60']);
      const churning = churn(sim.cluster, { rate: 1000, seconds: 3, seed: run });
      await sleep(300 + Math.random() * 2500);
      child.kill('SIGKILL');
      await exited(child);
      await churning;
      if ((await checkDatabase(db)).intact) intact++;
      const files = fs.existsSync(folder) ? fs.readdirSync(folder).filter((f) => f.endsWith('.ndjson')) : [];
      const complete = files.every((f) =>
        fs
          .readFileSync(path.join(folder, f), 'utf8')
          .split('\n')
          .filter(Boolean)
          .every((line) => {
            try {
              JSON.parse(line);
              return true;
            } catch {
              return false;
            }
          }),
      );
      if (complete) inventoryComplete++;
      tempFilesLeft += tempFiles(dir).length;
    }
  } finally {
    await sim.stop();
  }
  return { kills, intact, inventoryComplete, tempFilesLeft };
}

export interface ConvergenceReport {
  readonly runs: number;
  readonly converged: number;
  /** The seeds that did not converge, with the difference left for the first of them. */
  readonly failedSeeds: readonly number[];
  readonly firstDifference?: string;
  /** The slowest run's time from the last fault to the inventory equal to the server. */
  readonly slowestMs: number;
}

/** Seeded runs of dropped watches, compaction, API-server restarts and churn at 1,000 changes/s. */
export async function seededConvergence(runs: number, firstSeed = 100): Promise<ConvergenceReport> {
  let converged = 0;
  let slowestMs = 0;
  const failedSeeds: number[] = [];
  let firstDifference: string | undefined;
  for (let seed = firstSeed; seed < firstSeed + runs; seed++) {
    const sim = await startSim({ generate: { objects: 1500, seed }, historyLimit: 400 });
    const inventory = new Inventory(10);
    const random = seededRandom(seed);
    const discovery = new Discovery(inventory, () => undefined, {
      ...defaultClusterSyncOptions,
      retryMaxMs: 400,
      rediscoverDebounceMs: 100,
      resourceSync: { pageSize: 50, sliceBytes: 4096, watchTimeoutSeconds: 3, idleTimeoutMs: 2_000, backoffInitialMs: 50, backoffMaxMs: 400, random: seededRandom(seed) },
    });
    try {
      discovery.start({ kubeconfigFiles: [sim.kubeconfig] });
      await discovery.whenInitiallySynced();
      const background = churn(sim.cluster, { rate: 1000, seconds: 2, seed });
      for (const fault of ['drop-watches', 'compact', 'restart', 'drop-watches', 'compact'].sort(() => random() - 0.5)) {
        if (fault === 'drop-watches') sim.cluster.dropWatches();
        if (fault === 'compact') sim.cluster.store.compact();
        if (fault === 'restart') await sim.cluster.restart(150);
        await sleep(50 + random() * 200);
      }
      await background;
      const started = Date.now();
      const clusterId = sim.cluster.kubeSystemUid;
      const same = () => inventoryState(inventory, clusterId).join('\n') === serverState(sim.cluster).join('\n');
      await eventually(same, 30_000, () => 'not converged').then(
        () => {
          converged++;
          slowestMs = Math.max(slowestMs, Date.now() - started);
        },
        () => {
          failedSeeds.push(seed);
          firstDifference ??= diff(serverState(sim.cluster), inventoryState(inventory, clusterId));
        },
      );
    } finally {
      discovery.dispose();
      inventory.dispose();
      await sim.stop();
    }
  }
  return { runs, converged, slowestMs, failedSeeds, firstDifference };
}

export interface TwoWritersReport {
  readonly seconds: number;
  readonly written: number;
  readonly found: number;
}

/** Two writer processes on one file, random interleavings, for `seconds`: no write may be lost. */
export async function twoWritersInterleaving(seconds: number, dir: string): Promise<TwoWritersReport> {
  const db = path.join(dir, 'two-writers.db');
  const run = (label: string) =>
    new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, [writer, db, label, String(seconds * 1000)]);
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('exit', (code) => {
        const done = /done (-?\d+)/.exec(out);
        if (code === 0 && done) resolve(Number(done[1]) + 1);
        else reject(new Error(`writer ${label} exited ${code}`));
      });
    });
  const [a, b] = await Promise.all([run('a'), run('b')]);
  const { descriptions } = await checkDatabase(db);
  let found = 0;
  for (const [label, count] of [['a', a], ['b', b]] as const) for (let i = 0; i < count; i++) if (descriptions.has(`${label}-${i}`)) found++;
  return { seconds, written: a + b, found };
}

export interface DiskReport {
  /** Why it did not run (no permission to mount a small file system), if it did not. */
  readonly skipped?: string;
  readonly fullError?: string;
  readonly readOnlyError?: string;
  readonly tempFilesLeft: number;
  /** The file as it was before the failed saves: opens, integrity ok, holds what was saved. */
  readonly previousIntact: boolean;
  /** Opening on read-only storage: in memory, with this reason. */
  readonly readOnlyOpen?: string;
  /** A CLI change on the full disk: its exit code and message (it must not claim success). */
  readonly cliOnFullDisk?: { readonly code: number; readonly stderr: string };
}

/** A full disk (a 1 MiB tmpfs) and a read-only one: clear errors, no temp files, the previous file intact. */
export async function fullAndReadOnlyDisk(): Promise<DiskReport> {
  const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'meshery-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint], { stdio: 'ignore' });
  } catch {
    fs.rmSync(mountPoint, { recursive: true, force: true });
    return { skipped: 'cannot mount a small tmpfs here (needs root)', tempFilesLeft: 0, previousIntact: false };
  }
  const db = path.join(mountPoint, 'meshery.db');
  try {
    const { store } = await openStore({ path: db, logger: silentLogger, saveDelayMs: 60_000 });
    const log = new EventLog(store, { retention: 1_000_000 });
    const filler = 'x'.repeat(4000);
    let saved = 0;
    let fullError: string | undefined;
    for (let i = 0; i < 1000 && !fullError; i++) {
      for (let j = 0; j < 10; j++) log.record({ category: 'faults', action: 'fill', severity: 'debug', description: `fill-${i}-${j} ${filler}` });
      try {
        await store.flush();
        saved = (i + 1) * 10;
      } catch (error) {
        fullError = (error as Error).message;
      }
    }
    store.dispose();
    const afterFull = await checkDatabase(db);
    const previousIntact = afterFull.intact && afterFull.descriptions.size === saved;
    const cliOnFullDisk = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, [cli, 'environments', 'create', 'on-a-full-disk', '--db', db], (error, _stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr }),
      ),
    );
    const tempAfterFull = tempFiles(mountPoint).filter((f) => !f.includes('.unsaved-')).length;

    execFileSync('mount', ['-o', 'remount,ro', mountPoint], { stdio: 'ignore' });
    const readOnly = await openStore({ path: db, logger: silentLogger, saveDelayMs: 60_000, fallbackToMemory: true });
    const readOnlyOpen = readOnly.recovery?.kind === 'unwritable' ? readOnly.recovery.reason : undefined;
    readOnly.store.dispose();
    let readOnlyError: string | undefined;
    try {
      await openStore({ path: db, logger: silentLogger, saveDelayMs: 60_000 });
    } catch (error) {
      readOnlyError = (error as Error).message;
    }
    return { fullError, readOnlyError, readOnlyOpen, cliOnFullDisk, tempFilesLeft: tempAfterFull + tempFiles(mountPoint).length, previousIntact };
  } finally {
    execFileSync('umount', [mountPoint], { stdio: 'ignore' });
    fs.rmSync(mountPoint, { recursive: true, force: true });
  }
}
