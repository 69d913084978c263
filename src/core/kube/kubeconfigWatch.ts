import * as fs from 'node:fs';
import { Disposable } from '../common/disposable';

/**
 * Calls `onChange` (debounced) when one of the kubeconfig files is written, created or removed.
 * Polls by path (fs.watchFile): tools replace kubeconfig files by rename as often as they write
 * them in place, and a path watched before the file exists still reports its creation.
 */
export class KubeconfigWatch implements Disposable {
  private watched: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly listener = (current: fs.Stats, previous: fs.Stats) => {
    if (current.mtimeMs === previous.mtimeMs && current.size === previous.size && current.ino === previous.ino) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(this.onChange, this.debounceMs);
  };

  constructor(
    private readonly files: () => readonly string[],
    private readonly onChange: () => void,
    private readonly intervalMs = 2000,
    private readonly debounceMs = 500,
  ) {
    this.rearm();
  }

  /** Watches the files the settings name now (after a settings change). */
  rearm(): void {
    this.unwatch();
    this.watched = [...new Set(this.files())];
    for (const file of this.watched) fs.watchFile(file, { interval: this.intervalMs, persistent: false }, this.listener);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unwatch();
  }

  private unwatch(): void {
    for (const file of this.watched) fs.unwatchFile(file, this.listener);
    this.watched = [];
  }
}
