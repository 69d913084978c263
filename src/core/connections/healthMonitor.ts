import { Disposable } from '../common/disposable';
import { TestResult } from '../connectivity/testers';
import { ConnectionService } from './connectionService';
import { Connection } from './types';

export interface HealthCheckOptions {
  /** How often a healthy connection is tested; 0 turns the checks off. Read at every tick (a setting). */
  readonly intervalMs: () => number;
  /** Never more than this many tests at once. */
  readonly maxConcurrent: number;
  /** The longest wait between checks of a connection that keeps failing. */
  readonly maxBackoffMs: number;
  /** False while the window has not been focused for long: checks pause. */
  readonly isActive: () => boolean;
  readonly now?: () => number;
}

/** Statuses whose connections are re-tested; maintenance is left alone, as its sentence promises. */
const watched = new Set(['connected', 'disconnected']);

/**
 * Background health checks: connected and disconnected connections are re-tested at an interval
 * (doubling after each failure, up to a ceiling), a few at a time; a test's result moves the
 * status as any test does (CONNECTED ⇄ DISCONNECTED), and repeated identical failures leave one event.
 */
export class HealthMonitor implements Disposable {
  private readonly due = new Map<string, { at: number; failures: number }>();
  private readonly running = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(
    private readonly connections: ConnectionService,
    private readonly tester: (connection: Connection) => Promise<TestResult>,
    private readonly options: HealthCheckOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    const interval = this.options.intervalMs();
    // Ticks often enough for the interval (a short one in tests), never busier than 4 a second.
    this.timer = setInterval(() => this.tick(), Math.max(250, Math.min(5_000, interval > 0 ? interval / 4 : 5_000)));
    this.timer.unref?.();
  }

  /** One round: starts the checks that are due, within the concurrency limit. Returns them (tests await them). */
  tick(): Promise<void>[] {
    const interval = this.options.intervalMs();
    if (interval <= 0 || !this.options.isActive()) return [];
    const now = this.now();
    const candidates = this.connections.list().filter((c) => watched.has(c.status));
    const present = new Set(candidates.map((c) => c.id));
    for (const id of this.due.keys()) if (!present.has(id)) this.due.delete(id);
    const started: Promise<void>[] = [];
    for (const connection of candidates) {
      if (this.running.size >= this.options.maxConcurrent) break;
      if (this.running.has(connection.id)) continue;
      const entry = this.due.get(connection.id);
      // A connection seen for the first time is checked one interval later, not all at once at startup.
      if (!entry) {
        this.due.set(connection.id, { at: now + interval, failures: 0 });
        continue;
      }
      if (entry.at > now) continue;
      started.push(this.check(connection, entry.failures, interval));
    }
    return started;
  }

  private async check(connection: Connection, failures: number, interval: number): Promise<void> {
    this.running.add(connection.id);
    try {
      const result = await this.connections.test(connection.id, this.tester, 'health');
      const next = result.reached ? 0 : failures + 1;
      const wait = Math.min(this.options.maxBackoffMs, interval * 2 ** Math.min(next, 10));
      this.due.set(connection.id, { at: this.now() + wait, failures: next });
    } catch {
      // The connection went away meanwhile (deleted): forget it.
      this.due.delete(connection.id);
    } finally {
      this.running.delete(connection.id);
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
