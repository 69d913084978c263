import * as fs from 'node:fs';
import * as path from 'node:path';

/** Test seam: lets a test crash the process at the most dangerous moment of a save. */
export interface AtomicWriteHooks {
  afterTempWritten?: () => void;
  /** Runs before the temporary file is flushed: a test makes the write fail there (EIO, ENOSPC). */
  beforeSync?: () => void;
}

/** Temporary files are named `<target>.tmp-<pid>-<time>`. */
export const TEMP_MARKER = '.tmp-';

/** What goes into the file: bytes, or a writer that streams it in pieces (a large file need not be in memory whole). */
export type FileContent = Uint8Array | ((handle: fs.promises.FileHandle) => Promise<void>);

/**
 * Replaces `target` with `content` so that a crash at any moment leaves either the old file or the
 * new one, never a mix: write a temporary file beside it, flush it to disk, then rename it over
 * the target (rename is atomic within a directory), then flush the directory entry.
 */
export async function writeFileAtomically(target: string, content: FileContent, hooks: AtomicWriteHooks = {}): Promise<void> {
  const temp = `${target}${TEMP_MARKER}${process.pid}-${Date.now().toString(36)}`;
  try {
    const handle = await fs.promises.open(temp, 'w', 0o600);
    try {
      if (typeof content === 'function') await content(handle);
      else await handle.writeFile(content);
      hooks.beforeSync?.();
      await handle.sync();
    } finally {
      await handle.close();
    }
    hooks.afterTempWritten?.();
    await fs.promises.rename(temp, target);
  } catch (error) {
    // A failed write (disk full, I/O error) must not leave its temporary file behind: retries
    // would add one each, on a disk that is already full.
    await fs.promises.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(path.dirname(target));
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await fs.promises.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms (Windows) cannot open or flush a directory; the rename is still atomic there.
  }
}

/**
 * Removes temporary files left by saves that crashed before their rename. A temp file of a live
 * process may be a save in progress in another window, so only those of dead processes go.
 */
export function removeAbandonedTempFiles(target: string): string[] {
  const prefix = path.basename(target) + TEMP_MARKER;
  return removeAbandonedTempFilesIn(path.dirname(target), (entry) => entry.startsWith(prefix));
}

/** The same for every target of a folder whose temporary files `isTemp` recognizes. */
export function removeAbandonedTempFilesIn(dir: string, isTemp: (entry: string) => boolean): string[] {
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const entry of entries) {
    if (!isTemp(entry)) {
      continue;
    }
    const pid = Number(entry.slice(entry.lastIndexOf(TEMP_MARKER) + TEMP_MARKER.length).split('-')[0]);
    if (Number.isInteger(pid) && isProcessAlive(pid)) {
      continue;
    }
    fs.rmSync(path.join(dir, entry), { force: true });
    removed.push(entry);
  }
  return removed;
}

export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) {
    return true;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
