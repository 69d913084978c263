import * as fs from 'node:fs';
import * as path from 'node:path';
import { Logger, errorMessage } from '../common/logger';
import type { SqlParams, SqlValue, Store } from './store';

/** One committed write statement, as the store journals it. */
export interface JournalEntry {
  readonly sql: string;
  readonly params?: SqlParams;
}

const marker = '.unsaved-';

/** Bytes survive JSON as base64. */
function encode(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? { $bytes: Buffer.from(value).toString('base64') } : value;
}

function decode(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && typeof (value as { $bytes?: unknown }).$bytes === 'string') {
    return new Uint8Array(Buffer.from((value as { $bytes: string }).$bytes, 'base64'));
  }
  return value;
}

/**
 * When the last save before closing fails (disk full, read-only, the lock never free), the
 * changes that were not written are kept beside the database, to be applied at the next start.
 * Only database statements: secrets never pass through the store.
 */
export function keepUnsavedChanges(target: string, journal: readonly JournalEntry[], cause: unknown, logger: Logger): void {
  if (journal.length === 0) return;
  const side = `${target}${marker}${process.pid}-${Date.now().toString(36)}.json`;
  try {
    fs.writeFileSync(side, JSON.stringify(journal, encode), { mode: 0o600 });
    logger.error(`${journal.length} change(s) could not be saved to ${target} (${errorMessage(cause)}); they are kept in ${side} and will be applied at the next start.`);
  } catch (error) {
    logger.error(`${journal.length} change(s) could not be saved to ${target} (${errorMessage(cause)}) nor kept aside (${errorMessage(error)}): they are lost.`);
  }
}

/**
 * Applies the changes earlier sessions could not save, then removes their files once saved.
 * Returns how many statements were applied. A file is claimed by renaming it first, so two
 * windows starting together do not both apply it.
 */
export async function applyUnsavedChanges(store: Store, target: string, logger: Logger): Promise<number> {
  const dir = path.dirname(target);
  const prefix = path.basename(target) + marker;
  let entries: string[];
  try {
    entries = fs.readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.json'));
  } catch {
    return 0;
  }
  let applied = 0;
  const claimed: string[] = [];
  for (const entry of entries.sort()) {
    const file = path.join(dir, entry);
    const claim = `${file}.applying-${process.pid}`;
    try {
      fs.renameSync(file, claim);
    } catch {
      continue; // another window took it
    }
    claimed.push(claim);
    let journal: JournalEntry[];
    try {
      journal = JSON.parse(fs.readFileSync(claim, 'utf8'), decode) as JournalEntry[];
    } catch (error) {
      logger.error(`The unsaved changes in ${file} cannot be read (${errorMessage(error)}); the file is kept as ${claim}.`);
      claimed.pop();
      continue;
    }
    store.write((tx) => {
      for (const change of journal) {
        try {
          tx.run(change.sql, change.params as SqlValue[] | undefined);
          applied++;
        } catch (error) {
          logger.warn(`An unsaved change from an earlier session no longer applies and was dropped: ${errorMessage(error)}`);
        }
      }
    });
  }
  if (claimed.length === 0) return 0;
  await store.flush();
  for (const claim of claimed) fs.rmSync(claim, { force: true });
  logger.info(`${applied} change(s) an earlier session could not save were applied and saved.`);
  return applied;
}
