import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { isProcessAlive } from './atomicFile';

export interface FileLockOptions {
  /** A lock older than this is taken over even if its owner looks alive (it may hang). */
  readonly staleMs: number;
  /** How long to wait for the lock before giving up (the save is retried later). */
  readonly timeoutMs: number;
}

export const defaultLockOptions: FileLockOptions = { staleMs: 30_000, timeoutMs: 15_000 };

export class LockTimeoutError extends Error {}

interface LockOwner {
  pid: number;
  host: string;
  at: number;
  /** Unique per acquisition: whoever releases or breaks the lock checks it is the one it means. */
  token: string;
}

/**
 * An advisory lock between processes (two VS Code windows share one database file): a lock file
 * created with O_EXCL. Held only for the few milliseconds of a save. A lock whose owner died
 * (same host, pid gone) or that is older than `staleMs` is broken.
 */
export async function acquireFileLock(lockPath: string, options: FileLockOptions = defaultLockOptions): Promise<() => void> {
  const deadline = Date.now() + options.timeoutMs;
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), at: Date.now(), token: randomUUID() };
  const content = JSON.stringify(owner);
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, 'wx', 0o600);
      fs.writeSync(fd, content);
      fs.closeSync(fd);
      return () => releaseIfOurs(lockPath, content);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }
    const abandoned = abandonedLock(lockPath, options.staleMs);
    if (abandoned !== undefined) {
      breakLock(lockPath, abandoned);
      continue;
    }
    if (Date.now() > deadline) {
      throw new LockTimeoutError(`Timed out after ${options.timeoutMs} ms waiting for ${lockPath}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 30));
  }
}

/** The content of the lock file when its owner died or hangs (so it may be broken), else undefined. */
function abandonedLock(lockPath: string, staleMs: number): string | undefined {
  try {
    const stat = fs.statSync(lockPath);
    const content = fs.readFileSync(lockPath, 'utf8');
    if (Date.now() - stat.mtimeMs > staleMs) {
      return content;
    }
    const owner = JSON.parse(content) as Partial<LockOwner>;
    return owner.host === os.hostname() && typeof owner.pid === 'number' && !isProcessAlive(owner.pid) ? content : undefined;
  } catch {
    // Gone already, or caught half-written by its owner: not abandoned, look again shortly.
    return undefined;
  }
}

/**
 * Breaks a lock by renaming it aside (atomic: of two breakers only one moves it) and checking
 * that what was moved is the lock judged abandoned. If another process took a fresh lock in
 * between, that one is put back (link fails rather than overwrite a third one).
 */
function breakLock(lockPath: string, judged: string): void {
  const aside = `${lockPath}.broken-${randomUUID()}`;
  try {
    fs.renameSync(lockPath, aside);
  } catch {
    return; // someone else broke or released it first
  }
  try {
    if (fs.readFileSync(aside, 'utf8') !== judged) {
      fs.linkSync(aside, lockPath);
    }
  } catch {
    // The fresh lock could not be put back because yet another lock exists: that one holds.
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

/** Releases the lock only if it is still this acquisition's (it may have been broken as stale and taken by another). */
function releaseIfOurs(lockPath: string, content: string): void {
  const aside = `${lockPath}.release-${randomUUID()}`;
  try {
    if (fs.readFileSync(lockPath, 'utf8') !== content) return;
    // Rename, then check again: between the read and the removal another process may have broken and retaken it.
    fs.renameSync(lockPath, aside);
    if (fs.readFileSync(aside, 'utf8') !== content) fs.linkSync(aside, lockPath);
  } catch {
    // Already gone, or someone else's lock was put back: nothing of ours to release.
  } finally {
    fs.rmSync(aside, { force: true });
  }
}
