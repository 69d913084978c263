import * as vscode from 'vscode';
import { EventLog } from '../../core/events/eventLog';
import { OperationGroup, groupByOperation, operationSeverity } from '../../core/events/operationGroups';
import { MesheryEvent } from '../../core/events/types';
import { TreeChangeThrottle } from '../treeChangeThrottle';
import { EventFilterState } from './eventFilterState';
import { eventTooltip, formatEventTime, operationTooltip, severityIcon } from './eventPresentation';

export type EventRow = { readonly type: 'event'; readonly event: MesheryEvent; readonly group?: OperationRow };
/** Several events of one operation (a registration, its test and its status change), under its newest. */
export type OperationRow = { readonly type: 'operation'; readonly group: OperationGroup };
export type EventNode = EventRow | OperationRow | { readonly type: 'more'; readonly remaining: number };

/** The events a row stands for: one event, or every event of an operation. */
export function eventsOf(node: EventNode): MesheryEvent[] {
  return node.type === 'event' ? [node.event] : node.type === 'operation' ? [...node.group.events] : [];
}

const pageSize = 200;

/** The Notification Center's rows: events newest first, paged so thousands of events open at once. */
export class EventTreeProvider implements vscode.TreeDataProvider<EventNode>, vscode.Disposable {
  /** Events can arrive in a steady stream: VS Code repaints the view only when they are spaced. */
  private readonly changes = new TreeChangeThrottle<EventNode>();
  readonly onDidChangeTreeData = this.changes.event;
  private readonly disposables: vscode.Disposable[] = [];
  private limit = pageSize;
  private nodes = new Map<string, EventRow>();

  constructor(
    private readonly log: EventLog,
    private readonly filter: EventFilterState,
  ) {
    this.disposables.push(
      this.changes,
      log.onDidChange(() => this.changes.fire()),
      filter.onDidChange(() => {
        this.limit = pageSize;
        this.changes.fire();
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
    if (node.type === 'operation') {
      return operationItem(node.group);
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
      return node.type === 'operation' ? node.group.events.map((event) => this.nodes.get(event.id)!) : [];
    }
    const query = this.filter.toQuery();
    const events = this.log.query(query, { limit: this.limit });
    // Showing one operation already shows its events together: no group around them.
    const groups = query.operationId ? events.map((event) => ({ operationId: event.operationId, events: [event] })) : groupByOperation(events);
    this.nodes = new Map();
    const children: EventNode[] = groups.map((group) => {
      const row: OperationRow | undefined = group.events.length > 1 ? { type: 'operation', group } : undefined;
      for (const event of group.events) this.nodes.set(event.id, { type: 'event', event, group: row });
      return row ?? this.nodes.get(group.events[0].id)!;
    });
    const total = this.log.count(query);
    if (total > events.length) {
      children.push({ type: 'more', remaining: total - events.length });
    }
    return children;
  }

  /** An event of an operation is under the operation's row; reveal() expands it. */
  getParent(node: EventNode): EventNode | undefined {
    return node.type === 'event' ? node.group : undefined;
  }

  /** The node currently shown for an event, if the filter and paging let it be shown. */
  nodeFor(eventId: string): EventNode | undefined {
    return this.nodes.get(eventId);
  }

  loadMore(): void {
    this.limit += pageSize;
    this.changes.fire();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

/** An operation's row: its newest event's words, its worst severity, how many events, unread while any is. */
function operationItem(group: OperationGroup): vscode.TreeItem {
  const [newest] = group.events;
  const first = group.events[group.events.length - 1];
  const unread = group.events.filter((e) => e.status === 'unread').length;
  const firstLine = newest.description.split('\n')[0];
  const item = new vscode.TreeItem({ label: firstLine, highlights: unread > 0 ? [[0, firstLine.length]] : [] }, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `operation:${group.operationId}`;
  // The operation is named by what started it (register), not by its last step (status).
  item.description = `${formatEventTime(newest.createdAt)} · ${first.category}/${first.action} · ${group.events.length} events${unread > 0 ? `, ${unread} unread` : ''}`;
  const severity = operationSeverity(group);
  item.iconPath = severityIcon(severity);
  item.tooltip = operationTooltip(group.events);
  item.contextValue = `meshery.operation.${unread > 0 ? 'unread' : 'read'}`;
  item.accessibilityInformation = { label: `${severity} operation of ${group.events.length} events, ${unread} unread: ${firstLine}` };
  return item;
}
