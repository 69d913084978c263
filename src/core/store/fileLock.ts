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
}

/**
 * An advisory lock between processes (two VS Code windows share one database file): a lock file
 * created with O_EXCL. Held only for the few milliseconds of a save. A lock whose owner died
 * (same host, pid gone) or that is older than `staleMs` is broken.
 */
export async function acquireFileLock(lockPath: string, options: FileLockOptions = defaultLockOptions): Promise<() => void> {
  const deadline = Date.now() + options.timeoutMs;
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), at: Date.now() };
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, 'wx', 0o600);
      fs.writeSync(fd, JSON.stringify(owner));
      fs.closeSync(fd);
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }
    if (isAbandoned(lockPath, options.staleMs)) {
      fs.rmSync(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new LockTimeoutError(`Timed out after ${options.timeoutMs} ms waiting for ${lockPath}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 30));
  }
}

function isAbandoned(lockPath: string, staleMs: number): boolean {
  try {
    const stat = fs.statSync(lockPath);
    if (Date.now() - stat.mtimeMs > staleMs) {
      return true;
    }
    const owner = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as Partial<LockOwner>;
    return owner.host === os.hostname() && typeof owner.pid === 'number' && !isProcessAlive(owner.pid);
  } catch {
    // Gone already, or caught half-written by its owner: not abandoned, look again shortly.
    return false;
  }
}
