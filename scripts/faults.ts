/**
 * The fault campaign, long version (`npm run faults`; not part of `npm test`, which runs a short
 * one): prints one table and exits non-zero when anything was lost or damaged.
 *   node out/scripts/faults.js [--kills 50] [--seeds 20] [--seconds 120]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fullAndReadOnlyDisk, killDiscoverUnderChurn, killUserChangeWriters, seededConvergence, twoWritersInterleaving } from '../test/support/faultCampaign';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const kills = option('kills', 50);
  const seeds = option('seeds', 20);
  const seconds = option('seconds', 120);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meshery-faults-'));
  const rows: [string, string, boolean][] = [];
  const step = (what: string) => process.stderr.write(`[faults] ${what}…\n`);
  try {
    step(`${kills} kill -9 of a writer of user changes`);
    const writers = await killUserChangeWriters(kills, dir);
    rows.push([
      `kill -9 of a writer of user changes (×${writers.kills})`,
      `${writers.intact}/${writers.kills} files intact (integrity_check ok); ${writers.found}/${writers.reportedSaved} changes reported saved found; ${writers.tempFilesLeft} temp files left`,
      writers.intact === writers.kills && writers.found === writers.reportedSaved && writers.tempFilesLeft === 0,
    ]);
    step(`${kills} kill -9 of discover --watch --db under churn at 1,000 changes/s`);
    const discovers = await killDiscoverUnderChurn(kills, dir);
    rows.push([
      `kill -9 of \`discover --watch --db\` under churn (×${discovers.kills})`,
      `${discovers.intact}/${discovers.kills} databases intact; ${discovers.inventoryComplete}/${discovers.kills} with whole inventory files; ${discovers.tempFilesLeft} temp files left`,
      discovers.intact === discovers.kills && discovers.inventoryComplete === discovers.kills && discovers.tempFilesLeft === 0,
    ]);
    step(`${seeds} seeded runs of dropped watches, compaction, restarts and churn at 1,000 changes/s`);
    const convergence = await seededConvergence(seeds);
    rows.push([
      `seeded faults against discovery (×${convergence.runs})`,
      `${convergence.converged}/${convergence.runs} inventories equal to the server's; slowest ${convergence.slowestMs} ms after the last fault`,
      convergence.converged === convergence.runs,
    ]);
    step(`two writers interleaving for ${seconds} s`);
    const two = await twoWritersInterleaving(seconds, dir);
    rows.push([`two writer processes, random interleavings, ${two.seconds} s`, `${two.found}/${two.written} writes found`, two.found === two.written]);
    step('a full disk and a read-only one');
    const disk = await fullAndReadOnlyDisk();
    rows.push(
      disk.skipped
        ? ['full and read-only disk', `skipped: ${disk.skipped}`, true]
        : [
            'full disk (1 MiB tmpfs), then read-only',
            `full: "${disk.fullError}"; a CLI change there exits ${disk.cliOnFullDisk?.code} ("${disk.cliOnFullDisk?.stderr.trim().replace(/\s+/g, ' ')}"); read-only: "${disk.readOnlyError}", the window opens in memory ("${disk.readOnlyOpen}"); ${disk.tempFilesLeft} temp files; previous file ${disk.previousIntact ? 'intact' : 'DAMAGED'}`,
            !!disk.fullError && !!disk.readOnlyError && !!disk.readOnlyOpen && disk.tempFilesLeft === 0 && disk.previousIntact && disk.cliOnFullDisk?.code === 1,
          ],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`Fault campaign (${os.cpus().length} cores, Node ${process.version})\n\n| fault | result | ok |\n|---|---|---|\n`);
  for (const [fault, result, ok] of rows) process.stdout.write(`| ${fault} | ${result.replace(/\|/g, '\\|')} | ${ok ? 'yes' : '**NO**'} |\n`);
  process.exit(rows.every(([, , ok]) => ok) ? 0 : 1);
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error) + '\n');
  process.exit(2);
});
