import * as vscode from 'vscode';
import { ObjectFilter, normalizedFilter, sameFilter } from '../../core/inventory/objectFilter';

const storageKey = 'meshery.discovered.filter';

/** The Discovered view's text filter and namespace scope, remembered per workspace. */
export class DiscoveredFilter implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private current: ObjectFilter;

  constructor(private readonly memento: vscode.Memento) {
    this.current = normalizedFilter(memento.get<ObjectFilter>(storageKey) ?? {});
    void this.publish();
  }

  get value(): ObjectFilter {
    return this.current;
  }

  get active(): boolean {
    return Boolean(this.current.text || this.current.namespaces);
  }

  /** Changes the filter; the same filter again (a space typed at the end) changes nothing. */
  update(change: Partial<ObjectFilter>): void {
    const next = normalizedFilter({ ...this.current, ...change });
    if (sameFilter(next, this.current)) return;
    const wasActive = this.active;
    this.current = next;
    void this.memento.update(storageKey, this.current);
    // The context key (it shows the Clear button) changes only when filtering starts or stops, not at each keystroke.
    if (this.active !== wasActive) void this.publish();
    this.changeEmitter.fire();
  }

  summary(): string | undefined {
    const parts = [this.current.text ? `"${this.current.text}"` : undefined, this.current.namespaces?.length ? `namespaces: ${this.current.namespaces.join(', ')}` : undefined].filter(Boolean);
    return parts.length ? `Filtered: ${parts.join(' · ')}` : undefined;
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }

  private publish(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'meshery.discovered.filtered', this.active);
  }
}
