import * as vscode from 'vscode';
import { EventLog } from '../core/events/eventLog';
import { SchemaTooNewError } from '../core/store/migrate';
import { StoreRecovery } from '../core/store/openStore';
import { Store } from '../core/store/store';

/** Tells the user, once and clearly, when the database file could not be used as it was. */
export function reportStoreRecovery(recovery: StoreRecovery | undefined, log: EventLog): void {
  if (!recovery) {
    return;
  }
  if (recovery.kind === 'corrupt') {
    const description =
      `The Meshery database could not be read (${recovery.reason}). It was kept as ${recovery.keptAs} ` +
      'and a new, empty database was created. Discovery will fill it again; connections, environments and ' +
      'credential names recorded in the old file are in the kept copy.';
    log.record({ category: 'database', action: 'recover', severity: 'error', description, actedUpon: recovery.keptAs, metadata: { keptAs: recovery.keptAs } });
    return;
  }
  if (recovery.kind === 'unwritable') {
    log.record({
      category: 'database',
      action: 'open',
      severity: 'critical',
      description:
        `The Meshery database ${recovery.path} cannot be opened for writing (${recovery.reason}). This window keeps its data in memory only: ` +
        'what you change here is lost when it closes. Free some space or fix the permissions of that folder, then reload the window.',
      actedUpon: recovery.path,
    });
    return;
  }
  log.record({
    category: 'database',
    action: 'open',
    severity: 'critical',
    description: `${recovery.reason} Until then this window keeps its data in memory only, and ${recovery.path} is left untouched.`,
    actedUpon: recovery.path,
  });
}

/** Changes an earlier session could not save, applied at this start: said once. */
export function reportRecoveredChanges(count: number, path: string | undefined, log: EventLog): void {
  if (count === 0) return;
  log.record({
    category: 'database',
    action: 'recover',
    severity: 'warning',
    description: `${count} change(s) that the last session could not save before it closed were applied now and saved to ${path}.`,
    actedUpon: path,
  });
}

/** A database that cannot be saved is an error event, once per run of failures. */
export function reportSaveErrors(store: Store, log: EventLog): vscode.Disposable {
  const file = store.path;
  return store.onSaveError((error) =>
    error instanceof SchemaTooNewError
      ? log.record({
          category: 'database',
          action: 'save',
          severity: 'critical',
          description: `${error.message} Another window runs a newer Meshery: this window keeps its data in memory only from now on and leaves ${file} untouched. Reload it after updating Meshery.`,
          actedUpon: file,
        })
      : log.record({
          category: 'database',
          action: 'save',
          severity: 'error',
          description: `The Meshery database could not be saved to ${file}: ${error.message}. Changes are kept in memory and saving is retried.`,
          actedUpon: file,
        }),
  );
}
