import * as vscode from 'vscode';
import { EventLog } from '../core/events/eventLog';
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
  log.record({
    category: 'database',
    action: 'open',
    severity: 'critical',
    description: `${recovery.reason} Until then this window keeps its data in memory only, and ${recovery.path} is left untouched.`,
    actedUpon: recovery.path,
  });
}

/** A database that cannot be saved is an error event, once per run of failures. */
export function reportSaveErrors(store: Store, log: EventLog): vscode.Disposable {
  return store.onSaveError((error) =>
    log.record({
      category: 'database',
      action: 'save',
      severity: 'error',
      description: `The Meshery database could not be saved to ${store.path}: ${error.message}. Changes are kept in memory and saving is retried.`,
      actedUpon: store.path,
    }),
  );
}
