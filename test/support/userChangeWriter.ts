/**
 * A process that keeps making user changes to a database file, as an extension host does, for
 * the fault campaign. Usage:
 *   node userChangeWriter.js <db> <label> <milliseconds | forever>
 * Records events "<label>-<n>" with random pauses; after each flush that succeeds it prints
 * "saved <n>" (every change up to n is on disk). With a duration it stops after it, closes the
 * store and prints "done <n>"; "forever" runs until it is killed.
 */
import { silentLogger } from '../../src/core/common/logger';
import { EventLog } from '../../src/core/events/eventLog';
import { openStore } from '../../src/core/store/openStore';

async function main(): Promise<void> {
  const [dbPath, label, duration] = process.argv.slice(2);
  const until = duration === 'forever' ? Infinity : Date.now() + Number(duration);
  const { store } = await openStore({ path: dbPath, logger: silentLogger, saveDelayMs: 10, pollIntervalMs: 25 });
  const log = new EventLog(store, { retention: 1_000_000 });
  let n = 0;
  while (Date.now() < until) {
    log.record({ category: 'faults', action: label, severity: 'informational', description: `${label}-${n}` });
    if (Math.random() < 0.2) {
      await store.flush();
      process.stdout.write(`saved ${n}\n`);
    }
    n++;
    // Random pauses: the other writer's saves, the timer's saves and ours interleave differently every run.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 8));
  }
  await store.close();
  process.stdout.write(`done ${n - 1}\n`);
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
