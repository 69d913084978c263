import * as vscode from 'vscode';

/**
 * How long VS Code's extension host holds a tree's change events: it debounces them (200 ms,
 * restarted by every event, the first one after a quiet spell passing at once). A view changing
 * more often than that is never repainted until its changes stop: a cluster with a steady
 * stream of changes froze the Discovered tree's counts for as long as the stream lasted.
 */
const vscodeDebounceMs = 200;
/**
 * Our gap between two changes: past VS Code's window, so each of ours passes at once. Its timer
 * starts when ours fires and both are timers of the same loop: a few milliseconds order them.
 */
export const treeChangeGapMs = vscodeDebounceMs + 20;

/**
 * A tree's change feed that hands VS Code at most one change per `gapMs`, merging the rows
 * changed in between (or the whole tree). Changes made in one turn of the event loop travel
 * together: the first is sent after the turn, not alone.
 */
export class TreeChangeThrottle<T> implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<T | T[] | undefined>();
  readonly event = this.emitter.event;
  /** The rows to repaint, or 'all' for the whole tree. */
  private pending: Set<T> | 'all' | undefined;
  /** Whether what is pending holds a change a person is waiting for. */
  private urgent = false;
  private lastSent = -Infinity;
  /** Until when changes that are not urgent wait (see quietFor). */
  private quietUntil = -Infinity;
  private scheduled: NodeJS.Timeout | undefined;
  private scheduledAt = Infinity;
  private disposed = false;

  /**
   * `beforeSend` is given the rows about to be sent (undefined: the whole tree), and may add
   * rows: what to repaint is best decided once per send, not at every change.
   */
  constructor(
    private readonly gapMs = treeChangeGapMs,
    private readonly beforeSend?: (rows: Set<T> | undefined) => void,
  ) {}

  /**
   * Repaint these rows (an empty list: whatever beforeSend adds), or the whole tree when none are
   * named. An urgent change (what a person just asked for) does not wait for a quiet spell to end.
   */
  fire(rows?: T | readonly T[], urgent = false): void {
    if (this.disposed) return;
    if (rows === undefined) {
      this.pending = 'all';
    } else if (this.pending !== 'all') {
      this.pending ??= new Set();
      for (const row of Array.isArray(rows) ? (rows as readonly T[]) : [rows as T]) this.pending.add(row);
    }
    this.urgent ||= urgent;
    this.schedule();
  }

  /**
   * For `ms` from now, send only urgent changes (the others go with them, or when the quiet
   * ends); 0 ends it. VS Code passes a tree's change at once only when none came in the 200 ms
   * before it: while a person types a filter, the counts that a busy cluster changes would
   * otherwise make each keystroke's answer wait that long.
   */
  quietFor(ms: number): void {
    this.quietUntil = performance.now() + ms;
    if (this.scheduled && !this.urgent) {
      clearTimeout(this.scheduled);
      this.scheduled = undefined;
      this.scheduledAt = Infinity;
      this.schedule();
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.scheduled);
    this.emitter.dispose();
  }

  /** Sends what is pending when the gap (and, unless it is urgent, the quiet) allows: never later than already planned. */
  private schedule(): void {
    if (this.pending === undefined) return;
    const at = Math.max(this.lastSent + this.gapMs, this.urgent ? -Infinity : this.quietUntil);
    if (this.scheduled) {
      if (this.scheduledAt <= at) return;
      clearTimeout(this.scheduled);
    }
    this.scheduledAt = at;
    this.scheduled = setTimeout(() => this.send(), Math.max(0, at - performance.now()));
  }

  private send(): void {
    this.scheduled = undefined;
    this.scheduledAt = Infinity;
    const pending = this.pending;
    this.pending = undefined;
    this.urgent = false;
    if (pending === undefined) return;
    this.beforeSend?.(pending === 'all' ? undefined : pending);
    if (pending !== 'all' && pending.size === 0) return;
    this.lastSent = performance.now();
    this.emitter.fire(pending === 'all' ? undefined : [...pending]);
  }
}
