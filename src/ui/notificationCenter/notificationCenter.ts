import * as vscode from 'vscode';
import { registerCommand } from '../commandRoute';
import { EventLog } from '../../core/events/eventLog';
import { Severity, isSeverity, severities } from '../../core/events/types';
import { settings } from '../settings';
import { EventDocumentProvider, eventScheme, eventUri } from './eventDocumentProvider';
import { registerErrorNotifier } from './errorNotifier';
import { EventFilterState } from './eventFilterState';
import { EventNode, EventTreeProvider, eventsOf } from './eventTreeProvider';

type EventArg = EventNode | string | undefined;

/** The Notification Center view: tree, badge, filters, commands and error toasts. */
export function registerNotificationCenter(context: vscode.ExtensionContext, log: EventLog): vscode.Disposable[] {
  const filter = new EventFilterState(context.workspaceState, settings.showDebugEvents);
  const provider = new EventTreeProvider(log, filter);
  const view = vscode.window.createTreeView('meshery.notificationCenter', { treeDataProvider: provider, showCollapseAll: false, canSelectMany: true });

  const updateChrome = () => {
    const unread = log.unreadCount({ severities: filter.toQuery().severities });
    view.badge = unread > 0 ? { value: unread, tooltip: `${unread} unread Meshery event${unread === 1 ? '' : 's'}` } : undefined;
    view.description = filter.summary();
    void vscode.commands.executeCommand('setContext', 'meshery.events.filtered', filter.isActive);
  };
  updateChrome();

  const eventIdOf = (arg: EventArg): string | undefined => (typeof arg === 'string' ? arg : arg?.type === 'event' ? arg.event.id : undefined);
  // An operation's row stands for all its events.
  const selectedIds = (arg: EventArg, selection?: readonly EventNode[]): string[] => {
    const nodes = selection && selection.length > 1 ? selection : [arg];
    return [...new Set(nodes.flatMap((n) => (typeof n === 'string' ? [n] : n ? eventsOf(n).map((e) => e.id) : [])))];
  };

  const showEvent = async (arg: EventArg) => {
    const id = eventIdOf(arg);
    if (!id) {
      return;
    }
    log.setStatus([id], 'read');
    const doc = await vscode.workspace.openTextDocument(eventUri(id));
    await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: true });
  };

  const revealEvent = async (id: string) => {
    const event = log.get(id);
    if (!event) {
      void vscode.window.showWarningMessage('That event no longer exists.');
      return;
    }
    try {
      await view.reveal(provider.nodeFor(id) ?? { type: 'event', event }, { select: true, focus: true });
    } catch {
      // Hidden by the current filter: the details document still shows it.
    }
    await showEvent(id);
  };

  const registrations: vscode.Disposable[] = [
    filter,
    provider,
    view,
    log.onDidChange(updateChrome),
    filter.onDidChange(updateChrome),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('meshery.events.retention')) {
        log.setRetention(settings.eventRetention());
      }
      if (e.affectsConfiguration('meshery.events.showDebug')) {
        filter.update({});
      }
    }),
    vscode.workspace.registerTextDocumentContentProvider(eventScheme, new EventDocumentProvider(log)),
    registerErrorNotifier(log, settings.notifyOnError, revealEvent),

    registerCommand('meshery.events.show', showEvent),
    registerCommand('meshery.events.reveal', revealEvent),
    registerCommand('meshery.events.loadMore', () => provider.loadMore()),
    registerCommand('meshery.events.markRead', (arg: EventArg, selection?: EventNode[]) =>
      log.setStatus(selectedIds(arg, selection), 'read'),
    ),
    registerCommand('meshery.events.markUnread', (arg: EventArg, selection?: EventNode[]) =>
      log.setStatus(selectedIds(arg, selection), 'unread'),
    ),
    registerCommand('meshery.events.delete', (arg: EventArg, selection?: EventNode[]) =>
      log.delete(selectedIds(arg, selection)),
    ),
    registerCommand('meshery.events.markAllRead', () => log.setStatusWhere(filter.toQuery(), 'read')),
    registerCommand('meshery.events.markAllUnread', () => log.setStatusWhere(filter.toQuery(), 'unread')),
    registerCommand('meshery.events.filterAction', async (chosen?: string[]) => {
      let picked = Array.isArray(chosen) ? chosen.filter((c) => typeof c === 'string') : undefined;
      if (!picked) {
        const actions = log.actions();
        const active = filter.value.actions;
        const answer = await vscode.window.showQuickPick(
          actions.map((a) => ({ label: a, picked: !active || active.includes(a) })),
          { canPickMany: true, title: 'Show events of these actions' },
        );
        if (!answer) return;
        picked = answer.length === actions.length ? undefined : answer.map((a) => a.label);
      }
      filter.update({ actions: picked });
    }),
    registerCommand('meshery.events.filterActedUpon', async (id?: string) => {
      const value =
        typeof id === 'string'
          ? id
          : await vscode.window.showInputBox({ title: 'Show the events of one object', prompt: 'The id of what the events acted upon (empty: all)', value: filter.value.actedUpon ?? '' });
      if (value === undefined) return;
      filter.update({ actedUpon: value.trim() || undefined });
    }),
    registerCommand('meshery.events.showOperation', (arg: EventArg) => {
      const operationId = typeof arg === 'object' && arg.type === 'operation' ? arg.group.operationId : eventIdOf(arg) ? log.get(eventIdOf(arg)!)?.operationId : undefined;
      if (!operationId) return;
      // Only that operation: the other filters would hide some of its events.
      filter.clear();
      filter.update({ operationId, severities: [...severities] });
    }),
    registerCommand('meshery.events.showReadOnly', () => filter.update({ readOnly: !filter.value.readOnly, unreadOnly: false })),
    registerCommand('meshery.events.clear', async (options?: { confirm?: boolean }) => {
      const query = filter.toQuery();
      const count = log.count(query);
      if (count === 0) {
        void vscode.window.showInformationMessage('There are no events to clear.');
        return 0;
      }
      if (options?.confirm !== false) {
        const scope = filter.isActive ? `the ${count} event(s) matching the current filter` : `all ${count} event(s)`;
        const choice = await vscode.window.showWarningMessage(`Delete ${scope}? This cannot be undone.`, { modal: true }, 'Delete');
        if (choice !== 'Delete') {
          return 0;
        }
      }
      return log.deleteWhere(query);
    }),
    registerCommand('meshery.events.filterSeverity', async (chosen?: Severity[]) => {
      let picked = Array.isArray(chosen) ? chosen.filter(isSeverity) : undefined;
      if (!picked) {
        const active = filter.toQuery().severities ?? severities;
        const items = severities.map((s) => ({ label: s, picked: active.includes(s) }));
        const answer = await vscode.window.showQuickPick(items, {
          canPickMany: true,
          title: 'Show events of these severities',
          placeHolder: 'debug is hidden unless you pick it',
        });
        if (!answer) {
          return;
        }
        picked = answer.map((a) => a.label);
      }
      filter.update({ severities: picked });
    }),
    registerCommand('meshery.events.filterCategory', async (chosen?: string[]) => {
      let picked = Array.isArray(chosen) ? chosen.filter((c) => typeof c === 'string') : undefined;
      if (!picked) {
        const categories = log.categories();
        if (categories.length === 0) {
          void vscode.window.showInformationMessage('There are no events yet, so no categories to filter by.');
          return;
        }
        const active = filter.value.categories;
        const answer = await vscode.window.showQuickPick(
          categories.map((c) => ({ label: c, picked: !active || active.includes(c) })),
          { canPickMany: true, title: 'Show events of these categories' },
        );
        if (!answer) {
          return;
        }
        picked = answer.length === categories.length ? undefined : answer.map((a) => a.label);
      }
      filter.update({ categories: picked });
    }),
    registerCommand('meshery.events.search', async (text?: string) => {
      let value = typeof text === 'string' ? text : undefined;
      if (value === undefined) {
        value = await vscode.window.showInputBox({
          title: 'Search events',
          prompt: 'Text in the description, category, action or the object acted upon (empty to stop searching)',
          value: filter.value.text ?? '',
        });
        if (value === undefined) {
          return;
        }
      }
      filter.update({ text: value.trim() || undefined });
    }),
    registerCommand('meshery.events.showUnreadOnly', () => filter.update({ unreadOnly: !filter.value.unreadOnly, readOnly: false })),
    registerCommand('meshery.events.clearFilter', () => filter.clear()),
  ];
  return registrations;
}
