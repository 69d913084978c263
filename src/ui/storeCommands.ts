import * as vscode from 'vscode';
import { registerCommand } from './commandRoute';
import { EventLog } from '../core/events/eventLog';
import { errorMessage } from '../core/common/logger';
import { Store } from '../core/store/store';

function formatBytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Commands about the database file itself. */
export function registerStoreCommands(store: Store, log: EventLog): vscode.Disposable[] {
  return [
    registerCommand('meshery.store.compact', async () => {
      const before = store.sizeInBytes();
      try {
        await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'Compacting the Meshery database…' },
          () => store.compact(),
        );
      } catch (error) {
        log.record({
          category: 'database',
          action: 'compact',
          severity: 'error',
          description: `Compacting the database failed: ${errorMessage(error)}`,
          actedUpon: store.path,
        });
        return;
      }
      const after = store.sizeInBytes();
      log.record({
        category: 'database',
        action: 'compact',
        severity: 'success',
        description: `Database compacted: ${formatBytes(before)} → ${formatBytes(after)}.`,
        actedUpon: store.path,
        metadata: { beforeBytes: before, afterBytes: after },
      });
    }),
    registerCommand('meshery.store.reveal', async () => {
      if (!store.path) {
        void vscode.window.showInformationMessage('The Meshery database is kept in memory this session (see the Notification Center).');
        return;
      }
      await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(store.path));
    }),
  ];
}
