import * as vscode from 'vscode';
import { EventLog } from '../../core/events/eventLog';
import { MesheryEvent, alarmingSeverities } from '../../core/events/types';

const burstWindowMs = 5_000;
const maxToastsPerBurst = 3;

/**
 * Raises a VS Code notification for error-level events, with a button that reveals the event.
 * A burst of errors (a cluster going away) gives a few toasts and then one summary, not a flood.
 */
export function registerErrorNotifier(
  log: EventLog,
  enabled: () => boolean,
  revealEvent: (eventId: string) => Thenable<void>,
): vscode.Disposable {
  let burstStart = 0;
  let shownInBurst = 0;
  let suppressed = 0;
  let summaryTimer: NodeJS.Timeout | undefined;

  const toast = (event: MesheryEvent) => {
    void vscode.window.showErrorMessage(event.description, 'Show Event').then((choice) => {
      if (choice === 'Show Event') {
        return revealEvent(event.id);
      }
    });
  };

  const subscription = log.onDidChange((change) => {
    if (change.kind !== 'added' || !enabled()) {
      return;
    }
    for (const event of change.events) {
      if (!alarmingSeverities.includes(event.severity)) {
        continue;
      }
      const now = Date.now();
      if (now - burstStart > burstWindowMs) {
        burstStart = now;
        shownInBurst = 0;
      }
      if (shownInBurst < maxToastsPerBurst) {
        shownInBurst++;
        toast(event);
        continue;
      }
      suppressed++;
      summaryTimer ??= setTimeout(() => {
        const count = suppressed;
        suppressed = 0;
        summaryTimer = undefined;
        void vscode.window.showErrorMessage(`${count} more Meshery errors.`, 'Open Notification Center').then((choice) => {
          if (choice) {
            return vscode.commands.executeCommand('meshery.notificationCenter.focus');
          }
        });
      }, burstWindowMs);
    }
  });
  return {
    dispose: () => {
      clearTimeout(summaryTimer);
      subscription.dispose();
    },
  };
}
