/**
 * A separate process that writes to a shared database file, standing in for a second VS Code
 * window (extension host). Usage:
 *   node storeWriterProcess.js <db> <label> <count> [crash-after-temp]
 * Writes <count> events (one transaction and one throttled save each), then flushes and exits.
 * With "crash-after-temp" it saves once normally, then dies by SIGKILL between writing the
 * temporary file and renaming it over the database.
 */
import { EventLog } from '../../src/core/events/eventLog';
import { silentLogger } from '../../src/core/common/logger';
import { openStore } from '../../src/core/store/openStore';

async function main(): Promise<void> {
  const [dbPath, label, countText, mode] = process.argv.slice(2);
  const count = Number(countText);
  let crashArmed = false;
  const { store } = await openStore({
    path: dbPath,
    logger: silentLogger,
    saveDelayMs: 5,
    pollIntervalMs: 20,
    writeHooks: {
      afterTempWritten: () => {
        if (crashArmed) {
          process.kill(process.pid, 'SIGKILL');
        }
      },
    },
  });
  const log = new EventLog(store, { retention: 1_000_000 });
  for (let i = 0; i < count; i++) {
    log.record({ category: 'test', action: label, severity: 'informational', description: `${label}-${i}` });
    if (i % 7 === 0) {
      // Yield so throttled saves and the other process's saves interleave with ours.
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
  }
  await store.flush();
  if (mode === 'crash-after-temp') {
    crashArmed = true;
    log.record({ category: 'test', action: label, severity: 'informational', description: `${label}-lost-in-crash` });
    await store.flush();
    throw new Error('unreachable: the process should have been killed');
  }
  // The last flush took the lock after the other writer's last save (if that one finished first)
  // and merged it: the writer that finishes last sees every write.
  process.stdout.write(JSON.stringify({ seen: log.count({}) }));
  await store.close();
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
