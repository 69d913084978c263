import * as vscode from 'vscode';
import { EventFilter, Severity, severities } from '../../core/events/types';

export interface EventViewFilter {
  /** undefined: every severity but debug (unless the showDebug setting asks for it). */
  readonly severities?: readonly Severity[];
  readonly categories?: readonly string[];
  readonly actions?: readonly string[];
  /** The id of what the events acted upon (a connection, a credential, a cluster, ...). */
  readonly actedUpon?: string;
  /** One operation's events together. */
  readonly operationId?: string;
  readonly text?: string;
  readonly unreadOnly?: boolean;
  readonly readOnly?: boolean;
}

const storageKey = 'meshery.notificationCenter.filter';

/** What the Notification Center shows, remembered per workspace. */
export class EventFilterState implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private current: EventViewFilter;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly showDebug: () => boolean,
  ) {
    this.current = memento.get<EventViewFilter>(storageKey) ?? {};
  }

  get value(): EventViewFilter {
    return this.current;
  }

  get isActive(): boolean {
    const f = this.current;
    return f.severities !== undefined || f.categories !== undefined || f.actions !== undefined || !!f.actedUpon || !!f.operationId || !!f.text || !!f.unreadOnly || !!f.readOnly;
  }

  update(change: Partial<EventViewFilter>): void {
    this.current = { ...this.current, ...change };
    void this.memento.update(storageKey, this.current);
    this.changeEmitter.fire();
  }

  clear(): void {
    this.current = {};
    void this.memento.update(storageKey, undefined);
    this.changeEmitter.fire();
  }

  /** The query for the event log: the view's filter plus the debug default. */
  toQuery(): EventFilter {
    const f = this.current;
    const defaultSeverities = this.showDebug() ? undefined : severities.filter((s) => s !== 'debug');
    return {
      severities: f.severities ?? defaultSeverities,
      categories: f.categories,
      actions: f.actions,
      actedUpon: f.actedUpon,
      operationId: f.operationId,
      text: f.text,
      status: f.unreadOnly ? 'unread' : f.readOnly ? 'read' : undefined,
    };
  }

  /** A short description for the view's title bar. */
  summary(): string | undefined {
    const f = this.current;
    const parts: string[] = [];
    if (f.severities) {
      parts.push(f.severities.length === 0 ? 'no severity' : f.severities.join(', '));
    }
    if (f.categories) {
      parts.push(f.categories.join(', ') || 'no category');
    }
    if (f.actions) {
      parts.push(`action ${f.actions.join(', ') || 'none'}`);
    }
    if (f.actedUpon) {
      parts.push(`on ${f.actedUpon}`);
    }
    if (f.operationId) {
      parts.push('one operation');
    }
    if (f.text) {
      parts.push(`"${f.text}"`);
    }
    if (f.unreadOnly) {
      parts.push('unread');
    }
    if (f.readOnly) {
      parts.push('read');
    }
    return parts.length ? `Filtered: ${parts.join(' · ')}` : undefined;
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
