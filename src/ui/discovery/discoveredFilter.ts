import * as vscode from 'vscode';
import { ObjectFilter, objectMatcher } from '../../core/inventory/objectFilter';
import { ObjectSummary } from '../../core/kube/objectSummary';

const storageKey = 'meshery.discovered.filter';

/** The Discovered view's text filter and namespace scope, remembered per workspace. */
export class DiscoveredFilter implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private current: ObjectFilter;
  private cached: ((o: ObjectSummary) => boolean) | undefined;

  constructor(private readonly memento: vscode.Memento) {
    this.current = memento.get<ObjectFilter>(storageKey) ?? {};
    this.cached = objectMatcher(this.current);
    void this.publish();
  }

  get value(): ObjectFilter {
    return this.current;
  }

  get active(): boolean {
    return this.cached !== undefined;
  }

  matcher(): ((o: ObjectSummary) => boolean) | undefined {
    return this.cached;
  }

  update(change: Partial<ObjectFilter>): void {
    this.current = { ...this.current, ...change };
    this.cached = objectMatcher(this.current);
    void this.memento.update(storageKey, this.current);
    void this.publish();
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
