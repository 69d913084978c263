import { Disposable } from '../common/disposable';

/** Buffers are this large at least (a 500-pod page is about 450 KB), in powers of two above. */
const smallestBytes = 256 * 1024;

/**
 * Reusable buffers for list answers. Each page in a buffer of its own was new memory every time:
 * the allocator maps it afresh and the first write faults every page of it in, which took 1-5 ms
 * a page in plain Node (one in ten pages; up to 80 ms) and 20-45 ms on a busy extension host. A
 * few buffers taken and given back pay that once. They are let go after a minute without lists.
 * Up to 64 MB of them wait: 16 lists of running pods have as many 4 MB pages in flight, and
 * those buffers exist during a sync whether they wait here or wait to be collected.
 */
export class BodyBuffers implements Disposable {
  private free: Buffer[] = [];
  /**
   * The buffers handed out and not given back, so that a buffer given twice is not handed out
   * twice. Weak: a page never given back (its sync stopped) is garbage like any other.
   */
  private readonly taken = new WeakSet<ArrayBufferLike>();
  private idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly keepBytes = 64 * 1024 * 1024,
    private readonly idleMs = 60_000,
  ) {}

  /**
   * A buffer of `size` bytes or more (an answer's size is known only at its end), to be given
   * back, whole or a part of it, once nothing reads it any more.
   */
  take(size: number): Buffer {
    let at = -1;
    for (let i = 0; i < this.free.length; i++) if (this.free[i].length >= size && (at < 0 || this.free[i].length < this.free[at].length)) at = i;
    const whole = at >= 0 ? this.free.splice(at, 1)[0] : Buffer.allocUnsafeSlow(Math.max(smallestBytes, 2 ** Math.ceil(Math.log2(Math.max(1, size)))));
    this.taken.add(whole.buffer);
    return whole;
  }

  /** Gives a buffer of take() (or a part of one) back; one given back already, or not ours, is ignored. */
  give(body: Buffer): void {
    if (!this.taken.delete(body.buffer)) return;
    const whole = Buffer.from(body.buffer);
    if (this.keptBytes + whole.length <= this.keepBytes) this.free.push(whole);
    clearTimeout(this.idle);
    this.idle = setTimeout(() => (this.free = []), this.idleMs);
    this.idle.unref?.();
  }

  /** How many bytes wait to be reused (tests). */
  get keptBytes(): number {
    return this.free.reduce((sum, b) => sum + b.length, 0);
  }

  dispose(): void {
    clearTimeout(this.idle);
    this.free = [];
  }
}

/**
 * The one pool every cluster's client reads its list pages into. A pool per client was new
 * memory at every "Discover Now" and for every cluster, and V8 counts memory taken for buffers
 * since its last full collection against the heap's limit: 16 lists taking new 4 MB buffers
 * kept it marking and compacting the whole heap back to back (every 150-250 ms) through a re-sync.
 */
export const listBodyBuffers = new BodyBuffers();
