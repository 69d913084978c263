import * as vscode from 'vscode';
import { EventLog } from '../../core/events/eventLog';
import { MesheryEvent } from '../../core/events/types';
import { EventFilterState } from './eventFilterState';
import { eventTooltip, formatEventTime, severityIcon } from './eventPresentation';

export type EventNode = { readonly type: 'event'; readonly event: MesheryEvent } | { readonly type: 'more'; readonly remaining: number };

const pageSize = 200;

/** The Notification Center's rows: events newest first, paged so thousands of events open at once. */
export class EventTreeProvider implements vscode.TreeDataProvider<EventNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<EventNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private limit = pageSize;
  private nodes = new Map<string, EventNode & { type: 'event' }>();
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: EventLog,
    private readonly filter: EventFilterState,
  ) {
    this.disposables.push(
      this.changeEmitter,
      log.onDidChange(() => this.scheduleRefresh()),
      filter.onDidChange(() => {
        this.limit = pageSize;
        this.scheduleRefresh();
      }),
    );
  }

  getTreeItem(node: EventNode): vscode.TreeItem {
    if (node.type === 'more') {
      const item = new vscode.TreeItem(`Show ${Math.min(node.remaining, pageSize)} more of ${node.remaining}…`);
      item.iconPath = new vscode.ThemeIcon('more');
      item.command = { command: 'meshery.events.loadMore', title: 'Load More Events' };
      item.contextValue = 'meshery.events.more';
      return item;
    }
    const event = node.event;
    const firstLine = event.description.split('\n')[0];
    // Unread rows are highlighted, as unread mail is bold.
    const label: vscode.TreeItemLabel = { label: firstLine, highlights: event.status === 'unread' ? [[0, firstLine.length]] : [] };
    const item = new vscode.TreeItem(label);
    item.id = event.id;
    item.description = `${formatEventTime(event.createdAt)} · ${event.category}/${event.action}`;
    item.iconPath = severityIcon(event.severity);
    item.tooltip = eventTooltip(event);
    item.contextValue = `meshery.event.${event.status}`;
    item.accessibilityInformation = { label: `${event.severity} ${event.status}: ${event.description}` };
    item.command = { command: 'meshery.events.show', title: 'Show Event Details', arguments: [node] };
    return item;
  }

  getChildren(node?: EventNode): EventNode[] {
    if (node) {
      return [];
    }
    const query = this.filter.toQuery();
    const events = this.log.query(query, { limit: this.limit });
    this.nodes = new Map(events.map((event) => [event.id, { type: 'event', event }] as const));
    const children: EventNode[] = [...this.nodes.values()];
    const total = this.log.count(query);
    if (total > events.length) {
      children.push({ type: 'more', remaining: total - events.length });
    }
    return children;
  }

  /** All rows are top level; reveal() needs this to exist. */
  getParent(): undefined {
    return undefined;
  }

  /** The node currently shown for an event, if the filter and paging let it be shown. */
  nodeFor(eventId: string): EventNode | undefined {
    return this.nodes.get(eventId);
  }

  loadMore(): void {
    this.limit += pageSize;
    this.changeEmitter.fire(undefined);
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.disposables.forEach((d) => d.dispose());
  }

  /** Bursts of events (a discovery run) coalesce into one repaint. */
  private scheduleRefresh(): void {
    if (this.refreshTimer) {
      return;
    }
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.changeEmitter.fire(undefined);
    }, 50);
  }
}
