/**
 * Repaints of a row that may wait: at most one per `gapMs` for each key, the one asked for
 * during the gap made when it ends (`repaintLater`). A repaint made for another reason counts.
 */
export class PacedRepaints<K> {
  private readonly last = new Map<K, number>();
  private readonly timers = new Map<K, NodeJS.Timeout>();

  constructor(
    private readonly repaintLater: (key: K) => void,
    private readonly gapMs: number,
  ) {}

  /** A repaint was made now: it stands for any that was waiting. */
  repainted(key: K): void {
    this.last.set(key, performance.now());
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  /** Whether a repaint asked for now may be made now; if not, it is made when the gap ends. */
  dueNow(key: K): boolean {
    const wait = (this.last.get(key) ?? -Infinity) + this.gapMs - performance.now();
    if (wait <= 0) return true;
    if (!this.timers.has(key)) {
      this.timers.set(
        key,
        setTimeout(() => {
          this.timers.delete(key);
          this.repaintLater(key);
        }, wait),
      );
    }
    return false;
  }

  /** Forgets the key (its cluster is gone): its waiting repaint is not made. */
  forget(key: K): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.last.delete(key);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
